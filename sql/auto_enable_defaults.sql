-- auto_enable(true, defaults => jsonb): the options used for the tables it enables, camelCase
-- column maps included.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA auto_defaults;
SET search_path = auto_defaults;
\set SHOW_CONTEXT never

-- Defaults are checked when given, by the parser enable() uses; nothing is stored on error.
SELECT audit_fields.auto_enable(true, defaults => '{"stamp_mode": "sometimes"}');
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.auto_enable(true, defaults => '{"colour": "blue"}');
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.auto_enable(true, defaults => '{"soft_delete": "yes"}');
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.auto_enable(true, defaults => '{"column_map": {"created_at": 1}}');
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.auto_enable(true, defaults => '{"missing_actor": "ignore"}');
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.auto_enable(true, defaults => '[]');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS stored FROM audit_fields.auto_enable_defaults;

-- The Sequelize/TypeORM convention, with a rollout policy and soft delete.
SELECT audit_fields.auto_enable(true, defaults => '{
    "column_map": {"created_at": "createdAt", "updated_at": "updatedAt", "deleted_at": "deletedAt",
                   "created_by": "createdBy", "updated_by": "updatedBy", "deleted_by": "deletedBy"},
    "stamp_mode": "fill_on_insert",
    "soft_delete": true,
    "missing_actor": "warn"}');
SELECT defaults -> 'stamp_mode' AS stamp_mode FROM audit_fields.auto_enable_defaults;

-- A camelCase table matches (it has the audit columns after the map) and gets every option.
CREATE TABLE "Users" (id serial PRIMARY KEY, email text, "createdAt" timestamptz NOT NULL,
                      "updatedAt" timestamptz NOT NULL, "deletedAt" timestamptz,
                      "createdBy" text, "updatedBy" text, "deletedBy" text);
-- Only some mapped columns present: the others fall back to their own names; no deletedAt, so
-- no soft delete.
CREATE TABLE "Tags" (id serial PRIMARY KEY, "createdAt" timestamptz, "updatedAt" timestamptz);
-- snake_case tables still match: the map applies where its column exists.
CREATE TABLE legacy (id int, created_at timestamptz, updated_at timestamptz, created_by text);
-- Neither name: left alone.
CREATE TABLE lookup (code text PRIMARY KEY, "createdOn" timestamptz);
SELECT table_name, stamp_mode, soft_delete, missing_actor,
       columns ->> 'created_at' AS created_at, columns ->> 'created_by' AS created_by,
       columns ->> 'deleted_at' AS deleted_at
FROM audit_fields.tables WHERE schema_name = 'auto_defaults' ORDER BY table_name;

-- The table works as configured: fill_on_insert keeps an imported createdAt; no actor warns.
INSERT INTO "Users" (email, "createdAt", "updatedAt")
VALUES ('a@example.com', '2020-01-01 00:00+00', '2020-01-01 00:00+00');
SELECT email, "createdAt", "updatedAt" = "createdAt" AS kept, "createdBy" = session_user AS by
FROM "Users";
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
UPDATE "Users" SET email = 'b@example.com', "updatedBy" = 'mallory';
DELETE FROM "Users";
COMMIT;
SELECT email, "updatedBy", "deletedBy", "deletedAt" IS NOT NULL AS soft_deleted FROM "Users";

-- auto_enable(true) without defaults keeps them; '{}' clears them.
SELECT audit_fields.auto_enable(true);
SELECT defaults ? 'column_map' AS kept FROM audit_fields.auto_enable_defaults;
SELECT audit_fields.auto_enable(true, defaults => '{}');
CREATE TABLE "Posts" (id int, "createdAt" timestamptz, "updatedAt" timestamptz);
CREATE TABLE posts_snake (id int, created_at timestamptz);
SELECT table_name, stamp_mode, missing_actor FROM audit_fields.tables
WHERE schema_name = 'auto_defaults' AND table_name IN ('Posts', 'posts_snake') ORDER BY 1;

SELECT audit_fields.auto_enable(false);
DROP SCHEMA auto_defaults CASCADE;
DELETE FROM audit_fields.auto_enable_defaults;
