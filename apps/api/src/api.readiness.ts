import type { Infrastructure } from '@memelab/pipeline';
import type { Readiness } from '@memelab/platform';

/** Ready when the database, broker and object store all answer. */
export const addInfrastructureChecks = (readiness: Readiness, infrastructure: Infrastructure): Readiness =>
  readiness
    .add('database', () => infrastructure.db.ping())
    .add('broker', () => {
      if (!infrastructure.queue.isReady()) throw new Error('not connected to the message broker');
    })
    .add('objects', () => infrastructure.store.ping());
