ALTER TABLE ${schema}.log_rows ADD COLUMN note text;
