import type { JobHandler } from '@memelab/adapters';
import { newCorrelationId, withCorrelationId } from '@memelab/platform';
import type { RenderService } from './render.service.ts';

/**
 * The queue entry point: carries the job's correlation id into every log line written
 * while it runs, and hands the work to the domain service.
 */
export const renderJobHandler =
  (service: RenderService): JobHandler =>
  (received) =>
    withCorrelationId(received.headers.correlationId ?? newCorrelationId(), () =>
      service.render(received.job.memeId, received.attempt, received.firstAttemptAt),
    );
