-- Live events (contract 3.8): what every server on this database tells its subscribers.
-- Rows are written in id order (under an advisory lock) and pruned from the oldest;
-- live_events_horizon says up to which id they are gone.
CREATE TABLE live_events (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    user_id text NOT NULL,
    session_id text NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE live_events_horizon (
    pruned_through bigint NOT NULL
);

INSERT INTO live_events_horizon (pruned_through) VALUES (0);
