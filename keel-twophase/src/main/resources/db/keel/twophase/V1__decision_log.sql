-- The coordinator's decision log. A row is written, durably, before phase two: 'commit' by the
-- coordinator once every participant has prepared; 'abort' by recovery when it finds a prepared
-- transaction nobody decided (presumed abort), or by the coordinator when it cannot tell whether a
-- participant prepared. Coordinator and recovery race on the primary key, so at most one decision
-- is ever recorded for a transaction.
CREATE TABLE ${schema}.twophase_decisions (
    coordinator    text        NOT NULL,
    transaction_id uuid        NOT NULL,
    decision       text        NOT NULL CHECK (decision IN ('commit', 'abort')),
    participants   text[]      NOT NULL,
    decided_at     timestamptz NOT NULL DEFAULT now(),
    -- set once no participant holds the transaction prepared any more
    finished_at    timestamptz,
    PRIMARY KEY (coordinator, transaction_id)
);

CREATE INDEX twophase_decisions_unfinished ON ${schema}.twophase_decisions (coordinator) WHERE finished_at IS NULL;
CREATE INDEX twophase_decisions_finished_at ON ${schema}.twophase_decisions (coordinator, finished_at) WHERE finished_at IS NOT NULL;
