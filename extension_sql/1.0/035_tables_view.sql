-- audit_fields.tables: one row per enabled table, read back from the trigger arguments (the only
-- place the configuration lives). Partitions are covered through their parent and not listed.

CREATE FUNCTION audit_fields._trigger_args(tgargs bytea)
RETURNS text[]
LANGUAGE sql
IMMUTABLE
STRICT
AS $$
    -- pg_trigger.tgargs holds the arguments NUL-terminated; 'escape' encoding shows NUL as \000
    -- and doubles backslashes.
    SELECT coalesce(array_agg(replace(a, '\\', '\') ORDER BY n), '{}')
    FROM unnest(string_to_array(encode(tgargs, 'escape'), '\000')) WITH ORDINALITY AS t(a, n)
    WHERE a <> '';
$$;

CREATE FUNCTION audit_fields._trigger_option(args text[], key text, default_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT coalesce((SELECT substr(a, length(key) + 2) FROM unnest(args) AS a
                     WHERE a LIKE key || '=%' LIMIT 1), default_value);
$$;

CREATE VIEW audit_fields.tables AS
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       c.oid::regclass AS relation,
       audit_fields._trigger_option(args, 'stamp_mode', 'force') AS stamp_mode,
       audit_fields._trigger_option(args, 'soft_delete', 'false')::boolean AS soft_delete,
       audit_fields._trigger_option(args, 'on_created_change', 'restore') AS on_created_change,
       (SELECT coalesce(jsonb_object_agg(logical, audit_fields._trigger_option(args, logical, logical)), '{}')
        FROM unnest(ARRAY['created_at', 'updated_at', 'deleted_at', 'created_by', 'created_by_name',
                          'updated_by', 'updated_by_name', 'deleted_by', 'deleted_by_name']) AS logical)
           AS columns,
       t.tgenabled <> 'D' AS trigger_enabled,
       c.relkind = 'p' AS partitioned,
       t.tgname AS trigger_name
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL audit_fields._trigger_args(t.tgargs) AS args
WHERE t.tgfoid = 'audit_fields.stamp()'::regprocedure
  AND NOT t.tgisinternal
  AND NOT c.relispartition;
COMMENT ON VIEW audit_fields.tables IS
'Tables enforced by audit_fields, with their configuration; columns maps each logical audit column to the physical name.';
GRANT SELECT ON audit_fields.tables TO PUBLIC;
