-- IF NOT EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- Target fingerprints (endpoint + key) that name one Custom Vision resource, as the service
-- showed them: two targets whose project lists hold the same project are one resource. A
-- target without a row here is a resource of its own, named by its own fingerprint.
CREATE TABLE IF NOT EXISTS target_resource (
    target_fp   VARCHAR(16) NOT NULL,
    resource_id VARCHAR(16) NOT NULL,
    linked_at   BIGINT      NOT NULL,
    CONSTRAINT target_resource_pk PRIMARY KEY (target_fp)
);

CREATE INDEX IF NOT EXISTS target_resource_resource ON target_resource (resource_id);

-- At most one import of a token into a resource: the row that may have made its project.
-- Taken in the transaction that marks the row SUBMITTING; released when the import provably
-- made nothing, was refused, or its project failed.
CREATE TABLE IF NOT EXISTS import_claim (
    token_fp        VARCHAR(16) NOT NULL,
    resource_id     VARCHAR(16) NOT NULL,
    job_instance_id BIGINT      NOT NULL,
    row_no          BIGINT      NOT NULL,
    claimed_at      BIGINT      NOT NULL,
    CONSTRAINT import_claim_pk PRIMARY KEY (token_fp, resource_id)
);

CREATE INDEX IF NOT EXISTS import_claim_row ON import_claim (job_instance_id, row_no);

-- Which targets' ledgers already hold a project the service lists.
CREATE INDEX IF NOT EXISTS import_ledger_project_id ON import_ledger (project_id);

-- Rows written before claims existed take theirs: the first row per token and target that
-- holds or may hold a project. Last, and guarded, so that running it twice changes nothing.
INSERT INTO import_claim (token_fp, resource_id, job_instance_id, row_no, claimed_at)
SELECT l.token_fp, l.target_fp, l.job_instance_id, l.row_no, l.updated_at
FROM import_ledger l
WHERE l.status IN ('SUBMITTING', 'IMPORTING', 'SUCCEEDED', 'TIMED_OUT', 'IN_DOUBT')
  AND l.token_fp IS NOT NULL AND l.target_fp IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM import_ledger e
                  WHERE e.token_fp = l.token_fp AND e.target_fp = l.target_fp
                    AND e.status IN ('SUBMITTING', 'IMPORTING', 'SUCCEEDED', 'TIMED_OUT', 'IN_DOUBT')
                    AND (e.job_instance_id < l.job_instance_id
                         OR (e.job_instance_id = l.job_instance_id AND e.row_no < l.row_no)))
  AND NOT EXISTS (SELECT 1 FROM import_claim c WHERE c.token_fp = l.token_fp AND c.resource_id = l.target_fp);
