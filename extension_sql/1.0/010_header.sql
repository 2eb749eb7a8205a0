-- audit_fields 1.0: the Makefile concatenates extension_sql/1.0/*.sql, in name order, into the
-- install script audit_fields--1.0.sql (and at the head of every later version's install script).
\echo Use "CREATE EXTENSION audit_fields" to load this file. \quit

-- The schema audit_fields is created by CREATE EXTENSION (schema = audit_fields in the control file).
-- Its functions are for everyone; enable()/disable() still need the rights CREATE TRIGGER needs.
GRANT USAGE ON SCHEMA audit_fields TO PUBLIC;
