SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA auto_test;
SET search_path = auto_test;

-- Before opting in, nothing happens.
CREATE TABLE before_opt_in (id int, created_at timestamptz, updated_at timestamptz);
SELECT audit_fields.auto_enable(true);
SELECT audit_fields.auto_enable(true);  -- idempotent
SELECT evtname, evtevent, evttags FROM pg_event_trigger WHERE evtname = 'audit_fields_auto_enable';

-- CREATE TABLE with audit columns
CREATE TABLE accounts (id int PRIMARY KEY, name text, created_at timestamptz, updated_at timestamptz,
    created_by text, updated_by text);
-- CREATE TABLE without: left alone
CREATE TABLE lookup (code text PRIMARY KEY);
-- Partitioned parent, then CREATE TABLE ... PARTITION OF: the partition is covered by the parent
CREATE TABLE ledger (id int, created_at timestamptz, updated_at timestamptz, created_by text)
    PARTITION BY RANGE (id);
CREATE TABLE ledger_2024 PARTITION OF ledger FOR VALUES FROM (0) TO (1000);
-- ALTER TABLE ADD COLUMN gives an old table audit columns
CREATE TABLE notes (id int);
ALTER TABLE notes ADD COLUMN created_at timestamptz, ADD COLUMN created_by text;
-- options chosen by hand survive a later ALTER TABLE
CREATE TABLE docs (id int, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz);
SELECT audit_fields.enable('docs', soft_delete => true);
ALTER TABLE docs ADD COLUMN title text;
-- marked as ignored, temporary, or with an unusable type: not enabled (the last with a WARNING)
CREATE TABLE archive (id int);
COMMENT ON TABLE archive IS '@audit_fields:ignore frozen';
ALTER TABLE archive ADD COLUMN created_at timestamptz, ADD COLUMN updated_at timestamptz;
CREATE TEMP TABLE scratch (id int, created_at timestamptz);
CREATE TABLE odd (id int, created_at text);
-- a disabled trigger is someone's decision: ALTER TABLE does not re-enable it
CREATE TABLE paused (id int, created_at timestamptz);
ALTER TABLE paused DISABLE TRIGGER zz_audit_fields;

SELECT table_name, soft_delete, trigger_enabled FROM audit_fields.tables
WHERE schema_name = 'auto_test' ORDER BY table_name;
SELECT count(*) AS partition_triggers FROM pg_trigger
WHERE tgrelid = 'ledger_2024'::regclass AND tgname = 'zz_audit_fields';

-- The tables stamp.
BEGIN;
SET LOCAL audit_fields.actor = 'migrator@example.com';
INSERT INTO accounts (id, name) VALUES (1, 'a');
INSERT INTO ledger (id) VALUES (5);
INSERT INTO notes (id) VALUES (1);
SELECT created_by, created_at = now() AS stamped FROM accounts;
SELECT created_by, created_at = now() AS stamped FROM ledger_2024;
SELECT created_by, created_at = now() AS stamped FROM notes;
COMMIT;

SELECT audit_fields.auto_enable(false);
SELECT count(*) FROM pg_event_trigger WHERE evtname = 'audit_fields_auto_enable';
CREATE TABLE after_opt_out (id int, created_at timestamptz);
SELECT count(*) FROM audit_fields.tables WHERE table_name = 'after_opt_out';

RESET search_path;
DROP SCHEMA auto_test CASCADE;
