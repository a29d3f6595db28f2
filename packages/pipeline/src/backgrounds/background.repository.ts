import type { SqlExecutor } from '@memelab/adapters';

export interface Background {
  readonly id: string;
  readonly objectKey: string;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

interface BackgroundRow {
  id: string;
  object_key: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
}

/** Uploaded background images, keyed by the content id of their bytes. */
export class BackgroundRepository {
  constructor(private readonly db: SqlExecutor) {}

  async insertIfAbsent(background: Background): Promise<void> {
    await this.db.query(
      `INSERT INTO backgrounds (id, object_key, content_type, width, height, bytes)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [
        background.id,
        background.objectKey,
        background.contentType,
        background.width,
        background.height,
        background.bytes,
      ],
    );
  }

  async find(id: string): Promise<Background | undefined> {
    const result = await this.db.query<BackgroundRow>('SELECT * FROM backgrounds WHERE id = $1', [id]);
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return {
      id: row.id,
      objectKey: row.object_key,
      contentType: row.content_type,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
    };
  }
}
