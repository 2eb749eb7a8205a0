-- The trigger and the functions that attach it.

CREATE FUNCTION audit_fields.stamp()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'audit_fields_stamp';
COMMENT ON FUNCTION audit_fields.stamp() IS
'BEFORE INSERT OR UPDATE [OR DELETE] FOR EACH ROW trigger that stamps the audit columns; attach it with audit_fields.enable().';

CREATE FUNCTION audit_fields._plan_trigger(rel regclass, options text[])
RETURNS text[]
LANGUAGE c
STABLE
AS 'MODULE_PATHNAME', 'audit_fields_plan_trigger';

CREATE FUNCTION audit_fields.enable(rel regclass,
                                    column_map jsonb DEFAULT '{}',
                                    soft_delete boolean DEFAULT false,
                                    stamp_mode text DEFAULT 'force',
                                    on_created_change text DEFAULT 'restore')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    options text[];
    args text[];
    mapping record;
BEGIN
    IF rel IS NULL THEN
        RAISE EXCEPTION 'audit_fields: enable() needs a table' USING ERRCODE = '22004';
    END IF;
    column_map := coalesce(column_map, '{}');
    IF jsonb_typeof(column_map) <> 'object' THEN
        RAISE EXCEPTION 'audit_fields: column_map must be a JSON object such as {"created_by": "created_by_email"}, not %', column_map
            USING ERRCODE = '22023';
    END IF;
    options := ARRAY['stamp_mode=' || coalesce(stamp_mode, 'NULL'),
                     'soft_delete=' || coalesce(soft_delete::text, 'NULL'),
                     'on_created_change=' || coalesce(on_created_change, 'NULL')];
    FOR mapping IN SELECT key, value FROM jsonb_each(column_map) ORDER BY key LOOP
        IF jsonb_typeof(mapping.value) <> 'string' THEN
            RAISE EXCEPTION 'audit_fields: column_map value for "%" must be a column name (a JSON string), not %',
                mapping.key, mapping.value USING ERRCODE = '22023';
        END IF;
        options := options || (mapping.key || '=' || (mapping.value #>> '{}'));
    END LOOP;

    args := audit_fields._plan_trigger(rel, options);

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
COMMENT ON FUNCTION audit_fields.enable(regclass, jsonb, boolean, text, text) IS
'Attaches (or reconfigures) the audit_fields trigger on a table; partitioned tables cover every partition.';

CREATE FUNCTION audit_fields.disable(rel regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = rel AND tgname = 'zz_audit_fields') THEN
        EXECUTE format('DROP TRIGGER zz_audit_fields ON %s', rel);
    END IF;
END;
$$;
COMMENT ON FUNCTION audit_fields.disable(regclass) IS
'Removes the audit_fields trigger from a table. Does nothing if the table is not enabled.';
