SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA enable_test;
SET search_path = enable_test;

CREATE TABLE users (
    id int PRIMARY KEY,
    email text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by text NOT NULL,
    updated_by text
);
SELECT audit_fields.enable('users');
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'users'::regclass;
-- idempotent: the second call replaces the configuration, leaves one trigger
SELECT audit_fields.enable('users', stamp_mode => 'fill');
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'users'::regclass;

BEGIN;
SET LOCAL audit_fields.actor = 'alice@example.com';
INSERT INTO users (id, email) VALUES (1, 'a@example.com');
SELECT created_by, updated_by, created_at = now() AS created_now, updated_at = now() AS updated_now
FROM users;
COMMIT;

-- a table without created_at and updated_at is refused, naming the table
CREATE TABLE plain (id int);
SELECT audit_fields.enable('plain');
-- a column of an unusable type is refused, naming the column
CREATE TABLE wrong_type (id int, created_at date, updated_at timestamptz);
SELECT audit_fields.enable('wrong_type');
-- a mapped column must exist
SELECT audit_fields.enable('users', column_map => '{"created_by": "created_by_email"}');
-- bad option values name the option
SELECT audit_fields.enable('users', stamp_mode => 'always');

SELECT audit_fields.disable('users');
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'users'::regclass;
SELECT audit_fields.disable('users'); -- disabling twice is fine

RESET search_path;
DROP SCHEMA enable_test CASCADE;
