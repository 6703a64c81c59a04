-- IF NOT EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- Where each row's record starts in the input, in bytes: the import step reads a row's token
-- and key there when it is about to send it (an offset is no secret). Rows loaded by an
-- older version have none and are read by streaming the input, as that version did.
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS input_offset BIGINT;

-- The import step takes each target's next open rows in row order.
CREATE INDEX IF NOT EXISTS import_ledger_target_row ON import_ledger (job_instance_id, target_fp, row_no);
