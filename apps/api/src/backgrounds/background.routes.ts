import { AppError } from '@memelab/core';
import type { FastifyInstance } from 'fastify';
import { readUpload } from '../http/multipart-upload.ts';
import type { BackgroundService } from './background.service.ts';

/** `POST /api/backgrounds`: upload a picture of your own to put captions on. */
export const registerBackgroundRoutes = (
  app: FastifyInstance,
  deps: { backgrounds: BackgroundService; writeRateLimit: { max: number; timeWindow: number } },
): void => {
  app.post('/api/backgrounds', { config: { rateLimit: deps.writeRateLimit } }, async (request, reply) => {
    const { file } = await readUpload(request);
    if (file === undefined)
      throw new AppError('IMAGE_REQUIRED', 'Upload the picture as the `image` file.', { status: 400 });
    const background = await deps.backgrounds.upload(file);
    return reply.code(201).send({
      id: background.id,
      width: background.width,
      height: background.height,
      contentType: background.contentType,
      bytes: background.bytes,
    });
  });
};
