-- Responses to requests that carried an Idempotency-Key, so a retried request gets the first answer
-- instead of a second effect. Written in the same transaction as the request's effects.
CREATE TABLE ${schema}.idempotency_keys (
    operation       text        NOT NULL,
    idempotency_key text        NOT NULL,
    request_hash    text        NOT NULL,
    response_status int         NOT NULL,
    response_body   bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (operation, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON ${schema}.idempotency_keys (created_at);
