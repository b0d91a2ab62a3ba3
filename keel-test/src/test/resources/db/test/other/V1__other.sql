CREATE TABLE ${schema}.other_rows (id int PRIMARY KEY);
