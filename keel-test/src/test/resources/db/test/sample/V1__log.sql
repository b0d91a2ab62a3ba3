CREATE TABLE ${schema}.log_rows (
    position bigint GENERATED ALWAYS AS IDENTITY,
    tx_id    xid8   NOT NULL DEFAULT pg_current_xact_id(),
    writer   int    NOT NULL,
    seq      int    NOT NULL,
    PRIMARY KEY (position)
);
CREATE INDEX log_rows_log_order ON ${schema}.log_rows (tx_id, position);

CREATE FUNCTION ${schema}.notify_log_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('${schema}_log_rows', '');
    RETURN NULL;
END $$;
CREATE TRIGGER log_rows_notify AFTER INSERT ON ${schema}.log_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.notify_log_rows();
