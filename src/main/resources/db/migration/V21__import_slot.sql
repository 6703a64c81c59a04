-- IF NOT EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- At most one import of unknown outcome per target resource: the row that holds a
-- resource's slot is the only one that may be in flight there, or have lost its answer.
-- Taken in the transaction that marks the row SUBMITTING (with its claim); released in the
-- one that records what became of it. A lost answer keeps it until the project list decides.
CREATE TABLE IF NOT EXISTS import_slot (
    resource_id     VARCHAR(16) NOT NULL,
    job_instance_id BIGINT      NOT NULL,
    row_no          BIGINT      NOT NULL,
    taken_at        BIGINT      NOT NULL,
    CONSTRAINT import_slot_pk PRIMARY KEY (resource_id)
);

CREATE INDEX IF NOT EXISTS import_slot_row ON import_slot (job_instance_id, row_no);
