-- Rolling out on a live application: a table's own missing_actor policy (enable(...,
-- missing_actor => ...)), stamp_mode => 'fill_on_insert' (parsed by the C side), the warn policy's
-- report, and set_actor() warning when its transaction-local value cannot outlive the statement.

-- enable() gains missing_actor; the old signature goes so that calls by position or name keep
-- resolving to one function.
DROP FUNCTION audit_fields.enable(regclass, jsonb, boolean, text, text);

-- The "key=value" list the C side parses, from enable()'s arguments; auto_enable() builds its
-- defaults with it too. Checks what only SQL sees (column_map's JSON shape).
CREATE FUNCTION audit_fields._option_list(column_map jsonb, soft_delete boolean, stamp_mode text,
                                          on_created_change text, missing_actor text)
RETURNS text[]
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    options text[];
    mapping record;
BEGIN
    column_map := coalesce(column_map, '{}');
    IF jsonb_typeof(column_map) <> 'object' THEN
        RAISE EXCEPTION 'audit_fields: column_map must be a JSON object such as {"created_by": "created_by_email"}, not %', column_map
            USING ERRCODE = '22023';
    END IF;
    options := ARRAY['stamp_mode=' || coalesce(stamp_mode, 'NULL'),
                     'soft_delete=' || coalesce(soft_delete::text, 'NULL'),
                     'on_created_change=' || coalesce(on_created_change, 'NULL')];
    IF missing_actor IS NOT NULL THEN
        options := options || ('missing_actor=' || missing_actor);
    END IF;
    FOR mapping IN SELECT key, value FROM jsonb_each(column_map) ORDER BY key LOOP
        IF jsonb_typeof(mapping.value) <> 'string' THEN
            RAISE EXCEPTION 'audit_fields: column_map value for "%" must be a column name (a JSON string), not %',
                mapping.key, mapping.value USING ERRCODE = '22023';
        END IF;
        options := options || (mapping.key || '=' || (mapping.value #>> '{}'));
    END LOOP;
    RETURN options;
END;
$$;

CREATE FUNCTION audit_fields.enable(rel regclass,
                                    column_map jsonb DEFAULT '{}',
                                    soft_delete boolean DEFAULT false,
                                    stamp_mode text DEFAULT 'force',
                                    on_created_change text DEFAULT 'restore',
                                    missing_actor text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    args text[];
BEGIN
    IF rel IS NULL THEN
        RAISE EXCEPTION 'audit_fields: enable() needs a table' USING ERRCODE = '22004';
    END IF;
    -- A table's missing-actor policy loosens or tightens enforcement for every writer: only the
    -- owner decides it (a role with the TRIGGER privilege alone could otherwise create the trigger
    -- with missing_actor => 'allow').
    IF missing_actor IS NOT NULL
       AND NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = rel), 'USAGE') THEN
        RAISE EXCEPTION 'audit_fields: only the owner of table "%" may set its missing_actor', rel
            USING ERRCODE = '42501',
                  HINT = 'Leave missing_actor NULL to follow the audit_fields.missing_actor setting.';
    END IF;
    args := audit_fields._plan_trigger(rel, audit_fields._option_list(column_map, soft_delete,
                                                                      stamp_mode, on_created_change,
                                                                      missing_actor));

    -- Dropped and created again (not OR REPLACE) so that re-running enable() also re-enables a
    -- trigger someone disabled, and partitions get fresh clones. The name sorts after ordinary
    -- trigger names, so this trigger fires last among BEFORE triggers and has the final word.
    IF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = rel AND tgname = 'zz_audit_fields') THEN
        EXECUTE format('DROP TRIGGER zz_audit_fields ON %s', rel);
    END IF;
    EXECUTE format('CREATE TRIGGER zz_audit_fields BEFORE INSERT OR UPDATE%s ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp(%s)',
                   CASE WHEN soft_delete THEN ' OR DELETE' ELSE '' END, rel,
                   (SELECT string_agg(quote_literal(a), ', ') FROM unnest(args) AS a));
END;
$$;
COMMENT ON FUNCTION audit_fields.enable(regclass, jsonb, boolean, text, text, text) IS
'Attaches (or reconfigures) the audit_fields trigger on a table; partitioned tables cover every partition. missing_actor (reject, warn, session_user, allow; NULL follows the setting) is the table''s own policy when no actor is set.';

-- audit_fields.tables gains missing_actor (NULL: the table follows audit_fields.missing_actor).
CREATE OR REPLACE VIEW audit_fields.tables AS
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
       t.tgname AS trigger_name,
       nullif(audit_fields._trigger_option(args, 'missing_actor', 'setting'), 'setting') AS missing_actor
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL audit_fields._trigger_args(t.tgargs) AS args
WHERE t.tgfoid = 'audit_fields.stamp()'::regprocedure
  AND NOT t.tgisinternal
  AND NOT c.relispartition;

-- set_actor(..., is_local => true) outside a transaction block: the value ends with the statement.
CREATE FUNCTION audit_fields._warn_local_outside_transaction_block(is_local boolean)
RETURNS void
LANGUAGE c
VOLATILE
AS 'MODULE_PATHNAME', 'audit_fields_warn_local_outside_transaction_block';

CREATE OR REPLACE FUNCTION audit_fields.set_actor(actor text, actor_name text DEFAULT NULL,
                                                  is_local boolean DEFAULT true)
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
    -- No SET clause on this function: PostgreSQL undoes a function's SET LOCAL changes when the
    -- function has one, and the actor must outlive this call.
    -- is_local = true lasts until the end of the transaction, which is what a connection pool
    -- needs: the next transaction on the same connection starts without an actor. Outside a
    -- transaction block that is the end of this statement: warn, as SET LOCAL does.
    SELECT audit_fields._warn_local_outside_transaction_block(is_local);
    SELECT pg_catalog.set_config('audit_fields.actor_name', coalesce(actor_name, ''), is_local);
    SELECT pg_catalog.set_config('audit_fields.actor', coalesce(actor, ''), is_local);
$$;

-- Under missing_actor = warn the trigger writes session_user, as under session_user.
CREATE OR REPLACE FUNCTION audit_fields.current_actor()
RETURNS text
LANGUAGE sql
STABLE
AS $$
    SELECT CASE
        WHEN coalesce(pg_catalog.current_setting('audit_fields.actor', true), '') <> ''
            THEN pg_catalog.current_setting('audit_fields.actor', true)
        WHEN pg_catalog.current_setting('audit_fields.missing_actor', true) IN ('session_user', 'warn')
            THEN session_user::text
    END;
$$;
COMMENT ON FUNCTION audit_fields.current_actor() IS
'The actor the trigger would write now under the audit_fields.missing_actor setting: audit_fields.actor, else session_user under session_user or warn, else NULL. A table''s own missing_actor option can differ.';
