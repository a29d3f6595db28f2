import type { AppointmentService, PatientService, PractitionerService, SearchResult } from '@memelab/clinic';
import { APPOINTMENT_STATUSES } from '@memelab/clinic';
import { parseRequestPart } from '@memelab/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from 'fhir/r4';
import { z } from 'zod';
import { accessOf } from './authentication.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const MAX_PAGE_SIZE = 100;

const idParams = z.strictObject({ id: z.uuid({ message: 'must be a resource id (a UUID)' }) });
const searchText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused, not searched for
  .refine((value) => !/[\u0000-\u001f]/.test(value), 'must not contain control characters');
const paging = {
  _count: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  _cursor: z.string().max(200).optional(),
};
const patientQuery = z.strictObject({
  ...paging,
  name: searchText.optional(),
  identifier: searchText.optional(),
  birthdate: z.iso.date().optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
});
const practitionerQuery = z.strictObject({ ...paging, name: searchText.optional() });
const instantQuery = z.iso.datetime({ offset: true }).refine((value) => {
  const year = new Date(value).getUTCFullYear();
  return year >= 1900 && year < 2200;
}, 'must be between the years 1900 and 2199');
const appointmentQuery = z.strictObject({
  ...paging,
  practitioner: z.uuid().optional(),
  patient: z.uuid().optional(),
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  from: instantQuery.optional(),
  to: instantQuery.optional(),
});

/** `If-Match: W/"3"` (or `"3"`) names version 3; `*` or no header means any version. */
const ifMatchHeader = z.strictObject({
  'if-match': z
    .string()
    .regex(/^(\*|(W\/)?"\d{1,9}")$/, 'must be an ETag from this API, like W/"3"')
    .optional(),
});

const expectedVersion = (request: FastifyRequest): number | undefined => {
  const value = parseRequestPart(ifMatchHeader, { 'if-match': request.headers['if-match'] }, 'INVALID_HEADER')[
    'if-match'
  ];
  if (value === undefined || value === '*') return undefined;
  return Number(value.replace(/^W\//, '').replaceAll('"', ''));
};

const sendResource = (reply: FastifyReply, resource: Resource, status = 200): FastifyReply => {
  reply
    .code(status)
    .type(FHIR_JSON)
    .header('etag', `W/"${resource.meta?.versionId ?? ''}"`);
  if (resource.meta?.lastUpdated !== undefined) {
    reply.header('last-modified', new Date(resource.meta.lastUpdated).toUTCString());
  }
  return reply.send(resource);
};

const bundle = (request: FastifyRequest, type: string, result: SearchResult<Resource>) => {
  const self = request.url;
  const links = [{ relation: 'self', url: self }];
  if (result.next !== undefined) {
    const url = new URL(self, 'http://placeholder');
    url.searchParams.set('_cursor', result.next);
    links.push({ relation: 'next', url: `${url.pathname}${url.search}` });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: links,
    entry: result.resources.map((resource) => ({ fullUrl: `/${type}/${resource.id}`, resource })),
  };
};

interface CrudService {
  read(access: ReturnType<typeof accessOf>, id: string): Promise<Resource>;
  update(
    access: ReturnType<typeof accessOf>,
    id: string,
    input: unknown,
    ifMatch: number | undefined,
  ): Promise<Resource>;
  patch(
    access: ReturnType<typeof accessOf>,
    id: string,
    input: unknown,
    ifMatch: number | undefined,
  ): Promise<Resource>;
  delete(access: ReturnType<typeof accessOf>, id: string, ifMatch: number | undefined): Promise<void>;
}

/** Read, update, patch and delete by id: the same for every resource type. */
const registerInstanceRoutes = (app: FastifyInstance, type: string, service: CrudService): void => {
  app.get(`/${type}/:id`, { config: { role: 'reader' } }, async (request, reply) => {
    const { id } = parseRequestPart(idParams, request.params, 'INVALID_PATH');
    return sendResource(reply, await service.read(accessOf(request), id));
  });
  app.put(`/${type}/:id`, { config: { role: 'clerk' } }, async (request, reply) => {
    const { id } = parseRequestPart(idParams, request.params, 'INVALID_PATH');
    return sendResource(reply, await service.update(accessOf(request), id, request.body, expectedVersion(request)));
  });
  app.patch(`/${type}/:id`, { config: { role: 'clerk' } }, async (request, reply) => {
    const { id } = parseRequestPart(idParams, request.params, 'INVALID_PATH');
    return sendResource(reply, await service.patch(accessOf(request), id, request.body, expectedVersion(request)));
  });
  app.delete(`/${type}/:id`, { config: { role: 'clerk' } }, async (request, reply) => {
    const { id } = parseRequestPart(idParams, request.params, 'INVALID_PATH');
    await service.delete(accessOf(request), id, expectedVersion(request));
    return reply.code(204).send();
  });
};

export const registerResourceRoutes = (
  app: FastifyInstance,
  services: {
    readonly patients: PatientService;
    readonly practitioners: PractitionerService;
    readonly appointments: AppointmentService;
  },
): void => {
  const { patients, practitioners, appointments } = services;
  const created = (reply: FastifyReply, type: string, resource: Resource): FastifyReply =>
    sendResource(
      reply.header('location', `/${type}/${resource.id}/_history/${resource.meta?.versionId}`),
      resource,
      201,
    );

  app.post('/Patient', { config: { role: 'clerk' } }, async (request, reply) =>
    created(reply, 'Patient', await patients.create(accessOf(request), request.body)),
  );
  app.get('/Patient', { config: { role: 'reader' } }, async (request, reply) => {
    const query = parseRequestPart(patientQuery, request.query, 'INVALID_QUERY');
    const result = await patients.search(accessOf(request), { ...query, count: query._count, cursor: query._cursor });
    return reply.type(FHIR_JSON).send(bundle(request, 'Patient', result));
  });
  registerInstanceRoutes(app, 'Patient', patients);

  app.post('/Practitioner', { config: { role: 'clerk' } }, async (request, reply) =>
    created(reply, 'Practitioner', await practitioners.create(accessOf(request), request.body)),
  );
  app.get('/Practitioner', { config: { role: 'reader' } }, async (request, reply) => {
    const query = parseRequestPart(practitionerQuery, request.query, 'INVALID_QUERY');
    const result = await practitioners.search(accessOf(request), {
      ...query,
      count: query._count,
      cursor: query._cursor,
    });
    return reply.type(FHIR_JSON).send(bundle(request, 'Practitioner', result));
  });
  registerInstanceRoutes(app, 'Practitioner', practitioners);

  app.post('/Appointment', { config: { role: 'clerk' } }, async (request, reply) =>
    created(reply, 'Appointment', await appointments.book(accessOf(request), request.body)),
  );
  app.get('/Appointment', { config: { role: 'reader' } }, async (request, reply) => {
    const query = parseRequestPart(appointmentQuery, request.query, 'INVALID_QUERY');
    const result = await appointments.search(accessOf(request), {
      ...query,
      count: query._count,
      cursor: query._cursor,
    });
    return reply.type(FHIR_JSON).send(bundle(request, 'Appointment', result));
  });
  registerInstanceRoutes(app, 'Appointment', appointments);
};
