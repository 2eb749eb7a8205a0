-- Actor columns of any type with an input function; a value that does not fit is an error naming
-- the column, never a silent truncation.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_actor_types;
SET search_path = stamp_actor_types;

CREATE TYPE role_kind AS ENUM ('system', 'admin');
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');

-- uuid actor, varchar(n) name.
CREATE TABLE by_uuid (id int, created_at timestamptz, updated_at timestamptz,
                      created_by uuid, created_by_name varchar(8), updated_by uuid);
SELECT audit_fields.enable('by_uuid');
BEGIN;
SET LOCAL audit_fields.actor = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
SET LOCAL audit_fields.actor_name = 'Alice';
INSERT INTO by_uuid (id) VALUES (1);
SELECT created_by, created_by_name, updated_by, pg_typeof(created_by) FROM by_uuid;
COMMIT;
-- Not a uuid: 22P02, naming the column and the table.
BEGIN;
SET LOCAL audit_fields.actor = 'alice@example.com';
INSERT INTO by_uuid (id) VALUES (2);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- Too long for varchar(8): 22001, no truncation. actor_name is the one that does not fit.
BEGIN;
SET LOCAL audit_fields.actor = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
SET LOCAL audit_fields.actor_name = 'Alexandra Longname';
INSERT INTO by_uuid (id) VALUES (3);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- With no actor_name, the name column receives the actor, which must fit too.
BEGIN;
SET LOCAL audit_fields.actor = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
INSERT INTO by_uuid (id) VALUES (4);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT count(*) FROM by_uuid;

-- integer and bigint user ids.
CREATE TABLE by_int (id int, created_at timestamptz, updated_at timestamptz,
                     created_by int, updated_by bigint);
SELECT audit_fields.enable('by_int');
BEGIN;
SET LOCAL audit_fields.actor = '42';
INSERT INTO by_int (id) VALUES (1);
SET LOCAL audit_fields.actor = '9000000000';
UPDATE by_int SET id = 2;
SELECT id, created_by, updated_by FROM by_int;
INSERT INTO by_int (id) VALUES (3); -- 9000000000 does not fit created_by integer
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SET LOCAL audit_fields.actor = 'bob';
INSERT INTO by_int (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- varchar(n) actor, char(n), enum and a domain with a CHECK constraint.
CREATE TABLE by_misc (id int, created_at timestamptz, updated_at timestamptz,
                      created_by varchar(5), created_by_name char(6), updated_by role_kind,
                      deleted_at timestamptz, deleted_by email);
SELECT audit_fields.enable('by_misc');
BEGIN;
SET LOCAL audit_fields.actor = 'admin';
INSERT INTO by_misc (id) VALUES (1);
SELECT created_by, '[' || created_by_name::text || ']' AS name, updated_by, pg_typeof(updated_by)
FROM by_misc;
-- Not a label of the enum.
SET LOCAL audit_fields.actor = 'root';
INSERT INTO by_misc (id) VALUES (2);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SET LOCAL audit_fields.actor = 'sysadmin'; -- 8 characters, created_by is varchar(5)
INSERT INTO by_misc (id) VALUES (3);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- The domain's CHECK applies to the actor written into deleted_by.
SET audit_fields.enabled = off;
INSERT INTO by_misc (id, created_by, updated_by) VALUES (4, 'x', 'admin');
RESET audit_fields.enabled;
BEGIN;
SET LOCAL audit_fields.actor = 'admin';
UPDATE by_misc SET deleted_at = now() WHERE id = 4;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- The same statement converts the actor once per column and reuses it for every row; a new
-- actor in the next statement is converted again.
CREATE TABLE bulk (id int, created_at timestamptz, updated_at timestamptz, created_by uuid,
                   updated_by text);
SELECT audit_fields.enable('bulk');
BEGIN;
SET LOCAL audit_fields.actor = '11111111-1111-1111-1111-111111111111';
INSERT INTO bulk (id) SELECT g FROM generate_series(1, 1000) AS g;
SET LOCAL audit_fields.actor = '22222222-2222-2222-2222-222222222222';
UPDATE bulk SET id = id WHERE id > 500;
SELECT created_by, updated_by, count(*) FROM bulk GROUP BY 1, 2 ORDER BY 2;
COMMIT;

-- A column changed to an unusable type after enable(): the trigger names it.
CREATE TABLE drifted (id int, created_at timestamptz, updated_at timestamptz, created_by text);
SELECT audit_fields.enable('drifted');
ALTER TABLE drifted ALTER COLUMN created_by TYPE text[] USING ARRAY[created_by];
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
INSERT INTO drifted (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- A converted actor is reused while its text stays the same, but not past a change to its
-- domain: a constraint added later (NOT VALID: old rows are not checked) applies to the next row.
CREATE DOMAIN handle AS text;
CREATE TABLE by_handle (id int, created_at timestamptz, created_by handle);
SELECT audit_fields.enable('by_handle');
SET audit_fields.actor = 'root';
INSERT INTO by_handle (id) VALUES (1);
ALTER DOMAIN handle ADD CONSTRAINT not_root CHECK (VALUE <> 'root') NOT VALID;
INSERT INTO by_handle (id) VALUES (2);
\echo :LAST_ERROR_SQLSTATE
SELECT id, created_by FROM by_handle ORDER BY id;
RESET audit_fields.actor;

RESET search_path;
DROP SCHEMA stamp_actor_types CASCADE;
