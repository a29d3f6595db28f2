import type { Pool } from 'undici';
import type { DoneTracker } from './done-tracker.ts';
import {
  expectStatus,
  requestJson,
  type SendResult,
  settle,
  TargetNotReadyError,
  type Workload,
} from './stress-workload.ts';

export const MEMELAB_KINDS = ['create', 'image', 'memegen'] as const;
export type MemelabKind = (typeof MEMELAB_KINDS)[number];

/** Memes and memegen URLs rendered before the run, then fetched over and over (the hot read path). */
const WARM_SET = 4;
const WAIT_SECONDS = 30;

interface MemeAnswer {
  readonly id: string;
  readonly status: string;
  readonly links: { readonly image: string };
}

/**
 * memelab's traffic: fresh memes (captions carry the run tag and the request number, so no
 * two are deduplicated into one), cached image GETs, and memegen URLs of rendered memes.
 */
export class MemelabWorkload implements Workload<MemelabKind> {
  readonly name = 'memelab';
  readonly kinds = MEMELAB_KINDS;
  readonly defaultMix = 'create=2,image=6,memegen=2';
  private templates: string[] = [];
  private images: string[] = [];
  private memegenUrls: string[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly tracker: DoneTracker,
    private readonly runTag: string,
    private readonly timeoutMs: number,
  ) {}

  async prepare(): Promise<void> {
    const list = await requestJson(this.pool, {
      method: 'GET',
      path: '/api/templates?limit=50',
      timeoutMs: this.timeoutMs,
    });
    expectStatus(list, [200], 'GET /api/templates');
    // Every request carries two captions, so only templates with two or more text boxes.
    this.templates = ((list.body as { items?: Array<{ id: string; textBoxes?: unknown[] }> }).items ?? [])
      .filter((item) => (item.textBoxes?.length ?? 0) >= 2)
      .map((item) => item.id);
    if (this.templates.length === 0) {
      throw new TargetNotReadyError('the target has no template with two text boxes to make memes from');
    }
    const warm = await Promise.all(
      Array.from({ length: WARM_SET }, async (_, n) => {
        const template = this.templateFor(n);
        const created = await requestJson(this.pool, {
          method: 'POST',
          path: '/api/memes',
          body: { template, captions: ['stress warm-up', `image ${n}`] },
          timeoutMs: this.timeoutMs,
        });
        expectStatus(created, [200, 202], 'POST /api/memes');
        const { id } = created.body as MemeAnswer;
        const settled = await requestJson(this.pool, {
          method: 'GET',
          path: `/api/memes/${id}?wait=${WAIT_SECONDS}`,
          timeoutMs: (WAIT_SECONDS + 5) * 1000,
        });
        const meme = settled.body as MemeAnswer;
        if (meme.status !== 'done') throw new TargetNotReadyError(`a warm-up meme ended ${meme.status}, not done`);
        const memegen = `/images/${template}/stress/warm_${n}.jpg`;
        const rendered = await requestJson(this.pool, {
          method: 'GET',
          path: memegen,
          timeoutMs: (WAIT_SECONDS + 5) * 1000,
        });
        expectStatus(rendered, [200], `GET ${memegen}`);
        return { image: meme.links.image, memegen };
      }),
    );
    this.images = warm.map((entry) => entry.image);
    this.memegenUrls = warm.map((entry) => entry.memegen);
  }

  private templateFor(index: number): string {
    return this.templates[index % this.templates.length] ?? '';
  }

  send(kind: MemelabKind, index: number, intendedAt: number): Promise<SendResult> {
    return settle(async () => {
      switch (kind) {
        case 'create':
          return this.create(index, intendedAt);
        case 'image':
          return this.get(this.images[index % this.images.length] ?? '/');
        case 'memegen':
          return this.get(this.memegenUrls[index % this.memegenUrls.length] ?? '/');
      }
    });
  }

  private async create(index: number, intendedAt: number): Promise<SendResult> {
    const answer = await requestJson(this.pool, {
      method: 'POST',
      path: '/api/memes',
      body: { template: this.templateFor(index), captions: [`stress ${this.runTag}`, `meme ${index}`] },
      timeoutMs: this.timeoutMs,
    });
    if (answer.status !== 202 && answer.status !== 200) return { ok: false, status: String(answer.status) };
    const meme = answer.body as MemeAnswer;
    this.tracker.accept(meme.id, intendedAt, meme.status === 'done');
    return { ok: true, status: String(answer.status) };
  }

  private async get(path: string): Promise<SendResult> {
    const answer = await requestJson(this.pool, { method: 'GET', path, timeoutMs: this.timeoutMs });
    return { ok: answer.status === 200, status: String(answer.status) };
  }

  /**
   * Asks the API for the status of accepted memes not yet seen done (the live feed misses
   * what finished while it was reconnecting), marks the done ones, and returns the rest by
   * status: `failed`, or still pending (queued, or no answer).
   */
  async checkPending(ids: readonly string[]): Promise<{ failed: string[]; pending: string[] }> {
    const failed: string[] = [];
    const pending: string[] = [];
    const statuses = await Promise.all(
      ids.map(async (id) => {
        const answer = await settle(async () => {
          const meme = await requestJson(this.pool, {
            method: 'GET',
            path: `/api/memes/${id}`,
            timeoutMs: this.timeoutMs,
          });
          return {
            ok: meme.status === 200,
            status: String((meme.body as MemeAnswer | undefined)?.status ?? meme.status),
          };
        });
        return [id, answer.status] as const;
      }),
    );
    for (const [id, status] of statuses) {
      if (status === 'done') this.tracker.rendered(id);
      else if (status === 'failed') failed.push(id);
      else pending.push(id);
    }
    return { failed, pending };
  }
}
