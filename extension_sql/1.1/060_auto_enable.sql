-- audit_fields.auto_enable(true): an event trigger that enables every table a later migration
-- creates or alters, when it has created_at or updated_at and no audit_fields trigger yet.
-- Opt-in (event triggers are superuser-only and affect every DDL statement). Tables are left
-- alone when they already have the trigger (even disabled: that was someone's decision), are
-- partitions (covered through their parent), temporary, members of an extension, or carry the
-- @audit_fields:ignore marker. A table enable() refuses (unusable column type) gets a WARNING,
-- not an error: the migration goes on and the scanner reports AF004.

CREATE FUNCTION audit_fields._auto_enable_ddl()
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
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE cmd.classid = 'pg_class'::regclass
          AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence <> 't'
          AND n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'audit_fields')
          AND EXISTS (SELECT FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                        AND a.attname IN ('created_at', 'updated_at'))
          AND NOT EXISTS (SELECT FROM pg_trigger t
                          WHERE t.tgrelid = c.oid AND t.tgfoid = 'audit_fields.stamp()'::regprocedure)
          AND NOT EXISTS (SELECT FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          AND coalesce(obj_description(c.oid, 'pg_class'), '') !~ '(^|\s)@audit_fields:ignore(\s|:|$)'
    LOOP
        BEGIN
            PERFORM audit_fields.enable(target);
            RAISE NOTICE 'audit_fields: enabled %', target;
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'audit_fields: could not enable % automatically: %', target, SQLERRM
                USING HINT = 'Fix the table, then run audit_fields.enable(); audit-fields-scan reports it until then.';
        END;
    END LOOP;
END;
$$;

CREATE FUNCTION audit_fields.auto_enable(enabled boolean DEFAULT true)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF enabled IS NULL THEN
        RAISE EXCEPTION 'audit_fields: auto_enable() needs true or false' USING ERRCODE = '22004';
    END IF;
    IF enabled THEN
        IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'audit_fields_auto_enable') THEN
            CREATE EVENT TRIGGER audit_fields_auto_enable ON ddl_command_end
                WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE', 'CREATE TABLE AS', 'SELECT INTO')
                EXECUTE FUNCTION audit_fields._auto_enable_ddl();
        END IF;
    ELSE
        DROP EVENT TRIGGER IF EXISTS audit_fields_auto_enable;
    END IF;
    RETURN enabled;
END;
$$;
COMMENT ON FUNCTION audit_fields.auto_enable(boolean) IS
'true: every table created or altered later that has created_at/updated_at and no audit_fields trigger is enabled automatically (event trigger audit_fields_auto_enable). false: stop.';
