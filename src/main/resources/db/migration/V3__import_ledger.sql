-- IF NOT EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- One row per input row of a job instance: its state, and at the end its outcome.
-- No key and no token: targets and tokens are named by fingerprints only.
CREATE TABLE IF NOT EXISTS import_ledger (
    job_instance_id BIGINT        NOT NULL,
    row_no          BIGINT        NOT NULL,
    status          VARCHAR(20)   NOT NULL,
    region          VARCHAR(100),
    target_fp       VARCHAR(16),
    token_fp        VARCHAR(16),
    project_id      VARCHAR(64),
    error_code      VARCHAR(100),
    message         VARCHAR(1000),
    candidates      VARCHAR(1000),
    extras          VARCHAR(4000),
    sent_at         BIGINT,
    answered_at     BIGINT,
    attempts        INT           DEFAULT 0 NOT NULL,
    updated_at      BIGINT        NOT NULL,
    CONSTRAINT import_ledger_pk PRIMARY KEY (job_instance_id, row_no)
);

CREATE INDEX IF NOT EXISTS import_ledger_token ON import_ledger (token_fp, target_fp);
CREATE INDEX IF NOT EXISTS import_ledger_status ON import_ledger (job_instance_id, status);
CREATE INDEX IF NOT EXISTS import_ledger_project ON import_ledger (target_fp, project_id);
