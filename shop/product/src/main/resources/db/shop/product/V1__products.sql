-- The product service's own table, in its own database. ${schema} is the service's schema (product).

CREATE TABLE ${schema}.products (
    sku         text          PRIMARY KEY,
    name        text          NOT NULL,
    -- EUR; the service accepts at most 1,000,000.00
    price       numeric(12,2) NOT NULL CHECK (price > 0),
    -- 1 when added, +1 with every change; ProductView.version
    version     bigint        NOT NULL,
    added_at    timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL
);
