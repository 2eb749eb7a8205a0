SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA scan_test;
SET search_path = scan_test;

-- One table per check, plus the cases that must not be reported.
CREATE TABLE compliant (id int PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
    created_by text, created_by_name text, updated_by text, updated_by_name text);
SELECT audit_fields.enable('compliant');
CREATE TABLE no_audit (id int);                                                    -- AF001, AF002
CREATE TABLE half (id int, created_at timestamptz, created_by text, created_by_name text,
    updated_by text, updated_by_name text);                                        -- AF001, AF006, AF008
CREATE TABLE soft (LIKE compliant INCLUDING ALL, deleted_at timestamptz);           -- AF003
SELECT audit_fields.enable('soft');
CREATE DOMAIN email AS varchar(200);
CREATE TABLE bad_type (id int, created_at integer, updated_at timestamptz NOT NULL,
    created_by email, created_by_name text[], updated_by uuid, updated_by_name text);  -- AF004 (x2), AF006
CREATE TABLE naive (LIKE compliant);
ALTER TABLE naive ALTER COLUMN created_at TYPE timestamp;                          -- AF005
SELECT audit_fields.enable('naive');
CREATE TABLE "Disabled Table" (LIKE compliant);                                    -- AF007
SELECT audit_fields.enable('"Disabled Table"');
ALTER TABLE "Disabled Table" DISABLE TRIGGER zz_audit_fields;
CREATE TABLE after_trigger (LIKE compliant);                                       -- AF007 (AFTER)
CREATE TRIGGER stamp_after AFTER INSERT OR UPDATE ON after_trigger
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp();
CREATE TABLE mapped (id int, created_at timestamptz NOT NULL, modified timestamptz NOT NULL,
    author text, created_by_name text, updated_by text, updated_by_name text);
SELECT audit_fields.enable('mapped', column_map => '{"updated_at": "modified", "created_by": "author"}');
CREATE TABLE legacy (id int);
COMMENT ON TABLE legacy IS 'Imported from the old system. @audit_fields:ignore read-only archive';
CREATE TABLE events (id int, created_at timestamptz, updated_at timestamptz,
    created_by text, created_by_name text, updated_by text, updated_by_name text) PARTITION BY RANGE (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100);           -- reported via events
SELECT audit_fields.enable('events');

SELECT table_name, check_id, severity, message FROM audit_fields.scan(ARRAY['scan_test'])
ORDER BY table_name, check_id, message;

-- Remediation is SQL (or a comment where no statement can decide for you).
SELECT table_name, check_id, remediation FROM audit_fields.scan(ARRAY['scan_test'])
WHERE check_id IN ('AF001', 'AF004', 'AF007') ORDER BY table_name, check_id, remediation;

SELECT table_name, kind, status, columns_present, columns_missing, trigger, ignore_reason, findings, checks
FROM audit_fields.report WHERE schema_name = 'scan_test' ORDER BY table_name;

-- Never reported: partitions, system schemas, the extension's own objects.
SELECT count(*) AS partitions FROM audit_fields.report WHERE table_name = 'events_1';
SELECT count(*) AS system_or_extension FROM audit_fields.scan()
WHERE schema_name IN ('pg_catalog', 'information_schema', 'pg_toast', 'audit_fields');

-- Schema filter: an unknown schema gives nothing; NULL means all.
SELECT count(*) FROM audit_fields.scan(ARRAY['no_such_schema']);
SELECT count(*) > 0 AS all_schemas FROM audit_fields.scan(NULL);

-- Applying the remediations (column additions first) fixes every error except on bad_type,
-- whose column types need a decision; enable() would refuse it. no_audit takes two rounds:
-- once AF001's columns exist, AF006 asks for the trigger (--fix-sql does both at once).
DO $$
DECLARE r record;
BEGIN
    FOR round IN 1..2 LOOP
        FOR r IN SELECT DISTINCT remediation, remediation LIKE 'ALTER TABLE%' AS adds
                 FROM audit_fields.scan(ARRAY['scan_test'])
                 WHERE severity = 'error' AND table_name <> 'bad_type'
                 ORDER BY adds DESC, remediation LOOP
            EXECUTE r.remediation;
        END LOOP;
    END LOOP;
END $$;
SELECT table_name, check_id FROM audit_fields.scan(ARRAY['scan_test'])
WHERE severity = 'error' ORDER BY 1, 2;

RESET search_path;
DROP SCHEMA scan_test CASCADE;
