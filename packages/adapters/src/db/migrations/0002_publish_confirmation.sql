-- A meme's render job is in the broker once the broker has confirmed it: `published_at` is
-- now set only after that confirmation, so NULL means "not provably queued" and the sweeper
-- republishes exactly those rows. `publish_claimed_at` is when a publisher (the accepting API,
-- or a sweeper) took the job on, `publish_claimed_by` which one (`<role>@<host>`); a claim that
-- stays unconfirmed for too long, or one left by an earlier life of a restarted process, is
-- taken over.
ALTER TABLE memes ADD COLUMN publish_claimed_at timestamptz;
ALTER TABLE memes ADD COLUMN publish_claimed_by text;

DROP INDEX IF EXISTS memes_queued_by_publish_time;
CREATE INDEX memes_unpublished ON memes (created_at) WHERE status = 'queued' AND published_at IS NULL;

-- Queued rows from before had their publish time set before publishing, which proves
-- nothing: they are published once more (a duplicate job is harmless, rendering is idempotent).
UPDATE memes SET published_at = NULL WHERE status = 'queued';
