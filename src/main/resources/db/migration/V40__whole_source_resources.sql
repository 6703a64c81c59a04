-- IF NOT EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- Rows that name a whole source resource (an empty projectId, or *): the row itself is kept
-- EXPANDED, and each project its source resource holds gets a ledger row of its own, numbered
-- after the input's rows. input_row is the input's row such a row came from and place the
-- project's place among that resource's projects (1, 2, ...); both null for the input's rows.
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS input_row BIGINT;
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS place INT;

CREATE INDEX IF NOT EXISTS import_ledger_input_row ON import_ledger (job_instance_id, input_row);
