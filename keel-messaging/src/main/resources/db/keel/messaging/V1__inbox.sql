-- The inbox of idempotent consumers (keel-messaging). ${schema} is the schema chosen by the service.

-- Messages a consumer has handled (or an operator skipped): a redelivered one is recognised and dropped.
CREATE TABLE ${schema}.inbox_handled (
    consumer    text        NOT NULL,
    message_id  uuid        NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('HANDLED', 'SKIPPED')),
    handled_at  timestamptz NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX inbox_handled_age ON ${schema}.inbox_handled (consumer, handled_at);

-- One row per (consumer, topic, key): the lock that serialises a key's messages, the last key
-- sequence handled, and when the background worker must look at the key's pending messages.
CREATE TABLE ${schema}.inbox_keys (
    consumer       text        NOT NULL,
    topic          text        NOT NULL,
    key            text        NOT NULL,
    last_sequence  bigint,
    next_check_at  timestamptz,
    PRIMARY KEY (consumer, topic, key)
);
CREATE INDEX inbox_keys_due ON ${schema}.inbox_keys (consumer, next_check_at) WHERE next_check_at IS NOT NULL;

-- Messages not handled yet, in key order: held back (a gap before them), retrying, parked (dead
-- letters) or waiting behind one of those. The whole record is kept, so it can be handled later.
CREATE TABLE ${schema}.inbox_pending (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer         text        NOT NULL,
    topic            text        NOT NULL,
    key              text        NOT NULL,
    message_id       uuid,
    sequence         bigint,
    message_type     text,
    status           text        NOT NULL CHECK (status IN ('WAITING', 'RETRYING', 'PARKED')),
    reason           text        CHECK (reason IN ('FAILED', 'POISON', 'GAP')),
    error            text,
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    forced           boolean     NOT NULL DEFAULT false,
    record_partition int         NOT NULL,
    record_offset    bigint      NOT NULL,
    record_time      timestamptz NOT NULL,
    headers          jsonb       NOT NULL,
    value            bytea       NOT NULL,
    received_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX inbox_pending_message ON ${schema}.inbox_pending (consumer, message_id) WHERE message_id IS NOT NULL;
CREATE UNIQUE INDEX inbox_pending_undecodable ON ${schema}.inbox_pending (consumer, topic, record_partition, record_offset)
    WHERE message_id IS NULL;
CREATE INDEX inbox_pending_key_order ON ${schema}.inbox_pending (consumer, topic, key, sequence NULLS FIRST, id);
CREATE INDEX inbox_pending_parked ON ${schema}.inbox_pending (consumer, status);
