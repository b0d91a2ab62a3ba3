-- The customer service's own table, in its own database. ${schema} is the service's schema (customer).

CREATE TABLE ${schema}.customers (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL,
    email          text        NOT NULL,
    registered_at  timestamptz NOT NULL,
    -- 1 when registered, +1 with every change; CustomerView.version
    version        bigint      NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- one customer per address, whatever its case
CREATE UNIQUE INDEX customers_email ON ${schema}.customers (lower(email));
