-- IF NOT EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- The run lock: one run at a time per input (lock_key: the input's content hash). Every
-- acquisition increments the generation, the fencing token that each claim of a row for
-- sending checks in the statement that makes the claim. The owner (host, pid, process
-- start) lets a run on the same host take over from a dead owner at once; the heartbeat,
-- on the database's clock, does it for an owner on another host. A released lock has no
-- owner. On PostgreSQL a session-level advisory lock says whether the owner is alive.
-- INT_LOCK (V2, Spring Integration's lock registry) is no longer used.
CREATE TABLE IF NOT EXISTS run_lock (
    lock_key     VARCHAR(100)             NOT NULL,
    generation   BIGINT                   NOT NULL,
    owner_host   VARCHAR(255),
    owner_pid    BIGINT,
    owner_start  BIGINT,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT run_lock_pk PRIMARY KEY (lock_key)
);
