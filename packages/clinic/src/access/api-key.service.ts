import { createHash } from 'node:crypto';
import type { Database } from '@memelab/adapters';
import type { Role } from './access-context.ts';
import { generateKey, parseKey, secretMatches } from './api-key.hash.ts';

export interface ApiKeyPrincipal {
  readonly keyId: string;
  readonly role: Role;
}

export interface ApiKeySummary {
  readonly id: string;
  readonly role: Role;
  readonly label: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

interface CacheEntry {
  readonly principal: ApiKeyPrincipal;
  readonly expiresAt: number;
}

/** A remembered key is checked again in the background once this share of its TTL is left. */
const REFRESH_WHEN_LEFT = 0.25;

/**
 * Creates, lists, revokes and checks API keys. scrypt costs tens of milliseconds by design,
 * so a key that checked out is remembered (by its SHA-256, never in clear) for `cacheTtlMs`:
 * a revoked key stops working within that time in every instance. A key in steady use is
 * checked again shortly before it expires while its requests go on being answered from
 * memory, and concurrent requests with one key share one check: otherwise every request in
 * flight when the entry expires would pay for a lookup and a scrypt of its own.
 */
export class ApiKeyService {
  readonly #cache = new Map<string, CacheEntry>();
  readonly #checking = new Map<string, Promise<ApiKeyPrincipal | undefined>>();

  constructor(
    private readonly db: Database,
    private readonly options: {
      readonly cacheTtlMs: number;
      readonly cacheSize?: number;
      readonly now?: () => number;
    } = {
      cacheTtlMs: 30_000,
    },
  ) {}

  /** Stores a new key's hash and returns the key, which is never shown again. */
  async create(role: Role, label?: string): Promise<{ id: string; key: string }> {
    const key = await generateKey();
    await this.db.query('INSERT INTO api_key (id, role, salt, hash, label) VALUES ($1, $2, $3, $4, $5)', [
      key.id,
      role,
      key.salt,
      key.hash,
      label ?? null,
    ]);
    return { id: key.id, key: key.key };
  }

  async list(): Promise<ApiKeySummary[]> {
    const { rows } = await this.db.query<{
      id: string;
      role: Role;
      label: string | null;
      created_at: Date;
      revoked_at: Date | null;
    }>('SELECT id, role, label, created_at, revoked_at FROM api_key ORDER BY created_at, id');
    return rows.map((row) => ({
      id: row.id,
      role: row.role,
      label: row.label,
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
    }));
  }

  /** True when a live key was revoked now. */
  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    return rowCount > 0;
  }

  /** The key's holder, or undefined for a malformed, unknown, revoked or wrong key. */
  async authenticate(presented: string): Promise<ApiKeyPrincipal | undefined> {
    const parsed = parseKey(presented);
    if (parsed === undefined) return undefined;
    const now = (this.options.now ?? Date.now)();
    const fingerprint = createHash('sha256').update(presented).digest('base64url');
    const cached = this.#cache.get(fingerprint);
    if (cached !== undefined && cached.expiresAt > now) {
      if (cached.expiresAt - now <= this.options.cacheTtlMs * REFRESH_WHEN_LEFT) {
        // A failed background check keeps the entry until it expires; the next caller retries.
        this.#check(fingerprint, parsed, now).catch(() => undefined);
      }
      return cached.principal;
    }
    this.#cache.delete(fingerprint);
    return this.#check(fingerprint, parsed, now);
  }

  /** Looks the key up and checks its secret, once at a time per key; remembers it when it holds. */
  #check(fingerprint: string, key: { id: string; secret: string }, now: number): Promise<ApiKeyPrincipal | undefined> {
    const inFlight = this.#checking.get(fingerprint);
    if (inFlight !== undefined) return inFlight;
    const check = (async () => {
      const { rows } = await this.db.query<{ role: Role; salt: Uint8Array; hash: Uint8Array }>(
        'SELECT role, salt, hash FROM api_key WHERE id = $1 AND revoked_at IS NULL',
        [key.id],
      );
      const row = rows[0];
      if (row === undefined || !(await secretMatches(key.secret, Buffer.from(row.salt), Buffer.from(row.hash)))) {
        this.#cache.delete(fingerprint);
        return undefined;
      }
      const principal: ApiKeyPrincipal = { keyId: key.id, role: row.role };
      this.#remember(fingerprint, { principal, expiresAt: now + this.options.cacheTtlMs });
      return principal;
    })().finally(() => this.#checking.delete(fingerprint));
    this.#checking.set(fingerprint, check);
    return check;
  }

  #remember(fingerprint: string, entry: CacheEntry): void {
    const limit = this.options.cacheSize ?? 10_000;
    // A renewed entry is set again in place; only a new one may push the oldest out.
    if (!this.#cache.has(fingerprint) && this.#cache.size >= limit) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(fingerprint, entry);
  }
}
