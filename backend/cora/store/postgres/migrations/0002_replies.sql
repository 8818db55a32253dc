-- Replies stored from their first moment (contract 3.5, 3.9): a status per message, the lease
-- of the reply being written on its session, and the stop requests writers check.

ALTER TABLE messages
    ADD COLUMN status text NOT NULL DEFAULT 'complete'
    CONSTRAINT messages_status_check
    CHECK (status IN ('complete', 'streaming', 'stopped', 'failed', 'interrupted'));

-- At most one reply streams per session: its id, its writer, and when the writer last renewed.
ALTER TABLE sessions
    ADD COLUMN reply_id uuid,
    ADD COLUMN reply_writer text,
    ADD COLUMN reply_renewed_at timestamptz;

CREATE INDEX sessions_streaming ON sessions (reply_renewed_at) WHERE reply_id IS NOT NULL;

CREATE TABLE reply_stops (
    message_id uuid PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT now()
);
