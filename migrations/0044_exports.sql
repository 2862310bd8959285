-- Exports: a file a user asked for (the dossier register of a year, say) is written by a background job, in a worker
-- thread, from the database read a batch at a time; the user follows its progress and downloads it when it is done.
-- The row is the request and its state; the file lives in $CQS_DATA_DIR/exports/<id> until the row expires.
CREATE TABLE exports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- What is exported, as a module registers it ('dossiers.register' …), and everything needed to write it again.
  kind text NOT NULL,
  params jsonb NOT NULL,
  title text NOT NULL,
  file_name text NOT NULL,
  requested_by uuid NOT NULL REFERENCES users (id),
  requested_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  -- Set while a runner writes it; a lease that runs out (a process killed mid-export) makes it claimable again.
  lease_until timestamptz,
  rows_done bigint NOT NULL DEFAULT 0,
  rows_total bigint,
  byte_size bigint,
  error text,
  started_at timestamptz,
  finished_at timestamptz,
  expires_at timestamptz NOT NULL
);

-- A user's own exports, newest first; the runner's queue.
CREATE INDEX exports_requester_idx ON exports (requested_by, requested_at DESC);
CREATE INDEX exports_queue_idx ON exports (requested_at) WHERE status IN ('queued', 'running');
