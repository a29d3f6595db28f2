import type { Database } from '@memelab/adapters';
import type { Practitioner } from 'fhir/r4';
import { z } from 'zod';
import type { AccessContext } from '../access/access-context.ts';
import {
  codeableText,
  contactPoint,
  envelope,
  identifier,
  names,
  nameTokens,
  normalizeSearchPrefix,
} from '../shared/fhir-shapes.ts';
import { type PageRequest, ResourceService, type SearchResult } from '../shared/resource.service.ts';
import { ResourceStore, type SearchFilter } from '../shared/resource.store.ts';

export const practitionerSchema = z.strictObject({
  ...envelope('Practitioner'),
  active: z.boolean().optional(),
  name: names,
  identifier: z.array(identifier).max(10).optional(),
  telecom: z.array(contactPoint).max(10).optional(),
  qualification: z
    .array(z.strictObject({ code: codeableText, identifier: z.array(identifier).max(5).optional() }))
    .max(20)
    .optional(),
});

export type PractitionerBody = Omit<z.output<typeof practitionerSchema>, 'resourceType' | 'id' | 'meta'>;

export interface PractitionerSearch extends PageRequest {
  readonly name?: string | undefined;
}

export class PractitionerService extends ResourceService<PractitionerBody, Practitioner> {
  constructor(db: Database) {
    super(db, new ResourceStore('practitioner', 'Practitioner'), {
      schema: practitionerSchema,
      columns: (body) => [{ name: 'name_tokens', type: 'text[]', value: nameTokens(body.name) }],
    });
  }

  search(access: AccessContext, query: PractitionerSearch): Promise<SearchResult<Practitioner>> {
    const filters: SearchFilter[] = [];
    const used: string[] = [];
    if (query.name !== undefined) {
      const prefix = normalizeSearchPrefix(query.name);
      filters.push({
        where: (param) =>
          `EXISTS (SELECT 1 FROM unnest(name_tokens) AS token WHERE starts_with(token, ${param(prefix)}))`,
      });
      used.push('name');
    }
    return this.searchWith(access, filters, used, query);
  }
}
