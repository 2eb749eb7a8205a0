-- scan(schemas, config): the configuration the CLI reads from .audit-fields.toml, as a JSON object
-- with the same keys (fail_on, exclude, aliases, checks), validated by the same core function.
-- scan(name[]) goes; scan() and scan(ARRAY[...]) keep working through the defaults.

DROP FUNCTION audit_fields.scan(name[]);
CREATE FUNCTION audit_fields.scan(schemas name[] DEFAULT NULL, config jsonb DEFAULT NULL)
RETURNS TABLE (schema_name name, table_name name, check_id text, severity text, message text,
               remediation text)
LANGUAGE c
STABLE
PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'audit_fields_scan';
COMMENT ON FUNCTION audit_fields.scan(name[], jsonb) IS
'One row per finding (checks AF001-AF013) for every table in the given schemas (all but system schemas when NULL), under an optional configuration with the keys of .audit-fields.toml: {"exclude": [...], "aliases": {...}, "checks": {"AF001": "warning"}}; partitions are reported through their parent.';
