-- audit_fields.tables reads each trigger's arguments with the core's parser
-- (trigger_options()), the one the trigger itself uses; before 1.2 a SQL copy matched keys with
-- LIKE key || '=%', where "_" is a wildcard. A configuration that does not parse shows NULL
-- options (the scanner reports it as AF007).

CREATE OR REPLACE VIEW audit_fields.tables AS
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       c.oid::regclass AS relation,
       opts.o ->> 'stamp_mode' AS stamp_mode,
       (opts.o ->> 'soft_delete')::boolean AS soft_delete,
       opts.o ->> 'on_created_change' AS on_created_change,
       opts.o -> 'columns' AS columns,
       t.tgenabled <> 'D' AS trigger_enabled,
       c.relkind = 'p' AS partitioned,
       t.tgname AS trigger_name,
       opts.o ->> 'missing_actor' AS missing_actor
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL audit_fields.trigger_options(t.tgargs) AS opts(o)
WHERE t.tgfoid = 'audit_fields.stamp()'::pg_catalog.regprocedure
  AND NOT t.tgisinternal
  AND NOT c.relispartition;

DROP FUNCTION audit_fields._trigger_option(text[], text, text);
DROP FUNCTION audit_fields._trigger_args(bytea);
