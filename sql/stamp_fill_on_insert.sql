-- stamp_mode => 'fill_on_insert': INSERT as fill (imports keep their historical values), UPDATE
-- as force (an ORM re-sending a stale row cannot name the wrong editor or change created_*).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_fill_on_insert;
SET search_path = stamp_fill_on_insert;
SET audit_fields.clock = 'statement';

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
SELECT audit_fields.enable('notes', stamp_mode => 'fill_on_insert', soft_delete => true);
SELECT stamp_mode, soft_delete FROM audit_fields.tables WHERE relation = 'notes'::regclass;

BEGIN;
SET LOCAL audit_fields.actor = 'importer';
-- An imported row keeps every value it brings...
INSERT INTO notes (id, body, created_at, updated_at, created_by, created_by_name, updated_by,
                   updated_by_name)
VALUES (1, 'imported', '2020-01-01 00:00+00', '2021-01-01 00:00+00', 'carol', 'Carol', 'dave',
        'Dave');
-- ...and what it leaves out is stamped.
INSERT INTO notes (id, body, created_at, created_by) VALUES (2, 'partial', '2020-06-01 00:00+00', 'erin');
INSERT INTO notes (id, body) VALUES (3, 'new');
COMMIT;
SELECT id, CASE WHEN created_at < '2021-01-01' THEN created_at::text ELSE 'stamped' END AS created_at,
       updated_at = created_at AS updated_is_created, created_by, created_by_name,
       updated_by, updated_by_name
FROM notes ORDER BY id;
SELECT id, updated_at > '2021-01-01' AS updated_stamped, created_at > '2021-01-01' AS created_stamped
FROM notes WHERE id IN (2, 3) ORDER BY id;

-- UPDATE is force: the stale updated_by/updated_at an ORM re-sends are overwritten, and created_*
-- is restored even where the client sends other values.
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
UPDATE notes SET body = 'edited', updated_by = 'dave', updated_by_name = 'Dave',
                 updated_at = '2021-01-01 00:00+00', created_by = 'mallory',
                 created_at = '1999-01-01 00:00+00'
WHERE id = 1;
COMMIT;
SELECT id, body, created_at, created_by, updated_by, updated_by_name,
       updated_at > '2021-01-01' AS updated_stamped
FROM notes WHERE id = 1;

-- A created_* value that was NULL is not filled by an UPDATE (fill would): UPDATE is force.
SET audit_fields.enabled = off;
UPDATE notes SET created_by_name = NULL WHERE id = 2;
RESET audit_fields.enabled;
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
UPDATE notes SET created_by_name = 'Filled' WHERE id = 2;
COMMIT;
SELECT created_by_name FROM notes WHERE id = 2;

-- A soft delete is an UPDATE: the deleter is the actor, whatever the client put there.
BEGIN;
SET LOCAL audit_fields.actor = 'bob';
UPDATE notes SET deleted_at = '2000-01-01 00:00+00', deleted_by = 'nobody' WHERE id = 3;
DELETE FROM notes WHERE id = 1;
COMMIT;
SELECT id, deleted_at > '2000-01-02' AS deleted_at_stamped, deleted_by, updated_by
FROM notes WHERE id IN (1, 3) ORDER BY id;

-- An import of an already deleted row keeps its deletion.
BEGIN;
SET LOCAL audit_fields.actor = 'importer';
INSERT INTO notes (id, deleted_at, deleted_by) VALUES (4, '2019-01-01 00:00+00', 'frank');
COMMIT;
SELECT id, deleted_at, deleted_by, deleted_by_name FROM notes WHERE id = 4;

-- Bad spellings are refused, naming the accepted values.
SELECT audit_fields.enable('notes', stamp_mode => 'fill-on-insert');
\echo :LAST_ERROR_SQLSTATE

RESET audit_fields.clock;
DROP SCHEMA stamp_fill_on_insert CASCADE;
