-- Contract v2: sessions can be pinned and archived (3.1); assistant messages carry feedback (3.10).

ALTER TABLE sessions
    ADD COLUMN pinned boolean NOT NULL DEFAULT false,
    ADD COLUMN archived boolean NOT NULL DEFAULT false;

ALTER TABLE messages ADD COLUMN feedback jsonb;

-- The tag list (3.11) counts each tag over one user's sessions.
CREATE INDEX sessions_tags ON sessions USING gin (tags);
