import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, type FileHandle, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isSha256Hex, quoteEtag, sha256Hex } from './content-hash.ts';
import { METADATA_SUFFIX, parseObjectKey } from './object-key.ts';
import type { ByteRange, ObjectInfo, ObjectStore, StoredObject } from './object-store.port.ts';

/**
 * Objects in a local directory (embedded mode). The key `memes/ab/abc.jpg` is the file
 * `<root>/memes/ab/abc.jpg`, next to a sidecar `<root>/memes/ab/abc.jpg.meta.json`.
 *
 * The sidecar keeps the content type exactly as the caller gave it (guessing from the
 * extension would need a table and silently disagree with the S3 store, which keeps the
 * header it was given) and the SHA-256 of the bytes, so `get` and `head` answer with a
 * strong etag without hashing the file again.
 *
 * Writes are crash-safe: each file is written under a temporary name in the same
 * directory, flushed to disk, then renamed over the final name, so a reader sees either
 * the old file or the new one and never a prefix of it. The data file is renamed first and
 * the sidecar last; the sidecar's rename is the commit point. An object exists only when
 * its sidecar does, so a crash between the two renames leaves an invisible data file that
 * the retried put (keys are content-addressed, writes idempotent) simply replaces.
 * Delete runs in the opposite order for the same reason.
 */
export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local';
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async setup(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<ObjectInfo> {
    const file = this.fileOf(key);
    const metadata: Metadata = { contentType, size: body.byteLength, sha256: sha256Hex(body) };
    const directory = path.dirname(file);
    await mkdir(directory, { recursive: true });
    await writeAtomically(file, body);
    await writeAtomically(sidecarOf(file), Buffer.from(JSON.stringify(metadata)));
    await syncDirectory(directory);
    return infoOf(key, metadata);
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
    const file = this.fileOf(key);
    const metadata = await readMetadata(file);
    if (metadata === undefined) return undefined;
    const handle = await openIfPresent(file);
    if (handle === undefined) return undefined;
    return { ...infoOf(key, metadata), body: handle.createReadStream(range ?? {}) };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const metadata = await readMetadata(this.fileOf(key));
    return metadata === undefined ? undefined : infoOf(key, metadata);
  }

  async delete(key: string): Promise<void> {
    const file = this.fileOf(key);
    await rm(sidecarOf(file), { force: true });
    await rm(file, { force: true });
  }

  async ping(): Promise<void> {
    const info = await stat(this.root);
    if (!info.isDirectory()) throw new Error(`Object store root ${this.root} is not a directory`);
    await access(this.root, constants.R_OK | constants.W_OK);
  }

  async close(): Promise<void> {}

  private fileOf(key: string): string {
    const file = path.join(this.root, ...parseObjectKey(key));
    // parseObjectKey already forbids every way out of the root; this guards against a future rule slip.
    if (!file.startsWith(this.root + path.sep)) throw new Error(`Object key ${JSON.stringify(key)} leaves the root`);
    return file;
  }
}

interface Metadata {
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

const infoOf = (key: string, metadata: Metadata): ObjectInfo => ({
  key,
  size: metadata.size,
  contentType: metadata.contentType,
  etag: quoteEtag(metadata.sha256),
});

const sidecarOf = (file: string): string => `${file}${METADATA_SUFFIX}`;

const writeAtomically = async (target: string, bytes: Uint8Array): Promise<void> => {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeDurably(temporary, bytes);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
};

/** Flushes before the rename: otherwise a power cut can persist the rename but not the bytes. */
const writeDurably = async (file: string, bytes: Uint8Array): Promise<void> => {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Makes the renames themselves survive a power cut. */
const syncDirectory = async (directory: string): Promise<void> => {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

const readMetadata = async (file: string): Promise<Metadata | undefined> => {
  const sidecar = sidecarOf(file);
  let text: string;
  try {
    text = await readFile(sidecar, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT') || isErrorCode(error, 'ENOTDIR')) return undefined;
    throw error;
  }
  return parseMetadata(sidecar, text);
};

const parseMetadata = (sidecar: string, text: string): Metadata => {
  const value: unknown = JSON.parse(text);
  if (isMetadata(value)) return value;
  throw new Error(`Object metadata ${sidecar} is malformed`);
};

const isMetadata = (value: unknown): value is Metadata => {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.contentType === 'string' &&
    typeof record.size === 'number' &&
    Number.isSafeInteger(record.size) &&
    record.size >= 0 &&
    typeof record.sha256 === 'string' &&
    isSha256Hex(record.sha256)
  );
};

const openIfPresent = async (file: string): Promise<FileHandle | undefined> => {
  try {
    return await open(file, 'r');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
};

const isErrorCode = (error: unknown, code: string): boolean =>
  error instanceof Error && 'code' in error && error.code === code;
