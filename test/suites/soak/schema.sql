-- The soak test's table. The audit columns are deliberately nullable: only the trigger keeps them
-- filled. writer/writer_name/creator/inserted_at are the client's own record of who it claimed to
-- be in the transaction that last wrote (or created) the row, to compare against the stamps.
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA soak;
CREATE TABLE soak.items (
    id bigserial PRIMARY KEY,
    payload bigint NOT NULL DEFAULT 0,
    writer text NOT NULL,
    writer_name text NOT NULL,
    creator text NOT NULL,
    inserted_at timestamptz NOT NULL,
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
SELECT audit_fields.enable('soak.items', soft_delete => true);
BEGIN;
SELECT audit_fields.set_actor('seed', 'Seed');
INSERT INTO soak.items (writer, writer_name, creator, inserted_at)
SELECT 'seed', 'Seed', 'seed', now() FROM generate_series(1, 2000);
COMMIT;
