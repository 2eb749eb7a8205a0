-- audit_fields.stamp() on UPDATE in force mode: docs/contract.md, rows "UPDATE", "UPDATE deleted_at NULL ->
-- non-NULL (soft delete)", "UPDATE deleted_at non-NULL -> NULL (restore)", "UPDATE of an already
-- deleted row"; created_* immutability, restored or rejected.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_update;
SET search_path = stamp_update;

CREATE TABLE notes (
    id int PRIMARY KEY,
    body text,
    created_at timestamptz,
    updated_at timestamptz,
    deleted_at timestamptz,
    created_by text,
    created_by_name text,
    updated_by text,
    updated_by_name text,
    deleted_by text,
    deleted_by_name text
);
SELECT audit_fields.enable('notes');
-- Rows created in 2020 by alice: written with the trigger off, as a restore would.
SET audit_fields.enabled = off;
INSERT INTO notes (id, body, created_at, updated_at, created_by, created_by_name, updated_by,
                   updated_by_name)
SELECT g, 'v1', '2020-01-01 00:00+00', '2020-01-01 00:00+00', 'alice', 'Alice', 'alice', 'Alice'
FROM generate_series(1, 4) AS g;
RESET audit_fields.enabled;

-- UPDATE: updated_* = clock and actor; created_* kept.
BEGIN;
SET LOCAL audit_fields.actor = 'bob';
SET LOCAL audit_fields.actor_name = 'Bob';
UPDATE notes SET body = 'v2' WHERE id = 1;
SELECT id, body, created_at = '2020-01-01 00:00+00' AS created_kept, updated_at = now() AS updated_now,
       created_by, created_by_name, updated_by, updated_by_name, deleted_at, deleted_by
FROM notes WHERE id = 1;
COMMIT;

-- Client-sent updated_* are overwritten; changed created_* are restored to OLD.
BEGIN;
SET LOCAL audit_fields.actor = 'carol';
UPDATE notes SET created_at = '2001-01-01', created_by = 'mallory', created_by_name = NULL,
                 updated_at = '2001-01-01', updated_by = 'mallory', updated_by_name = 'Mallory'
WHERE id = 2;
SELECT created_at = '2020-01-01 00:00+00' AS created_kept, created_by, created_by_name,
       updated_at = now() AS updated_now, updated_by, updated_by_name
FROM notes WHERE id = 2;
COMMIT;

-- An UPDATE that changes nothing still records who touched the row and when.
BEGIN;
SET LOCAL audit_fields.actor = 'dave';
UPDATE notes SET body = body WHERE id = 3;
SELECT updated_at = now() AS updated_now, updated_by FROM notes WHERE id = 3;
COMMIT;

-- A live row keeps no deleter: deleted_by* sent by the client are put back.
BEGIN;
SET LOCAL audit_fields.actor = 'erin';
UPDATE notes SET deleted_by = 'mallory', deleted_by_name = 'Mallory' WHERE id = 3;
SELECT deleted_at, deleted_by, deleted_by_name, updated_by FROM notes WHERE id = 3;
COMMIT;

-- Soft delete by UPDATE: deleted_at = the clock (whatever value was sent), deleted_by* = actor,
-- updated_* too.
BEGIN;
SET LOCAL audit_fields.actor = 'frank';
SET LOCAL audit_fields.actor_name = 'Frank';
UPDATE notes SET deleted_at = '2001-01-01', deleted_by = 'mallory' WHERE id = 4;
SELECT deleted_at = now() AS deleted_now, deleted_by, deleted_by_name,
       updated_at = now() AS updated_now, updated_by, created_by
FROM notes WHERE id = 4;
COMMIT;

-- UPDATE of an already deleted row: deleted_* keep their OLD values; updated_* still move.
BEGIN;
SET LOCAL audit_fields.actor = 'grace';
SELECT pg_sleep(0.002) IS NOT NULL AS slept;
UPDATE notes SET body = 'edited while deleted', deleted_at = '2001-01-01', deleted_by = 'mallory',
                 deleted_by_name = NULL
WHERE id = 4;
SELECT deleted_at < now() AS deleted_kept, deleted_by, deleted_by_name, updated_at = now() AS updated_now,
       updated_by
FROM notes WHERE id = 4;
COMMIT;

-- Restore: deleted_at back to NULL clears deleted_by*.
BEGIN;
SET LOCAL audit_fields.actor = 'heidi';
UPDATE notes SET deleted_at = NULL WHERE id = 4;
SELECT deleted_at, deleted_by, deleted_by_name, updated_by, updated_at = now() AS updated_now
FROM notes WHERE id = 4;
COMMIT;

-- Multi-row UPDATE: every row stamped, each keeps its own created_*.
BEGIN;
SET LOCAL audit_fields.actor = 'ivan';
UPDATE notes SET body = 'bulk';
SELECT id, created_by, updated_by, updated_at = now() AS updated_now FROM notes ORDER BY id;
COMMIT;

-- on_created_change => 'reject': changing a created_* column is an error (23514) naming the
-- column and the table; other updates go through.
SELECT audit_fields.enable('notes', on_created_change => 'reject');
SET audit_fields.actor = 'judy';
UPDATE notes SET created_by = 'mallory' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE notes SET created_at = created_at + interval '1 second' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
UPDATE notes SET created_by_name = NULL WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
-- setting created_* to the value it already has is not a change
UPDATE notes SET created_by = 'alice', body = 'same creator' WHERE id = 1;
SELECT body, created_by, updated_by FROM notes WHERE id = 1;
RESET audit_fields.actor;

-- created_* that is NULL in OLD (a row written with the trigger off) stays NULL in force mode.
SELECT audit_fields.enable('notes');
SET audit_fields.enabled = off;
INSERT INTO notes (id, body) VALUES (5, 'legacy');
RESET audit_fields.enabled;
BEGIN;
SET LOCAL audit_fields.actor = 'ken';
UPDATE notes SET created_by = 'ken', created_at = now() WHERE id = 5;
SELECT created_at, created_by, updated_by FROM notes WHERE id = 5;
COMMIT;

RESET search_path;
DROP SCHEMA stamp_update CASCADE;
