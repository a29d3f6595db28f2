import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Load is only sent to this machine unless the user says otherwise: a stress run pointed
 * at someone else's server by a typo is an attack.
 */
export const isLoopbackAddress = (address: string): boolean => {
  if (isIP(address) === 4) return address.startsWith('127.');
  const lower = address.toLowerCase();
  return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(lower);
};

export class RemoteTargetError extends Error {}

/** Resolves the target's host; every address it resolves to must be a loopback address. */
export const assertLoopbackTarget = async (target: URL): Promise<void> => {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  const remote = addresses.filter((address) => !isLoopbackAddress(address));
  if (addresses.length === 0 || remote.length > 0) {
    throw new RemoteTargetError(
      `${target.host} is not this machine (${remote.join(', ') || 'no address'}); pass --allow-remote to load a server you run elsewhere`,
    );
  }
};
