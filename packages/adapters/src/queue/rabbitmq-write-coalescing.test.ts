import { Writable } from 'node:stream';
import type { ChannelModel } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { coalesceWrites } from './rabbitmq-write-coalescing.ts';

/** A socket stand-in that records each system call's worth of writes. */
const recordingSocket = (): { socket: Writable; calls: number[] } => {
  const calls: number[] = [];
  const socket = new Writable({
    write(_chunk, _encoding, callback) {
      calls.push(1);
      callback();
    },
    writev(chunks, callback) {
      calls.push(chunks.length);
      callback();
    },
  });
  return { socket, calls };
};

/** amqplib's muxer writes each queued message with its own `write`. */
const modelWith = (socket: Writable, queued: Buffer[]): ChannelModel => {
  const muxer = {
    _readIncoming(): void {
      for (const message of queued.splice(0)) socket.write(message);
    },
  };
  return { connection: { muxer, stream: socket } } as unknown as ChannelModel;
};

describe('coalesceWrites', () => {
  it('writes the messages queued together in one call', () => {
    const { socket, calls } = recordingSocket();
    const queued = [Buffer.from('event'), Buffer.from('ack'), Buffer.from('publish')];
    const model = modelWith(socket, queued);
    expect(coalesceWrites(model)).toBe(true);
    (model as unknown as { connection: { muxer: { _readIncoming(): void } } }).connection.muxer._readIncoming();
    expect(calls).toEqual([3]);
  });

  it('leaves a connection it does not recognise alone', () => {
    expect(coalesceWrites({ connection: {} } as unknown as ChannelModel)).toBe(false);
    expect(coalesceWrites({} as unknown as ChannelModel)).toBe(false);
  });
});
