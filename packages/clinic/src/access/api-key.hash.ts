import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * API keys are `hck_<id>_<secret>`: the id finds the stored row, the secret is checked
 * against its scrypt hash (node:crypto's scrypt, a memory-hard KDF; parameters from
 * RFC 7914's interactive-login recommendation). Only the salt and the hash are stored.
 */
export const SCRYPT_PARAMS: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH_BYTES = 32;
const KEY_PATTERN = /^hck_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewKey {
  readonly id: string;
  /** The whole key, shown once. */
  readonly key: string;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

export const hashSecret = (secret: string, salt: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(secret, salt, HASH_BYTES, SCRYPT_PARAMS, (error, derived) => (error ? reject(error) : resolve(derived)));
  });

export const generateKey = async (): Promise<NewKey> => {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  return { id, key: `hck_${id}_${secret}`, salt, hash: await hashSecret(secret, salt) };
};

/** The id and secret of a well-formed key; undefined for anything else. */
export const parseKey = (key: string): { id: string; secret: string } | undefined => {
  const match = KEY_PATTERN.exec(key);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { id: match[1], secret: match[2] };
};

export const secretMatches = async (secret: string, salt: Buffer, hash: Buffer): Promise<boolean> => {
  const derived = await hashSecret(secret, salt);
  return derived.length === hash.length && timingSafeEqual(derived, hash);
};
