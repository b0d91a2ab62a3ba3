-- Leases and checkpoints of outbox relays (keel-outbox). ${schema} is the schema chosen by the service.

-- A relay group's key space is cut into a fixed number of partitions. Each row is one partition:
-- who holds its lease until when, the lease's epoch (raised by every takeover, checked by every
-- checkpoint), and the log position up to which its rows are published.
CREATE TABLE ${schema}.relay_partitions (
    relay               text        NOT NULL,
    partition           int         NOT NULL,
    partitions          int         NOT NULL,
    owner               text,
    epoch               bigint      NOT NULL DEFAULT 0,
    lease_until         timestamptz,
    checkpoint_tx       bigint      NOT NULL DEFAULT 0,
    checkpoint_position bigint      NOT NULL DEFAULT 0,
    published           bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (relay, partition),
    CHECK (partition >= 0 AND partition < partitions)
);

-- Relay instances alive in a group, so that each takes its fair share of partitions.
CREATE TABLE ${schema}.relay_members (
    relay       text        NOT NULL,
    member      text        NOT NULL,
    seen_until  timestamptz NOT NULL,
    PRIMARY KEY (relay, member)
);
