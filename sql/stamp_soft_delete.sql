-- soft_delete => true: DELETE becomes a soft delete (docs/contract.md, decision table, last row).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_soft_delete;
SET search_path = stamp_soft_delete;

CREATE TABLE posts (
    id int PRIMARY KEY,
    body text,
    created_at timestamptz,
    updated_at timestamptz,
    deleted_at timestamptz,
    created_by text,
    updated_by text,
    updated_by_name text,
    deleted_by text,
    deleted_by_name text
);
SELECT audit_fields.enable('posts', soft_delete => true);
SELECT tgtype & 8 <> 0 AS fires_on_delete FROM pg_trigger WHERE tgrelid = 'posts'::regclass;
SET audit_fields.enabled = off;
INSERT INTO posts (id, body, created_at, updated_at, created_by, updated_by)
SELECT g, 'post ' || g, '2020-01-01 00:00+00', '2020-01-01 00:00+00', 'alice', 'alice'
FROM generate_series(1, 6) AS g;
RESET audit_fields.enabled;

-- DELETE: the row stays, deleted_at = clock, deleted_by* and updated_* = actor; the DELETE reports
-- 0 rows (the row was not removed).
BEGIN;
SET LOCAL audit_fields.actor = 'bob';
SET LOCAL audit_fields.actor_name = 'Bob';
DELETE FROM posts WHERE id = 1;
SELECT id, deleted_at = now() AS deleted_now, deleted_by, deleted_by_name,
       updated_at = now() AS updated_now, updated_by, updated_by_name, created_by,
       created_at = '2020-01-01 00:00+00' AS created_kept
FROM posts WHERE id = 1;
COMMIT;
SELECT count(*) AS rows_left FROM posts;

-- DELETE ... RETURNING returns nothing, as for any row a BEFORE trigger skips.
BEGIN;
SET LOCAL audit_fields.actor = 'carol';
DELETE FROM posts WHERE id = 2 RETURNING id;
SELECT deleted_by FROM posts WHERE id = 2;
COMMIT;

-- Deleting an already soft-deleted row changes nothing.
BEGIN;
SET LOCAL audit_fields.actor = 'dave';
SELECT pg_sleep(0.002) IS NOT NULL AS slept;
DELETE FROM posts WHERE id = 1;
SELECT deleted_at < now() AS deleted_kept, deleted_by, updated_by FROM posts WHERE id = 1;
COMMIT;

-- Multi-row DELETE: every live row soft-deleted once, deleted rows untouched.
BEGIN;
SET LOCAL audit_fields.actor = 'erin';
DELETE FROM posts WHERE id <= 4;
SELECT id, deleted_by, updated_by, deleted_at = now() AS deleted_now FROM posts ORDER BY id;
COMMIT;

-- The clock setting applies to the soft delete: deleted_at and updated_at agree.
BEGIN;
SET LOCAL audit_fields.actor = 'frank';
SET LOCAL audit_fields.clock = 'clock';
SELECT pg_sleep(0.002) IS NOT NULL AS slept;
DELETE FROM posts WHERE id = 5;
SELECT deleted_at > now() AS after_start, deleted_at = updated_at AS same_moment
FROM posts WHERE id = 5;
COMMIT;

-- Missing actor: the DELETE is refused and nothing changes.
DELETE FROM posts WHERE id = 6;
\echo :LAST_ERROR_SQLSTATE
SELECT deleted_at, deleted_by FROM posts WHERE id = 6;

-- Restore after a soft delete is an ordinary UPDATE.
BEGIN;
SET LOCAL audit_fields.actor = 'grace';
UPDATE posts SET deleted_at = NULL WHERE id = 1;
SELECT deleted_at, deleted_by, deleted_by_name, updated_by FROM posts WHERE id = 1;
COMMIT;

-- Other BEFORE UPDATE triggers see the soft delete as the UPDATE it is.
CREATE TABLE post_log (post_id int, old_deleted timestamptz, new_deleted timestamptz, actor text);
CREATE FUNCTION log_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO post_log VALUES (NEW.id, OLD.deleted_at, NEW.deleted_at,
                                 current_setting('audit_fields.actor'));
    RETURN NEW;
