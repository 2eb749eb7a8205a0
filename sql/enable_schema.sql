SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA "App Schema";
SET search_path = "App Schema";

CREATE TABLE "Users" (id int, created_at timestamptz, updated_at timestamptz, created_by text);
CREATE TABLE orders (id int, created_at timestamptz, updated_at timestamptz);
CREATE TABLE configured (id int, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz);
SELECT audit_fields.enable('configured', soft_delete => true, stamp_mode => 'fill');
CREATE TABLE lookup (code text);                                 -- no audit columns: not a candidate
CREATE TABLE broken (id int, created_at date, updated_at timestamptz); -- unusable type
CREATE TABLE legacy (id int, created_at timestamptz);
COMMENT ON TABLE legacy IS 'imported nightly @audit_fields:ignore owned by the ETL job';
CREATE TABLE events (id int, created_at timestamptz, updated_at timestamptz) PARTITION BY RANGE (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100);

SELECT * FROM audit_fields.enable_schema('App Schema');
-- the existing configuration was kept
SELECT table_name, stamp_mode, soft_delete FROM audit_fields.tables
WHERE schema_name = 'App Schema' ORDER BY table_name;
-- running it again changes nothing
SELECT * FROM audit_fields.enable_schema('App Schema');
SELECT audit_fields.enable_schema('no_such_schema');

RESET search_path;
DROP SCHEMA "App Schema" CASCADE;
