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
-- The trigger skips comparing the audit columns an UPDATE does not set (tg_updatedcols), but only
-- when no other BEFORE UPDATE trigger runs before it: one that changes an audit column is seen.
CREATE TABLE cache_b.forged (id int, payload text, created_at timestamptz,
                             updated_at timestamptz, created_by text, updated_by text);
SELECT audit_fields.enable('cache_b.forged');
INSERT INTO cache_b.forged (id, payload) VALUES (1, 'v1');
CREATE FUNCTION cache_b.forge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_by := 'mallory';
    NEW.created_at := '2000-01-01';
    RETURN NEW;
END $$;
CREATE TRIGGER forge BEFORE UPDATE ON cache_b.forged FOR EACH ROW EXECUTE FUNCTION cache_b.forge();
SET audit_fields.actor = 'bob';
UPDATE cache_b.forged SET payload = 'v2';
SELECT payload, created_by, created_at > '2000-01-02' AS created_kept, updated_by FROM cache_b.forged;
DROP TRIGGER forge ON cache_b.forged;
-- Without it, an UPDATE that sets an audit column itself is still caught.
UPDATE cache_b.forged SET payload = 'v3', created_by = 'mallory';
SELECT payload, created_by, updated_by FROM cache_b.forged;
RESET audit_fields.actor;
DROP SCHEMA cache_renamed, cache_b CASCADE;
