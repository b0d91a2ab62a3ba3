-- The transactional outbox (keel-outbox). ${schema} is the schema chosen by the service.
-- Columns id, aggregatetype, aggregateid, type and payload are those Debezium's outbox event router
-- expects, so the relay can be swapped for Debezium without changing the writer.

CREATE TABLE ${schema}.outbox (
    id             uuid        PRIMARY KEY,
    aggregatetype  text        NOT NULL,
    aggregateid    text        NOT NULL,
    type           text        NOT NULL,
    -- json, not jsonb: the outbox is a queue nobody queries by content, and json is stored as written
    -- (no conversion when a row is written, none when the relay reads it back as text)
    payload        json        NOT NULL,
    headers        json        NOT NULL DEFAULT '{}',
    topic          text        NOT NULL,
    sequence       bigint      NOT NULL,
    -- log order for the gap-free reader (ADR 0002); the writer may lift tx_id to keep a key's
    -- order (ADR 0004), never below the writing transaction's own id
    tx_id          xid8        NOT NULL DEFAULT pg_current_xact_id(),
    position       bigint      GENERATED ALWAYS AS IDENTITY,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX outbox_log_order ON ${schema}.outbox (tx_id, position);

-- Per key (topic, aggregate id): the last sequence handed out, and the log transaction id of the
-- last row written, so that a later row of the key never sorts before an earlier one. The row is
-- locked by the writing transaction until it ends, which orders the key's writers.
CREATE TABLE ${schema}.outbox_keys (
    topic          text   NOT NULL,
    aggregateid    text   NOT NULL,
    last_sequence  bigint NOT NULL,
    last_tx_id     xid8   NOT NULL,
    PRIMARY KEY (topic, aggregateid)
);

CREATE FUNCTION ${schema}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('${schema}_outbox', '');
    RETURN NULL;
END $$;

-- once per statement; PostgreSQL folds a transaction's identical notifications into one at commit
CREATE TRIGGER outbox_notify AFTER INSERT ON ${schema}.outbox
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.outbox_notify();
