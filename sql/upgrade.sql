-- ALTER EXTENSION audit_fields UPDATE from 1.0 (trigger, settings, enable API) to the newest version (scanner,
-- activity, auto_enable): enabled tables keep working through the upgrade, and the upgraded
-- extension has exactly the objects of a fresh install.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS audit_fields CASCADE;
CREATE EXTENSION audit_fields VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'audit_fields';
CREATE SCHEMA upgrade_test;
SET search_path = upgrade_test;

CREATE TABLE docs (id int PRIMARY KEY, body text, created_at timestamptz, updated_at timestamptz,
                   created_by text, updated_by text, deleted_at timestamptz, deleted_by text);
SELECT audit_fields.enable('docs', soft_delete => true);
BEGIN;
SET LOCAL audit_fields.actor = 'before@example.com';
INSERT INTO docs (id, body) VALUES (1, 'written on 1.0');
COMMIT;
-- 1.0 has no scanner yet
SELECT count(*) FROM pg_proc WHERE proname = 'scan' AND pronamespace = 'audit_fields'::regnamespace;

ALTER EXTENSION audit_fields UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'audit_fields';

-- the table enabled on 1.0 is still enforced, with its configuration
BEGIN;
SET LOCAL audit_fields.actor = 'after@example.com';
UPDATE docs SET body = 'edited on 1.1', created_by = 'forged';
DELETE FROM docs WHERE id = 1;
COMMIT;
SELECT id, body, created_by, updated_by, deleted_by, deleted_at IS NOT NULL AS soft_deleted FROM docs;
SELECT table_name, soft_delete FROM audit_fields.tables WHERE schema_name = 'upgrade_test';
-- and the 1.1 scanner sees it
SELECT table_name, check_id FROM audit_fields.scan(ARRAY['upgrade_test']::name[]) ORDER BY 1, 2;

-- 1.3 took DELETE on the missing-actor report's table from PUBLIC (it allowed LOCK TABLE in any
-- mode); the reset needs none
SELECT has_table_privilege('public', 'audit_fields.missing_actor_misses', 'SELECT') AS public_select,
       has_table_privilege('public', 'audit_fields.missing_actor_misses', 'DELETE') AS public_delete;

-- the upgraded extension's objects are those of a fresh install, with the same privileges and
-- function definitions
-- (the same two queries before and after, as views the extension's drop leaves alone)
CREATE TEMP VIEW extension_objects AS
SELECT pg_describe_object(classid, objid, objsubid) AS object
FROM pg_depend WHERE refobjid = (SELECT oid FROM pg_extension WHERE extname = 'audit_fields')
  AND deptype = 'e';
CREATE TEMP VIEW extension_definitions AS
SELECT c.oid::regclass::text AS object, c.relacl::text AS definition
FROM pg_class c WHERE c.relnamespace = 'audit_fields'::regnamespace
UNION ALL
SELECT p.oid::regprocedure::text, concat_ws(' ', l.lanname, p.prosecdef, p.proconfig::text,
                                             p.proacl::text, md5(p.prosrc))
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'audit_fields'::regnamespace;
CREATE TEMP TABLE upgraded AS SELECT * FROM extension_objects;
CREATE TEMP TABLE upgraded_definitions AS SELECT * FROM extension_definitions;
RESET search_path;
DROP SCHEMA upgrade_test CASCADE;
DROP EXTENSION audit_fields;
CREATE EXTENSION audit_fields;
CREATE TEMP TABLE fresh AS SELECT * FROM extension_objects;
CREATE TEMP TABLE fresh_definitions AS SELECT * FROM extension_definitions;
SELECT count(*) > 10 AS has_objects FROM fresh;
(SELECT 'only after upgrade' AS where_, object FROM upgraded EXCEPT SELECT 'only after upgrade', object FROM fresh)
UNION ALL
(SELECT 'only in fresh install', object FROM fresh EXCEPT SELECT 'only in fresh install', object FROM upgraded);
SELECT count(*) > 10 AS has_definitions FROM fresh_definitions;
(SELECT 'only after upgrade' AS where_, object, definition FROM upgraded_definitions
 EXCEPT SELECT 'only after upgrade', object, definition FROM fresh_definitions)
UNION ALL
(SELECT 'only in fresh install', object, definition FROM fresh_definitions
 EXCEPT SELECT 'only in fresh install', object, definition FROM upgraded_definitions);
