import { envBoolean, envUrl } from '@memelab/platform';
import { z } from 'zod';
import { DEFAULT_DATA_DIR } from './data-dir.ts';

/**
 * Where state lives. Every field is optional: unset means embedded (PGlite in DATA_DIR,
 * objects under DATA_DIR, an in-process queue); set means the distributed service. Any
 * mix works, e.g. PostgreSQL with local objects.
 */
export const infrastructureConfigShape = {
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  DATABASE_URL: envUrl(['postgres', 'postgresql']),
  AMQP_URL: envUrl(['amqp', 'amqps']),
  AMQP_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .default('memelab'),
  S3_ENDPOINT: envUrl(['http', 'https']),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: envBoolean(true),
  TEMPLATES_DIR: z.string().optional(),
} as const;

export const infrastructureConfigSchema = z.object(infrastructureConfigShape);
export type InfrastructureConfig = z.output<typeof infrastructureConfigSchema>;

/** Cross-field rules, added with superRefine by each app's schema. */
export const checkInfrastructure = (config: InfrastructureConfig, ctx: z.RefinementCtx): void => {
  const s3Keys = [config.S3_ENDPOINT, config.S3_ACCESS_KEY_ID, config.S3_SECRET_ACCESS_KEY];
  if (config.S3_BUCKET === undefined && s3Keys.some((value) => value !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['S3_BUCKET'],
      message: 'S3_BUCKET is required when any S3_* variable is set',
    });
  }
  if ((config.S3_ACCESS_KEY_ID === undefined) !== (config.S3_SECRET_ACCESS_KEY === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['S3_SECRET_ACCESS_KEY'],
      message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
    });
  }
};

/**
 * `memelab api` and `memelab worker` run as separate processes and share state only
 * through a real database and broker: PGlite and the in-process queue live inside one
 * process, so both URLs are required there (`memelab start` needs neither).
 */
export const requireSharedBackends = (
  role: 'api' | 'worker',
  config: InfrastructureConfig,
  ctx: z.RefinementCtx,
): void => {
  for (const key of ['DATABASE_URL', 'AMQP_URL'] as const) {
    if (config[key] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `required for \`memelab ${role}\` (use \`memelab start\` for one process)`,
      });
    }
  }
};