END $$;
CREATE TRIGGER log_update BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION log_update();
BEGIN;
SET LOCAL audit_fields.actor = 'heidi';
DELETE FROM posts WHERE id = 1;
SELECT post_id, old_deleted IS NULL AS was_live, new_deleted IS NOT NULL AS now_deleted, actor
FROM post_log;
COMMIT;
DROP TRIGGER log_update ON posts;

-- Through a simple view, DELETE is a soft delete as well.
CREATE VIEW live_posts AS SELECT id, body FROM posts WHERE deleted_at IS NULL;
BEGIN;
SET LOCAL audit_fields.actor = 'ivan';
DELETE FROM live_posts WHERE id = 6;
SELECT count(*) AS live FROM live_posts;
SELECT id, deleted_by FROM posts WHERE id = 6;
COMMIT;

-- A mapped deleted_at column name that needs quoting.
CREATE TABLE "Quoted Posts" (id int, created_at timestamptz, updated_at timestamptz,
                             "Removed At" timestamptz, deleted_by text);
SELECT audit_fields.enable('"Quoted Posts"', soft_delete => true,
                           column_map => '{"deleted_at": "Removed At"}');
INSERT INTO "Quoted Posts" (id) VALUES (1);
BEGIN;
SET LOCAL audit_fields.actor = 'judy';
DELETE FROM "Quoted Posts";
SELECT id, "Removed At" = now() AS removed_now, deleted_by FROM "Quoted Posts";
COMMIT;

-- The soft delete's own UPDATE does not resolve operators through the caller's search_path.
CREATE SCHEMA stamp_soft_delete_evil;
CREATE FUNCTION stamp_soft_delete_evil.tideq(tid, tid) RETURNS bool LANGUAGE plpgsql AS $$
BEGIN
    RAISE WARNING 'a search_path operator ran';
    RETURN $1 OPERATOR(pg_catalog.=) $2;
END $$;
CREATE OPERATOR stamp_soft_delete_evil.= (LEFTARG = tid, RIGHTARG = tid,
                                          FUNCTION = stamp_soft_delete_evil.tideq);
INSERT INTO "Quoted Posts" (id) VALUES (2);
BEGIN;
SET LOCAL audit_fields.actor = 'judy';
SET LOCAL search_path = stamp_soft_delete_evil, pg_catalog, stamp_soft_delete;
DELETE FROM "Quoted Posts" WHERE id = 2;
COMMIT;
SELECT id, "Removed At" IS NOT NULL AS removed FROM "Quoted Posts" ORDER BY id;
DROP SCHEMA stamp_soft_delete_evil CASCADE;

-- soft_delete => false (the default): DELETE removes the row; the trigger is not on DELETE.
CREATE TABLE hard (id int, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz);
SELECT audit_fields.enable('hard');
INSERT INTO hard (id) VALUES (1), (2);
DELETE FROM hard WHERE id = 1;
SELECT id FROM hard;

-- soft_delete needs a deleted_at column.
CREATE TABLE no_deleted_at (id int, created_at timestamptz, updated_at timestamptz);
SELECT audit_fields.enable('no_deleted_at', soft_delete => true);

-- deleted_at dropped after enable(): DELETE is refused rather than turned into a hard delete.
CREATE TABLE dropped (id int, created_at timestamptz, updated_at timestamptz,
                      deleted_at timestamptz);
SELECT audit_fields.enable('dropped', soft_delete => true);
INSERT INTO dropped (id) VALUES (1);
ALTER TABLE dropped DROP COLUMN deleted_at;
DELETE FROM dropped;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS kept FROM dropped;
-- re-enabling without soft_delete allows DELETE again
SELECT audit_fields.enable('dropped');
DELETE FROM dropped;
SELECT count(*) AS deleted FROM dropped;

-- Switching soft delete off again: DELETE removes rows.
SELECT audit_fields.enable('posts');
DELETE FROM posts WHERE id = 6;
SELECT count(*) FROM posts WHERE id = 6;

RESET search_path;
DROP SCHEMA stamp_soft_delete CASCADE;
