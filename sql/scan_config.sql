-- audit_fields.scan(schemas, config): the configuration of .audit-fields.toml as a JSON object,
-- validated by the core's parser (errors name the key).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA cfg;
CREATE TABLE cfg.sessions (id int);
CREATE TABLE cfg.posts (id int, created_at timestamptz, changed timestamptz);
SELECT table_name, check_id, severity FROM audit_fields.scan(ARRAY['cfg']) ORDER BY 1, 2;
SELECT table_name, check_id, severity FROM audit_fields.scan(ARRAY['cfg'], '{"exclude": ["cfg.sessions"], "aliases": {"updated_at": ["changed"]}, "checks": {"AF002": "off", "AF006": "warning"}}') ORDER BY 1, 2;
SELECT * FROM audit_fields.scan(NULL, '{"checks": {"AF999": "off"}}');
SELECT * FROM audit_fields.scan(NULL, '[1]');
-- what enable_schema(), auto_enable and the tables view call: the core's rules
SELECT audit_fields.parse_ignore_marker('old @audit_fields:ignore archived'), audit_fields.parse_ignore_marker('@audit_fields:ignored x') IS NULL AS not_a_marker;
SELECT audit_fields.in_scope('cfg.posts'), audit_fields.in_scope('pg_class');
DROP SCHEMA cfg CASCADE;
