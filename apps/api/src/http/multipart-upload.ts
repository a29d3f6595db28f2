import { AppError, LIMITS } from '@memelab/core';
import type { FastifyRequest } from 'fastify';

export interface Upload {
  readonly fields: Readonly<Record<string, string>>;
  readonly file: Buffer | undefined;
}

/**
 * Reads a multipart form with at most one file (field `image`) and a few text fields.
 * The file is buffered because every image is inspected whole before it is stored; the
 * byte limit is enforced while reading, so an oversized upload is cut off, not stored.
 */
export const readUpload = async (request: FastifyRequest): Promise<Upload> => {
  if (!request.isMultipart()) {
    throw new AppError('MULTIPART_REQUIRED', 'Send the upload as multipart/form-data with an `image` file.', {
      status: 415,
    });
  }
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  for await (const part of request.parts({
    limits: { fileSize: LIMITS.maxInputBytes, files: 1, fields: 10, fieldSize: 64 * 1024 },
  })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'image') {
        part.file.resume();
        throw new AppError('UNEXPECTED_FILE', `Unexpected file field "${part.fieldname}"; use "image".`, {
          status: 400,
        });
      }
      file = await part.toBuffer();
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  return { fields, file };
};
