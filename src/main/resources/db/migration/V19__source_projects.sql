-- IF NOT EXISTS: on H2, whose DDL commits at once, a first start killed halfway runs this again.
-- Rows that name a source project instead of a token (issue 11). Their token_fp holds the
-- row's identity, the source project's fingerprint, so that claims, DUPLICATE and
-- ALREADY_IMPORTED stay one mechanism for both kinds. Nothing here is a secret: the token
-- an export mints is named by its fingerprint only, and never kept.
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS source_region VARCHAR(100);
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS source_project VARCHAR(64);
-- The last export's counts and estimate, as ExportProject answered them.
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS export_iterations INT;
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS export_images INT;
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS export_tags INT;
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS export_regions INT;
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS export_estimate_ms BIGINT;
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS export_token_fp VARCHAR(16);
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS exports INT DEFAULT 0 NOT NULL;
-- After Succeeded: whether the imported project's tag count matched the export's; null when not checked.
ALTER TABLE import_ledger ADD COLUMN IF NOT EXISTS verified BOOLEAN;
