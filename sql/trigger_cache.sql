-- The trigger's per-trigger cache follows the catalog within one session: a renamed schema, a
-- renamed column, new options and a dropped and re-created table are all seen by the next row.
-- (test/suites/trigger_cache.sh checks that caches of dropped tables are freed.)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA cache_a;
CREATE SCHEMA cache_b;
SET audit_fields.actor = 'alice';
CREATE TABLE cache_a.t (id int, created_at timestamptz, updated_at timestamptz,
                        deleted_at timestamptz, deleted_by text);
CREATE TABLE cache_b.t (id int, created_at timestamptz, updated_at timestamptz,
                        deleted_at timestamptz, deleted_by text);
SELECT audit_fields.enable('cache_a.t', soft_delete => true);
SELECT audit_fields.enable('cache_b.t', soft_delete => true);
INSERT INTO cache_a.t (id) VALUES (1), (2), (3);
INSERT INTO cache_b.t (id) VALUES (1), (2);
DELETE FROM cache_a.t WHERE id = 1; -- the soft delete's statement names cache_a.t
DELETE FROM cache_b.t WHERE id = 1;
-- Renaming the schema: the soft delete must now name the new schema.
ALTER SCHEMA cache_a RENAME TO cache_renamed;
DELETE FROM cache_renamed.t WHERE id = 2;
DELETE FROM cache_b.t WHERE id = 2; -- the other schema's table is unaffected
SELECT 'renamed' AS s, id, deleted_at IS NOT NULL AS deleted, deleted_by FROM cache_renamed.t
UNION ALL
SELECT 'b', id, deleted_at IS NOT NULL, deleted_by FROM cache_b.t ORDER BY 1, 2;
-- Renaming the deleted_at column.
ALTER TABLE cache_renamed.t RENAME COLUMN deleted_at TO removed_at;
SELECT audit_fields.enable('cache_renamed.t', soft_delete => true,
                           column_map => '{"deleted_at": "removed_at"}');
DELETE FROM cache_renamed.t WHERE id = 3;
SELECT id, removed_at IS NOT NULL AS deleted, deleted_by FROM cache_renamed.t ORDER BY id;
-- New options take effect on the next row of the same session.
SELECT audit_fields.enable('cache_b.t');
DELETE FROM cache_b.t WHERE id = 2; -- soft_delete is off now: the row goes
SELECT count(*) AS rows_left FROM cache_b.t;
-- A table dropped and created again under the same name, with different columns.
DROP TABLE cache_b.t;
CREATE TABLE cache_b.t (updated_by text, id int, updated_at timestamptz);
SELECT audit_fields.enable('cache_b.t');
INSERT INTO cache_b.t (id) VALUES (7);
UPDATE cache_b.t SET id = 8;
SELECT id, updated_by, updated_at IS NOT NULL AS stamped FROM cache_b.t;
RESET audit_fields.actor;
DROP SCHEMA cache_renamed, cache_b CASCADE;
