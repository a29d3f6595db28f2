import { checkInfrastructure, infrastructureConfigShape, requireSharedBackends } from '@memelab/pipeline';
import { envBoolean, envInt, envPort, loadConfig, processSettingsShape } from '@memelab/platform';
import { z } from 'zod';

export const apiSettingsShape = {
  PORT: envPort(8080),
  HOST: z.string().default('0.0.0.0'),
  ...processSettingsShape,
  /** Enables POST and DELETE /api/templates; sent as `x-api-key` or `Authorization: Bearer`. */
  ADMIN_API_KEY: z.string().min(16, 'use at least 16 characters').optional(),
  /** Memes, uploads and template changes per client IP per minute. */
  RATE_LIMIT_WRITES_PER_MINUTE: envInt(120, { min: 1, max: 1_000_000 }),
  /** memegen-style image URLs per client IP per minute that may render a new meme (a known meme is free). */
  RATE_LIMIT_IMAGES_PER_MINUTE: envInt(600, { min: 1, max: 1_000_000 }),
  /** Memory for hot images (LRU by bytes); 0 reads every image from the object store. */
  IMAGE_CACHE_BYTES: envInt(64 * 1024 * 1024, { min: 0, max: 64 * 1024 * 1024 * 1024 }),
  /** Larger images are streamed from the object store on every request, never held in memory. */
  IMAGE_CACHE_MAX_OBJECT_BYTES: envInt(4 * 1024 * 1024, { min: 1_024, max: 1024 * 1024 * 1024 }),
  /** Memory for rendered memes remembered by id and by memegen URL (no database query to serve them); 0 turns it off. */
  MEME_CACHE_BYTES: envInt(16 * 1024 * 1024, { min: 0, max: 16 * 1024 * 1024 * 1024 }),
  /**
   * New memes are refused (503 RENDER_BACKLOG_FULL, Retry-After) while the render queue holds
   * this many jobs: about 10 s of the workers' render rate keeps the render-time SLO; 0 turns it off.
   */
  MAX_RENDER_BACKLOG: envInt(2000, { min: 0, max: 100_000_000 }),
  /** Largest JSON request body. */
  BODY_LIMIT_BYTES: envInt(64 * 1024, { min: 1_024, max: 10 * 1024 * 1024 }),
  /** Trust X-Forwarded-For from a reverse proxy (nginx, an ingress) for client IPs. */
  TRUST_PROXY: envBoolean(false),
  /** Directory with the built web UI; a placeholder page is served when unset and not built. */
  WEB_DIR: z.string().optional(),
  /** How often the sweeper looks for memes left queued, and how old they must be. */
  SWEEPER_INTERVAL_MS: envInt(10_000, { min: 100, max: 3_600_000 }),
  SWEEPER_STALE_AFTER_MS: envInt(30_000, { min: 100, max: 86_400_000 }),
} as const;

export const apiConfigSchema = z
  .object({ ...infrastructureConfigShape, ...apiSettingsShape })
  .superRefine((config, ctx) => {
    checkInfrastructure(config, ctx);
    requireSharedBackends('api', config, ctx);
  });

export type ApiConfig = z.output<typeof apiConfigSchema>;

/** What the HTTP layer needs, whichever role runs it. */
export type ApiSettings = Pick<
  ApiConfig,
  | 'ADMIN_API_KEY'
  | 'RATE_LIMIT_WRITES_PER_MINUTE'
  | 'RATE_LIMIT_IMAGES_PER_MINUTE'
  | 'IMAGE_CACHE_BYTES'
  | 'IMAGE_CACHE_MAX_OBJECT_BYTES'
  | 'MEME_CACHE_BYTES'
  | 'BODY_LIMIT_BYTES'
  | 'MAX_RENDER_BACKLOG'
  | 'TRUST_PROXY'
  | 'WEB_DIR'
  | 'SWEEPER_INTERVAL_MS'
  | 'SWEEPER_STALE_AFTER_MS'
>;

export const loadApiConfig = (env: Readonly<Record<string, string | undefined>> = process.env): ApiConfig =>
  loadConfig(apiConfigSchema, env);
