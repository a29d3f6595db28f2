import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags a render worker sets for itself at start.
 *
 * `--no-incremental-marking`: every meme reads its pixels back as 1.7 MB of native memory
 * reported to V8, so a worker starts a full garbage collection every few dozen memes for
 * external memory pressure alone. Marked incrementally, such a collection is driven by
 * V8 foreground tasks, each posted to the event loop as a wake-up (an eventfd write and
 * read) between renders; under load a worker could fall into making 4 to 14 of those
 * system calls per meme and spend 1 to 3 ms more CPU on each. Without incremental marking
 * V8 frees the read-backs, which die young, in its young-generation collections instead:
 * 1000 renders in a row take no full collection at all (45 with the default) and about a
 * third less CPU (garbage-collection.fixture.ts). A full collection, when one comes, is a
 * single pause of a few milliseconds, which a queue consumer can afford.
 *
 * Only the `memelab worker` process sets them. The API serves requests, whose latency the
 * longer pauses would show in; in embedded mode both roles share one process, and the
 * default stays.
 */
export const WORKER_V8_FLAGS = ['--no-incremental-marking'] as const;

/** Node keeps V8's flags writable after start-up, so a process can set its own. */
export const applyWorkerV8Flags = (): void => {
  for (const flag of WORKER_V8_FLAGS) setFlagsFromString(flag);
};
