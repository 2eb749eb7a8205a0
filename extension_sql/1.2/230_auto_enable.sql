-- auto_enable's event trigger: the tables in scope and the ignore marker are decided by the core
-- library (in_scope, parse_ignore_marker), as in the scanner and enable_schema(); before 1.2 each
-- was a regular expression of its own. Which tables match and the options they get are
-- auto_enable's defaults (130_auto_enable_defaults.sql).

CREATE OR REPLACE FUNCTION audit_fields._auto_enable_ddl()
RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    target regclass;
BEGIN
    FOR target IN
        SELECT DISTINCT c.oid::regclass
        FROM pg_event_trigger_ddl_commands() AS cmd
        JOIN pg_class c ON c.oid = cmd.objid
        WHERE cmd.classid = 'pg_class'::regclass
          AND audit_fields.in_scope(c.oid)
          AND audit_fields._auto_enable_matches(c.oid)
          AND NOT EXISTS (SELECT FROM pg_trigger t
                          WHERE t.tgrelid = c.oid AND t.tgfoid = 'audit_fields.stamp()'::regprocedure)
          AND audit_fields.parse_ignore_marker(obj_description(c.oid, 'pg_class')) IS NULL
    LOOP
        BEGIN
            PERFORM audit_fields._auto_enable_table(target);
            RAISE NOTICE 'audit_fields: enabled %', target;
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'audit_fields: could not enable % automatically: %', target, SQLERRM
                USING HINT = 'Fix the table, then run audit_fields.enable(); audit-fields-scan reports it until then.';
        END;
    END LOOP;
END;
$$;
