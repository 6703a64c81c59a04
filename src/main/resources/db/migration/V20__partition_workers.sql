-- IF NOT EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- Remote partitioning (issue 12): which worker took a partition's step execution. The
-- primary key is the claim: one worker per step execution, whatever the broker delivers
-- twice. lease_key names the worker's lease, a row of run_lock ('worker/<uuid>') that the
-- worker renews and whose generation is its fencing token; worker is its host and pid,
-- for --status.
CREATE TABLE IF NOT EXISTS partition_worker (
    step_execution_id BIGINT                   NOT NULL,
    lease_key         VARCHAR(100)             NOT NULL,
    worker            VARCHAR(255)             NOT NULL,
    taken_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT partition_worker_pk PRIMARY KEY (step_execution_id)
);
