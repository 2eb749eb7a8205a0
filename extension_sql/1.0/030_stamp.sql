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

CREATE FUNCTION audit_fields.enable_schema(schema_name name)
RETURNS TABLE (table_name regclass, action text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    candidate record;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = schema_name) THEN
        RAISE EXCEPTION 'audit_fields: schema "%" does not exist', schema_name USING ERRCODE = '3F000';
    END IF;
    -- Tables (not partitions: their parent covers them) with created_at or updated_at.
    FOR candidate IN
        SELECT c.oid::regclass AS rel, obj_description(c.oid, 'pg_class') AS comment,
               EXISTS (SELECT FROM pg_trigger t
                       WHERE t.tgrelid = c.oid AND t.tgfoid = 'audit_fields.stamp()'::regprocedure)
                   AS enabled
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = schema_name
          AND c.relkind IN ('r', 'p')
          AND NOT c.relispartition
          AND EXISTS (SELECT FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                        AND a.attname IN ('created_at', 'updated_at'))
        ORDER BY c.relname
    LOOP
        table_name := candidate.rel;
        IF candidate.enabled THEN
            -- Keep the options someone chose with enable(); re-running is harmless.
            action := 'already enabled';
        ELSIF candidate.comment ~ '@audit_fields:ignore' THEN
            action := 'ignored: ' || btrim(substring(candidate.comment FROM '@audit_fields:ignore(.*)$'));
        ELSE
            BEGIN
                PERFORM audit_fields.enable(candidate.rel);
                action := 'enabled';
            EXCEPTION WHEN OTHERS THEN
                -- One unusable table must not stop the others; the reason is reported.
                action := 'skipped: ' || SQLERRM;
            END;
        END IF;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION audit_fields.enable_schema(name) IS
'Enables every table of a schema that has created_at or updated_at, keeping existing configurations; returns one row per table with what it did.';
