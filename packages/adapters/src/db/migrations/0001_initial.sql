-- Memes: one row per distinct spec, keyed by the spec's content id.
CREATE TABLE memes (
  id             text PRIMARY KEY,
  spec           jsonb NOT NULL,
  template_id    text,
  status         text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
  format         text NOT NULL CHECK (format IN ('png', 'jpg', 'webp')),
  object_key     text,
  width          integer,
  height         integer,
  bytes          integer,
  attempts       integer NOT NULL DEFAULT 0,
  failure_reason text,
  correlation_id text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- When the render job was last handed to the queue; the sweeper republishes rows left
  -- queued for too long after it.
  published_at   timestamptz,
  rendered_at    timestamptz
);

CREATE INDEX memes_queued_by_publish_time ON memes (published_at) WHERE status = 'queued';
CREATE INDEX memes_done_by_render_time ON memes (rendered_at DESC, id DESC) WHERE status = 'done';

-- Custom templates uploaded through the API; the bundled ones are read from files.
CREATE TABLE templates (
  id         text PRIMARY KEY,
  config     jsonb NOT NULL,
  image_key  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Uploaded background images for memes placed on a picture of the user's own.
CREATE TABLE backgrounds (
  id           text PRIMARY KEY,
  object_key   text NOT NULL,
  content_type text NOT NULL,
  width        integer NOT NULL,
  height       integer NOT NULL,
  bytes        integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
