-- Revoked tokens (logout, password change) and account erasures in progress.

CREATE TABLE token_generations (
    user_id text PRIMARY KEY,
    generation bigint NOT NULL
);

CREATE TABLE revoked_tokens (
    token_id text PRIMARY KEY,
    user_id text NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX revoked_tokens_by_user ON revoked_tokens (user_id);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at);

CREATE TABLE account_deletions (
    user_id text PRIMARY KEY,
    begun_at timestamptz NOT NULL DEFAULT now()
);
