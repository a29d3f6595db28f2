import type { ChannelModel } from 'amqplib';

/** The parts of amqplib's connection internals this relies on (amqplib 0.10 to 2.x). */
interface Muxer {
  _readIncoming(): void;
}
interface CorkableStream {
  cork(): void;
  uncork(): void;
}
interface ConnectionInternals {
  readonly muxer?: Muxer;
  readonly stream?: Partial<CorkableStream>;
}

/**
 * Makes a connection write everything its channels have queued since the last write in one
 * system call. amqplib gathers the frames of all channels (publishes, acks, confirms) and
 * writes them on the next turn of the event loop, but with one socket write per message;
 * where a system call costs as much as on a virtual machine, a worker's `meme.rendered`
 * event and the ack that follows it, or an API's publishes of concurrent accepts, cost
 * one write each. Corking the socket around that loop turns them into one `writev`.
 * Returns false (and changes nothing) when the connection does not look as expected.
 */
export function coalesceWrites(model: ChannelModel): boolean {
  const internals = (model as unknown as { connection?: ConnectionInternals }).connection;
  const muxer = internals?.muxer;
  const stream = internals?.stream;
  if (
    muxer === undefined ||
    typeof muxer._readIncoming !== 'function' ||
    typeof stream?.cork !== 'function' ||
    typeof stream.uncork !== 'function'
  ) {
    return false;
  }
  const socket = stream as CorkableStream;
  const writeQueued = muxer._readIncoming.bind(muxer);
  muxer._readIncoming = () => {
    socket.cork();
    try {
      writeQueued();
    } finally {
      socket.uncork();
    }
  };
  return true;
}
