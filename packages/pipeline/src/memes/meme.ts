import type { MemeSpec, OutputFormat } from '@memelab/core';

export type MemeStatus = 'queued' | 'done' | 'failed';

export interface Meme {
  readonly id: string;
  readonly spec: MemeSpec;
  readonly templateId: string | null;
  readonly status: MemeStatus;
  readonly format: OutputFormat;
  readonly objectKey: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly bytes: number | null;
  readonly attempts: number;
  readonly failureReason: string | null;
  readonly correlationId: string | null;
  readonly createdAt: Date;
  readonly publishedAt: Date | null;
  readonly renderedAt: Date | null;
}
