-- A small multi-tenant application, the way services usually define it (audit mixin on each table).
CREATE EXTENSION audit_fields;
CREATE SCHEMA app;
SET search_path = app, public;

CREATE TABLE tenants (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by text NOT NULL,
    updated_by text NOT NULL
);
CREATE TABLE content_plans (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES tenants,
    title text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    created_by_email text NOT NULL,
    created_by_name text,
    updated_by text,
    updated_by_name text,
    deleted_by text,
    deleted_by_name text
);
CREATE TABLE legacy_notes (id int, body text, created_at timestamp);

-- Enforcement moves into the database: one call per table.
SELECT audit_fields.enable('tenants');
SELECT audit_fields.enable('content_plans',
         column_map => '{"created_by": "created_by_email"}',
         soft_delete => true,
         on_created_change => 'reject');
SELECT schema_name, table_name, stamp_mode, soft_delete, on_created_change FROM audit_fields.tables;

-- 1. A service that forgot to say who it is: rejected, nothing written.
INSERT INTO tenants (id, name) VALUES (1, 'Acme');

-- 2. The same write with the actor set for the transaction (safe with connection pools).
BEGIN;
SET LOCAL audit_fields.actor = 'alice@example.com';
SET LOCAL audit_fields.actor_name = 'Alice';
INSERT INTO tenants (id, name, created_by, updated_by) VALUES (1, 'Acme', 'forged@evil.test', 'forged');
INSERT INTO content_plans (tenant_id, title) VALUES (1, 'Q1 launch'), (1, 'Q2 roadmap');
COMMIT;
SELECT id, name, created_by, updated_by, created_at = updated_at AS same_stamp FROM tenants;

-- 3. Bob edits a plan: updated_* name Bob, created_* stay Alice's.
BEGIN;
SELECT audit_fields.set_actor('bob@example.com', 'Bob');
UPDATE content_plans SET title = 'Q1 launch (final)' WHERE id = 1;
COMMIT;
SELECT id, title, created_by_email, created_by_name, updated_by, updated_by_name,
       updated_at > created_at AS updated_later
FROM content_plans ORDER BY id;

-- 4. Rewriting history is refused on this table (on_created_change => 'reject').
BEGIN;
SET LOCAL audit_fields.actor = 'mallory@example.com';
UPDATE content_plans SET created_by_email = 'mallory@example.com' WHERE id = 2;
ROLLBACK;

-- 5. DELETE becomes a soft delete that says who deleted.
BEGIN;
SET LOCAL audit_fields.actor = 'carol@example.com';
DELETE FROM content_plans WHERE id = 2;
COMMIT;
SELECT id, title, deleted_at IS NOT NULL AS deleted, deleted_by, updated_by FROM content_plans ORDER BY id;
