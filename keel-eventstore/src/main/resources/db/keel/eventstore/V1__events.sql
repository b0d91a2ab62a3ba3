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

-- Appends a batch: checks each append's expected version against its stream's last event and inserts
-- the events of those that pass, in one statement; one row per append says what happened (tx is null
-- when it was not written). Streams must be distinct within a call. A writer elsewhere that takes a
-- version first makes the insert fail on the primary key, and the caller looks again.
-- In a function so that PostgreSQL keeps one generic plan for it: planning this statement afresh for
-- each call (what it does with a prepared statement whose array sizes it sees) costs more than running it.
CREATE FUNCTION ${schema}.append_events(
    stream_ids text[], expected bigint[],
    event_append int[], event_offset int[], event_ids uuid[], event_types text[], schema_versions int[],
    payloads jsonb[], metadata jsonb[])
RETURNS TABLE (idx bigint, actual bigint, last_type text, tx bigint, last_position bigint)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH app AS (
        SELECT a.idx, a.stream_id, a.expected,
               coalesce(l.stream_version, 0) AS actual, coalesce(l.event_type, '') AS last_type
        FROM unnest(stream_ids, expected) WITH ORDINALITY AS a(stream_id, expected, idx)
        LEFT JOIN LATERAL (
            SELECT e.stream_version, e.event_type FROM ${schema}.events e
            WHERE e.stream_id = a.stream_id
            ORDER BY e.stream_version DESC LIMIT 1
        ) l ON true
    ), ok AS (
        SELECT app.idx, app.stream_id, app.actual FROM app
        WHERE (app.expected < 0 OR app.expected = app.actual)
          AND app.last_type NOT IN ('$stream-archived', '$stream-deleted')
    ), ins AS (
        INSERT INTO ${schema}.events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata)
        SELECT ok.stream_id, ok.actual + v.k, v.event_id, v.event_type, v.schema_version, v.payload, v.metadata
        FROM unnest(event_append, event_offset, event_ids, event_types, schema_versions, payloads, metadata)
             AS v(idx, k, event_id, event_type, schema_version, payload, metadata)
        JOIN ok ON ok.idx = v.idx
        ORDER BY ok.stream_id, v.k
        RETURNING stream_id, tx_id, position
    )
    SELECT app.idx, app.actual, app.last_type, w.tx, w.last_position
    FROM app LEFT JOIN (
        SELECT ins.stream_id, max(ins.tx_id::text::bigint) AS tx, max(ins.position) AS last_position
        FROM ins GROUP BY ins.stream_id
    ) w ON w.stream_id = app.stream_id
    ORDER BY app.idx;
END $$;

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
