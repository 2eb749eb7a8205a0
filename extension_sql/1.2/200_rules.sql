-- The core library's rules, callable from SQL. enable_schema(), auto_enable's event trigger and
-- the audit_fields.tables view decide through these, with the very code scan(), the report view
-- and the audit-fields-scan CLI use, so they cannot disagree.

-- STABLE, not IMMUTABLE: a waiver's end date is compared with today.
CREATE FUNCTION audit_fields.parse_ignore_marker(comment text)
RETURNS text
LANGUAGE c
STABLE
STRICT
PARALLEL SAFE
AS 'MODULE_PATHNAME', 'audit_fields_parse_ignore_marker';
COMMENT ON FUNCTION audit_fields.parse_ignore_marker(text) IS
'The reason when a table comment carries the @audit_fields:ignore marker that takes the whole table out of the scanner, enable_schema() and auto_enable; NULL otherwise.';

CREATE FUNCTION audit_fields.trigger_options(tgargs bytea)
RETURNS jsonb
LANGUAGE c
IMMUTABLE
STRICT
PARALLEL SAFE
AS 'MODULE_PATHNAME', 'audit_fields_trigger_options';
COMMENT ON FUNCTION audit_fields.trigger_options(bytea) IS
'An audit_fields trigger''s arguments (pg_trigger.tgargs) as the trigger reads them: {"stamp_mode", "soft_delete", "on_created_change", "columns": {logical: physical}}, or {"error": ...} when they do not parse.';

CREATE FUNCTION audit_fields.in_scope(rel regclass)
RETURNS boolean
LANGUAGE c
STABLE
STRICT
PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'audit_fields_in_scope';
COMMENT ON FUNCTION audit_fields.in_scope(regclass) IS
'Whether the scanner, enable_schema() and auto_enable look at this table: an ordinary or partitioned table, not a partition (its parent covers it), not temporary, not in a system schema or the audit_fields schema, not a member of an extension.';

CREATE FUNCTION audit_fields._tables_in_scope(schemas name[] DEFAULT NULL)
RETURNS regclass[]
LANGUAGE c
STABLE
PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'audit_fields_tables_in_scope';
