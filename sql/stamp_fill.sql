-- stamp_mode => 'fill': only missing values are filled (docs/contract.md, decision table, "fill" column).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_fill;
SET search_path = stamp_fill;

CREATE TABLE items (
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
SELECT audit_fields.enable('items', stamp_mode => 'fill');
SELECT stamp_mode FROM audit_fields.tables WHERE relation = 'items'::regclass;

-- INSERT: non-NULL client values are kept, NULL ones filled.
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
SET LOCAL audit_fields.actor_name = 'Alice';
INSERT INTO items (id) VALUES (1);
INSERT INTO items (id, created_at, updated_at, created_by, created_by_name, updated_by)
VALUES (2, '2020-01-01 00:00+00', '2020-01-02 00:00+00', 'importer', 'Importer', 'importer');
SELECT id, created_at = now() AS created_now, created_at = '2020-01-01 00:00+00' AS created_client,
       updated_at = now() AS updated_now, created_by, created_by_name, updated_by, updated_by_name
FROM items ORDER BY id;
COMMIT;

-- INSERT with deleted_at non-NULL: deleted_by(_name) = actor unless the client sent them; a live
-- row's client-sent deleted_by is kept in fill mode.
BEGIN;
SET LOCAL audit_fields.actor = 'bob';
INSERT INTO items (id, deleted_at) VALUES (3, '2020-03-03 00:00+00');
INSERT INTO items (id, deleted_at, deleted_by) VALUES (4, '2020-03-03 00:00+00', 'importer');
INSERT INTO items (id, deleted_by) VALUES (5, 'importer');
SELECT id, deleted_at = '2020-03-03 00:00+00' AS client_deleted_at, deleted_by, deleted_by_name
FROM items WHERE id IN (3, 4, 5) ORDER BY id;
COMMIT;

-- No actor needed when the client supplied every actor column.
BEGIN;
INSERT INTO items (id, created_by, created_by_name, updated_by, updated_by_name)
VALUES (6, 'importer', 'Importer', 'importer', 'Importer');
SELECT created_by, updated_by, created_at = now() AS created_now FROM items WHERE id = 6;
COMMIT;

-- UPDATE: updated_* stamped only where the client left them unchanged (or set them to NULL).
BEGIN;
SET LOCAL audit_fields.actor = 'carol';
UPDATE items SET body = 'touched' WHERE id = 2;
SELECT updated_at = now() AS updated_now, updated_by, updated_by_name FROM items WHERE id = 2;
COMMIT;
BEGIN;
SET LOCAL audit_fields.actor = 'dave';
UPDATE items SET updated_at = '2021-01-01 00:00+00', updated_by = 'sync', updated_by_name = NULL
WHERE id = 2;
SELECT updated_at = '2021-01-01 00:00+00' AS updated_client, updated_by, updated_by_name
FROM items WHERE id = 2;
COMMIT;

-- created_* are still restored to OLD when changed...
BEGIN;
SET LOCAL audit_fields.actor = 'erin';
UPDATE items SET created_by = 'mallory', created_at = '1999-01-01' WHERE id = 2;
SELECT created_by, created_at = '2020-01-01 00:00+00' AS created_kept FROM items WHERE id = 2;
COMMIT;
-- ...but a created_* value that was NULL in OLD may be filled by the client.
SET audit_fields.enabled = off;
INSERT INTO items (id) VALUES (7);
RESET audit_fields.enabled;
BEGIN;
SET LOCAL audit_fields.actor = 'frank';
UPDATE items SET created_by = 'backfill', created_at = '2019-01-01 00:00+00' WHERE id = 7;
SELECT created_by, created_at = '2019-01-01 00:00+00' AS created_filled, created_by_name,
       updated_by
FROM items WHERE id = 7;
COMMIT;

-- Soft delete by UPDATE: deleted_at kept as sent, deleted_by* = actor if the client left them.
BEGIN;
SET LOCAL audit_fields.actor = 'grace';
UPDATE items SET deleted_at = '2022-02-02 00:00+00' WHERE id = 1;
UPDATE items SET deleted_at = '2022-02-02 00:00+00', deleted_by = 'sync' WHERE id = 2;
SELECT id, deleted_at = '2022-02-02 00:00+00' AS deleted_client, deleted_by, deleted_by_name,
       updated_by
FROM items WHERE id IN (1, 2) ORDER BY id;
COMMIT;

-- Already deleted: deleted_* keep OLD values in fill mode too.
BEGIN;
SET LOCAL audit_fields.actor = 'heidi';
UPDATE items SET deleted_at = '2023-03-03 00:00+00', deleted_by = 'mallory' WHERE id = 1;
SELECT deleted_at = '2022-02-02 00:00+00' AS deleted_kept, deleted_by FROM items WHERE id = 1;
COMMIT;

-- Restore: deleted_by* cleared.
BEGIN;
SET LOCAL audit_fields.actor = 'ivan';
UPDATE items SET deleted_at = NULL WHERE id = 1;
SELECT deleted_at, deleted_by, deleted_by_name, updated_by FROM items WHERE id = 1;
COMMIT;

-- fill + on_created_change => 'reject': changing a set created_* is an error, filling a NULL one
-- is not.
SELECT audit_fields.enable('items', stamp_mode => 'fill', on_created_change => 'reject');
SET audit_fields.enabled = off;
INSERT INTO items (id, created_by) VALUES (8, 'alice');
RESET audit_fields.enabled;
SET audit_fields.actor = 'judy';
UPDATE items SET created_by = 'mallory' WHERE id = 8;
\echo :LAST_ERROR_SQLSTATE
UPDATE items SET created_by_name = 'Alice' WHERE id = 8;
SELECT created_by, created_by_name FROM items WHERE id = 8;
RESET audit_fields.actor;

RESET search_path;
DROP SCHEMA stamp_fill CASCADE;
