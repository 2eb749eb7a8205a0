-- The scanner's SQL front end. The rules live once, in the C++ core shared with the
-- audit-fields-scan CLI; these functions read the catalogs with the same queries.

CREATE FUNCTION audit_fields.scan(schemas name[] DEFAULT NULL)
RETURNS TABLE (schema_name name, table_name name, check_id text, severity text, message text,
               remediation text)
LANGUAGE c
STABLE
PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'audit_fields_scan';
COMMENT ON FUNCTION audit_fields.scan(name[]) IS
'One row per finding (checks AF001-AF008) for every table in the given schemas (all but system schemas when NULL); partitions are reported through their parent.';

CREATE FUNCTION audit_fields._report(schemas name[] DEFAULT NULL)
RETURNS TABLE (schema_name name, table_name name, kind text, status text,
               columns_present text[], columns_missing text[], trigger text,
               ignore_reason text, findings integer, checks text[])
LANGUAGE c
STABLE
PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'audit_fields_report';

CREATE VIEW audit_fields.report AS
SELECT schema_name, table_name, kind, status, columns_present, columns_missing, trigger,
       ignore_reason, findings, checks
FROM audit_fields._report(NULL);
COMMENT ON VIEW audit_fields.report IS
'One row per table: status ok | warning | error | ignored, audit columns present and missing, trigger state (enabled | disabled | misconfigured | missing), the ignore reason, and the ids of its findings (details in audit_fields.scan()).';
GRANT SELECT ON audit_fields.report TO PUBLIC;
