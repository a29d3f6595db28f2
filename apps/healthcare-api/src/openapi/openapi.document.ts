import { appointmentSchema, patientSchema, practitionerSchema } from '@memelab/clinic';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** JSON Schema from the zod schemas the service validates with: one source of truth. */
const jsonSchemaOf = (schema: z.ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const fhir = (description: string, schema: string) => ({
  description,
  headers: { ETag: { description: 'W/"<versionId>"', schema: { type: 'string' } } },
  content: { 'application/fhir+json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'The ETag read before; a stale one is refused with 412 VERSION_MISMATCH.',
  schema: { type: 'string', example: 'W/"1"' },
};
const query = (name: string, description: string, schema: JsonSchema = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const paging = [
  query('_count', 'Page size, 1-100 (default 20).', { type: 'integer', minimum: 1, maximum: 100 }),
  query('_cursor', "The next page's cursor, from the bundle's `next` link."),
];

const common = {
  '401': problem('AUTHENTICATION_REQUIRED or INVALID_API_KEY'),
  '403': problem('ROLE_NOT_ALLOWED'),
  '503': problem('DATABASE_BUSY (with Retry-After), DATABASE_TIMEOUT, DATABASE_CONTENTION or DATABASE_UNAVAILABLE'),
};

const resourcePaths = (type: string, filters: object[]) => ({
  [`/${type}`]: {
    post: {
      summary: `Create a ${type} (clerk)`,
      requestBody: {
        required: true,
        content: { 'application/fhir+json': { schema: { $ref: `#/components/schemas/${type}` } } },
      },
      responses: {
        '201': fhir('Created; Location names the new version.', type),
        '400': problem('INVALID_JSON, EMPTY_BODY, ID_MISMATCH'),
        '409': problem(type === 'Appointment' ? 'DOUBLE_BOOKING' : 'IDENTIFIER_IN_USE'),
        '413': problem('BODY_TOO_LARGE'),
        '415': problem('UNSUPPORTED_MEDIA_TYPE'),
        '422': problem('INVALID_RESOURCE or UNKNOWN_REFERENCE'),
        ...common,
      },
    },
    get: {
      summary: `Search ${type} resources (reader), oldest first`,
      parameters: [...filters, ...paging],
      responses: {
        '200': {
          description: 'A searchset Bundle',
          content: { 'application/fhir+json': { schema: { type: 'object' } } },
        },
        '400': problem('INVALID_QUERY or INVALID_CURSOR'),
        ...common,
      },
    },
  },
  [`/${type}/{id}`]: {
    parameters: [idParameter],
    get: {
      summary: `Read a ${type} (reader)`,
      responses: {
        '200': fhir(type, type),
        '404': problem('RESOURCE_NOT_FOUND'),
        '410': problem('RESOURCE_DELETED'),
        ...common,
      },
    },
    put: {
      summary: `Replace a ${type} (clerk)`,
      parameters: [ifMatch],
      requestBody: {
        required: true,
        content: { 'application/fhir+json': { schema: { $ref: `#/components/schemas/${type}` } } },
      },
      responses: {
        '200': fhir('Updated', type),
        '412': problem('VERSION_MISMATCH'),
        '422': problem('INVALID_RESOURCE'),
        ...common,
      },
    },
    patch: {
      summary: `Change fields of a ${type} with a JSON Merge Patch (clerk)`,
      parameters: [ifMatch],
      requestBody: { required: true, content: { 'application/merge-patch+json': { schema: { type: 'object' } } } },
      responses: {
        '200': fhir('Updated', type),
        '412': problem('VERSION_MISMATCH'),
        '422': problem('INVALID_RESOURCE'),
        ...common,
      },
    },
    delete: {
      summary: `Delete a ${type} (clerk); it is kept for the audit trail and reads answer 410`,
      parameters: [ifMatch],
      responses: { '204': { description: 'Deleted' }, '412': problem('VERSION_MISMATCH'), ...common },
    },
  },
});

/** The OpenAPI 3.1 description of healthcare-api, served at /openapi.json. */
export const buildOpenApiDocument = () => ({
  openapi: '3.1.0',
  info: {
    title: 'healthcare-api',
    version: '0.1.0',
    description:
      'Clinical records shaped after FHIR R4: patients, practitioners and appointments. Every call needs an API key ' +
      '(roles reader < clerk < admin); every read and write of a record is audited. Errors are RFC 9457 problem ' +
      'details with a stable `code` (docs/errors.md).',
  },
  security: [{ bearer: [] }, { apiKey: [] }],
  paths: {
    ...resourcePaths('Patient', [
      query('name', 'Prefix of any family or given name, case-insensitive.'),
      query('identifier', '`system|value`, or a value in any system.'),
      query('birthdate', 'YYYY-MM-DD', { type: 'string', format: 'date' }),
      query('gender', 'male, female, other or unknown'),
    ]),
    ...resourcePaths('Practitioner', [query('name', 'Prefix of any family or given name, case-insensitive.')]),
    ...resourcePaths('Appointment', [
      query('practitioner', 'Practitioner id', { type: 'string', format: 'uuid' }),
      query('patient', 'Patient id', { type: 'string', format: 'uuid' }),
      query('status', 'booked, cancelled, fulfilled or noshow'),
      query('from', 'Appointments ending after this instant', { type: 'string', format: 'date-time' }),
      query('to', 'Appointments starting before this instant', { type: 'string', format: 'date-time' }),
    ]),
    '/audit': {
      get: {
        summary: 'The audit trail, oldest first (admin)',
        parameters: [
          query('resourceType', 'Patient, Practitioner or Appointment'),
          query('resourceId', 'Events about this record, including searches that disclosed it'),
          query('actor', 'API key id'),
          query('_count', 'Page size, 1-500 (default 100)', { type: 'integer' }),
          query('_cursor', 'From the previous page'),
        ],
        responses: { '200': { description: '{ events, next? }' }, '400': problem('INVALID_QUERY'), ...common },
      },
    },
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'ok' } } } },
    '/readyz': {
      get: {
        summary: 'Readiness: database reachable, not shutting down',
        security: [],
        responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'text' } } } },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer hck_...' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    },
    schemas: {
      Patient: jsonSchemaOf(patientSchema),
      Practitioner: jsonSchemaOf(practitionerSchema),
      Appointment: jsonSchemaOf(appointmentSchema),
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'code'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string' },
          instance: { type: 'string' },
          correlationId: { type: 'string' },
          issues: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
});
