-- IF EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- No query looks up a target's rows by project: the lookups by project (which targets already
-- hold a project the service lists) use import_ledger_project_id (V17). Every write of a row's
-- project paid for this index too.
DROP INDEX IF EXISTS import_ledger_project;
