import type { SqlExecutor } from '@memelab/adapters';
import { parseOrThrow, type Template, templateSchema } from '@memelab/core';

export interface CustomTemplate {
  readonly template: Template;
  readonly imageKey: string;
  readonly createdAt: Date;
}

interface TemplateRow {
  id: string;
  config: unknown;
  image_key: string;
  created_at: Date;
}

const toCustomTemplate = (row: TemplateRow): CustomTemplate => ({
  template: parseOrThrow(templateSchema, row.config, 'INVALID_TEMPLATE', `Stored template ${row.id} is not valid.`),
  imageKey: row.image_key,
  createdAt: new Date(row.created_at),
});

/** Custom templates uploaded through the API. */
export class TemplateRepository {
  constructor(private readonly db: SqlExecutor) {}

  async insert(template: Template, imageKey: string): Promise<boolean> {
    const result = await this.db.query(
      `INSERT INTO templates (id, config, image_key) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [template.id, JSON.stringify(template), imageKey],
    );
    return result.rowCount > 0;
  }

  async find(id: string): Promise<CustomTemplate | undefined> {
    const result = await this.db.query<TemplateRow>('SELECT * FROM templates WHERE id = $1', [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : toCustomTemplate(row);
  }

  async list(): Promise<CustomTemplate[]> {
    const result = await this.db.query<TemplateRow>('SELECT * FROM templates ORDER BY created_at, id');
    return result.rows.map(toCustomTemplate);
  }

  async delete(id: string): Promise<CustomTemplate | undefined> {
    const result = await this.db.query<TemplateRow>('DELETE FROM templates WHERE id = $1 RETURNING *', [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : toCustomTemplate(row);
  }
}
