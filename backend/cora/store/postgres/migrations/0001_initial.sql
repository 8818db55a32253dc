-- Accounts, sessions, messages and failed log-ins. Applied once, in one transaction.

-- pg_trgm lives in `public` so that it outlives any one Cora schema (tests use one per run).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE users (
    user_id text PRIMARY KEY,
    username text NOT NULL,
    username_lower text NOT NULL CONSTRAINT users_username_lower_key UNIQUE,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
    session_id uuid PRIMARY KEY,
    user_id text NOT NULL,
    title text,
    custom_title text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    message_count integer NOT NULL DEFAULT 0,
    tags text[] NOT NULL DEFAULT '{}',
    metadata jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX sessions_by_user_recency ON sessions (user_id, updated_at DESC, session_id DESC);
CREATE INDEX sessions_by_updated_at ON sessions (updated_at);
CREATE INDEX sessions_title_trgm ON sessions USING gin (lower(title) public.gin_trgm_ops);

CREATE TABLE messages (
    session_id uuid NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
    position integer NOT NULL,
    message_id uuid NOT NULL,
    sender text NOT NULL CHECK (sender IN ('user', 'assistant', 'system')),
    text text NOT NULL,
    timestamp timestamptz NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (session_id, position),
    CONSTRAINT messages_session_message_id_key UNIQUE (session_id, message_id)
);

CREATE INDEX messages_text_trgm ON messages USING gin (lower(text) public.gin_trgm_ops);

CREATE TABLE login_failures (
    username_lower text NOT NULL,
    at timestamptz NOT NULL
);

CREATE INDEX login_failures_by_name ON login_failures (username_lower, at);
CREATE INDEX login_failures_by_time ON login_failures (at);
