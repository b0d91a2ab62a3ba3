-- Every admin operation the gateway sent to a service: written before the call (outcome 'pending'),
-- finished with the service's answer. A row left 'pending' means the gateway stopped mid-call: the
-- operation may or may not have happened.
CREATE TABLE ${schema}.audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz,
    actor          text        NOT NULL,
    client         text        NOT NULL,
    action         text        NOT NULL,
    service        text        NOT NULL,
    target         text        NOT NULL,
    correlation_id text        NOT NULL,
    outcome        text        NOT NULL CHECK (outcome IN ('pending', 'succeeded', 'refused', 'failed', 'unknown')),
    http_status    integer,
    detail         text        NOT NULL DEFAULT '',
    CHECK ((outcome = 'pending') = (finished_at IS NULL))
);

CREATE INDEX audit_log_by_action ON ${schema}.audit_log (action, id);
CREATE INDEX audit_log_by_service ON ${schema}.audit_log (service, id);
