-- healthcare-api's schema. Resources keep their FHIR body in `resource` (without
-- resourceType, id and meta, which come from the columns) and copy into columns what
-- searches, constraints and references need. Deleting is soft: `deleted_at` is set, the row
-- stays for the audit trail.

-- Exclusion constraints over (uuid, range) need GiST support for equality on uuid.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The role the service runs as (a login role is made a member of it, see `migrate`). It may
-- read and write clinical rows but only read and append the audit trail.
DO $$
BEGIN
  CREATE ROLE healthcare_service NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

CREATE TABLE patient (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  version_id   integer NOT NULL DEFAULT 1,
  last_updated timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz,
  name_tokens  text[] NOT NULL,
  birth_date   date,
  gender       text,
  resource     jsonb NOT NULL
);

-- An identifier (system + value) names one live patient; a deleted patient's are released.
CREATE TABLE patient_identifier (
  system     text NOT NULL,
  value      text NOT NULL,
  patient_id uuid NOT NULL REFERENCES patient (id),
  PRIMARY KEY (system, value)
);
CREATE INDEX patient_identifier_value ON patient_identifier (value);
CREATE INDEX patient_identifier_patient ON patient_identifier (patient_id);

CREATE TABLE practitioner (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  version_id   integer NOT NULL DEFAULT 1,
  last_updated timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz,
  name_tokens  text[] NOT NULL,
  resource     jsonb NOT NULL
);

CREATE TABLE appointment (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  version_id      integer NOT NULL DEFAULT 1,
  last_updated    timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz,
  practitioner_id uuid NOT NULL REFERENCES practitioner (id),
  patient_id      uuid NOT NULL REFERENCES patient (id),
  start_at        timestamptz NOT NULL,
  end_at          timestamptz NOT NULL,
  status          text NOT NULL CHECK (status IN ('booked', 'cancelled', 'fulfilled', 'noshow')),
  resource        jsonb NOT NULL,
  CONSTRAINT appointment_ends_after_start CHECK (end_at > start_at),
  -- No double booking: two live, not cancelled appointments of one practitioner never
  -- overlap. Half-open ranges, so one may end when the next starts.
  CONSTRAINT appointment_no_overlap EXCLUDE USING gist (
    practitioner_id WITH =,
    tstzrange(start_at, end_at, '[)') WITH &&
  ) WHERE (status <> 'cancelled' AND deleted_at IS NULL)
);
CREATE INDEX appointment_patient ON appointment (patient_id, seq);
CREATE INDEX appointment_practitioner ON appointment (practitioner_id, seq);

CREATE TABLE api_key (
  id         text PRIMARY KEY,
  role       text NOT NULL CHECK (role IN ('reader', 'clerk', 'admin')),
  -- scrypt(secret, salt); the key itself is never stored.
  salt       bytea NOT NULL,
  hash       bytea NOT NULL,
  label      text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Append-only: who did what to which record, when, touching which fields, in which request.
CREATE TABLE audit_event (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_key_id  text NOT NULL,
  actor_role    text NOT NULL,
  action        text NOT NULL CHECK (action IN ('create', 'read', 'search', 'update', 'patch', 'delete')),
  resource_type text NOT NULL,
  resource_id   uuid,
  -- For searches: every record the answer disclosed.
  resource_ids  uuid[],
  fields        text[] NOT NULL DEFAULT '{}',
  request_id    text NOT NULL
);
CREATE INDEX audit_event_resource ON audit_event (resource_id, id);

-- Even the owner cannot rewrite history by accident; the service role is not even granted it.
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

GRANT SELECT, INSERT, UPDATE ON patient, practitioner, appointment, api_key TO healthcare_service;
GRANT SELECT, INSERT, DELETE ON patient_identifier TO healthcare_service;
GRANT SELECT, INSERT ON audit_event TO healthcare_service;
