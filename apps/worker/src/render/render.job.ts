import type { JobHandler } from '@memelab/adapters';
import { contextFromTraceHeaders, newCorrelationId, SpanKind, withCorrelationId, withSpan } from '@memelab/platform';
import type { RenderService } from './render.service.ts';

/**
 * The queue entry point: carries the job's correlation id into every log line written
 * while it runs, processes it in a consumer span whose parent is the span that published
 * the job (from its `traceparent` header), and hands the work to the domain service.
 */
export const renderJobHandler =
  (service: RenderService): JobHandler =>
  (received) =>
    withCorrelationId(received.headers.correlationId ?? newCorrelationId(), () =>
      withSpan(
        'process render',
        {
          kind: SpanKind.CONSUMER,
          parent: contextFromTraceHeaders(received.headers),
          attributes: {
            'messaging.operation.type': 'process',
            'messaging.destination.name': 'render',
            'memelab.meme.id': received.job.memeId,
            'memelab.job.attempt': received.attempt,
          },
        },
        async (span) => {
          const outcome = await service.render(received.job.memeId, received.attempt, received.firstAttemptAt);
          span.setAttribute('memelab.job.outcome', outcome.kind);
          return outcome;
        },
      ),
    );
