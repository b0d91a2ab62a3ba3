-- The event store of keel-eventstore. ${schema} is the schema the store was configured with.
-- Other modules read this table directly (the outbox relay: "the event store is the outbox"), so its
-- column names are part of Keel's contract; see keel-eventstore/README.md.

CREATE TABLE ${schema}.events (
    position       bigint      GENERATED ALWAYS AS IDENTITY,
    tx_id          xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL CHECK (stream_version >= 1),
    event_id       uuid        NOT NULL,
    event_type     text        NOT NULL,
    schema_version int         NOT NULL CHECK (schema_version >= 1),
    payload        jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    -- the time the row was written (not the transaction's start), so it grows with the stream's versions
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT events_stream_version_key PRIMARY KEY (stream_id, stream_version),
    CONSTRAINT events_event_id_key UNIQUE (event_id)
);

-- gap-free log order (ADR 0002): readers select tx_id < pg_snapshot_xmin(pg_current_snapshot())
-- and resume after (tx_id, position)
CREATE INDEX events_log_order ON ${schema}.events (tx_id, position);

-- one notification per writing statement wakes subscribers in this and other processes
CREATE FUNCTION ${schema}.events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('${schema}_events', '');
    RETURN NULL;
END $$;

CREATE TRIGGER events_notify AFTER INSERT ON ${schema}.events
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.events_notify();

-- the latest snapshot per stream and kind of state
CREATE TABLE ${schema}.snapshots (
    stream_id      text        NOT NULL,
    state_type     text        NOT NULL,
    stream_version bigint      NOT NULL CHECK (stream_version >= 1),
    schema_version int         NOT NULL CHECK (schema_version >= 1),
    state          jsonb       NOT NULL,
    taken_at       timestamptz NOT NULL,
    PRIMARY KEY (stream_id, state_type)
);

-- positions of resumable subscriptions
CREATE TABLE ${schema}.subscription_checkpoints (
    subscription text        PRIMARY KEY,
    tx_id        bigint      NOT NULL,
    position     bigint      NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
