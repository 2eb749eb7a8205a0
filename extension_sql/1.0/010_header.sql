-- audit_fields install script, assembled by the Makefile from extension_sql/*.sql in name order.
\echo Use "CREATE EXTENSION audit_fields" to load this file. \quit

-- The schema audit_fields is created by CREATE EXTENSION (schema = audit_fields in the control file).
-- Its functions are for everyone; enable()/disable() still need the rights CREATE TRIGGER needs.
GRANT USAGE ON SCHEMA audit_fields TO PUBLIC;
