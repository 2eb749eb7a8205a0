-- enable_schema(): the tables in scope and the ignore marker are decided by the core library
-- (in_scope, parse_ignore_marker), as in the scanner; before 1.2 each was a copy in SQL.

CREATE OR REPLACE FUNCTION audit_fields.enable_schema(schema_name name)
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
    -- Tables in scope with created_at or updated_at.
    FOR candidate IN
        SELECT c.oid::regclass AS rel,
               audit_fields.parse_ignore_marker(obj_description(c.oid, 'pg_class')) AS ignore_reason,
               EXISTS (SELECT FROM pg_trigger t
                       WHERE t.tgrelid = c.oid AND t.tgfoid = 'audit_fields.stamp()'::regprocedure)
                   AS enabled
        FROM unnest(audit_fields._tables_in_scope(ARRAY[schema_name])) AS s(rel)
        JOIN pg_class c ON c.oid = s.rel
        WHERE EXISTS (SELECT FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                        AND a.attname IN ('created_at', 'updated_at'))
        ORDER BY c.relname
    LOOP
        table_name := candidate.rel;
        IF candidate.enabled THEN
            -- Keep the options someone chose with enable(); re-running is harmless.
            action := 'already enabled';
        ELSIF candidate.ignore_reason IS NOT NULL THEN
            action := 'ignored: ' || candidate.ignore_reason;
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
