-- audit_fields.activity(): "who changed what since ..." read straight from the audit columns of
-- every enabled table; no log table. Each row's primary key identifies it (ctid when the table
-- has none). An "updated" event is reported only when updated_at differs from created_at and
-- deleted_at: the trigger sets updated_at on insert and on soft delete too, and those are
-- already the "created" and "deleted" events.

CREATE FUNCTION audit_fields._activity(p_since timestamptz, p_actor text)
RETURNS TABLE (table_name text, row_key jsonb, action text, at timestamptz, actor text,
               actor_name text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    key_expr text;
    physical jsonb;
    present text[];
    parts text[] := '{}';
    source text;
    ev text;
    at_col text;
    by_col text;
    name_col text;
    cond text;
BEGIN
    IF p_since IS NULL THEN
        RAISE EXCEPTION 'audit_fields: activity() needs a starting time' USING ERRCODE = '22004';
    END IF;
    FOR t IN SELECT v.relation, v.columns, v.schema_name, v.table_name, v.partitioned
             FROM audit_fields.tables v ORDER BY v.schema_name, v.table_name LOOP
        SELECT 'jsonb_build_object(' ||
               string_agg(format('%L, %I', a.attname, a.attname), ', ' ORDER BY k.ord) || ')'
          INTO key_expr
          FROM pg_index i
          CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE i.indrelid = t.relation AND i.indisprimary;
        -- Without a primary key the row's physical address is all there is; in a partitioned
        -- table it is unique only together with the partition.
        key_expr := coalesce(key_expr, CASE WHEN t.partitioned
            THEN 'jsonb_build_object(''partition'', tableoid::regclass::text, ''ctid'', ctid::text)'
            ELSE 'jsonb_build_object(''ctid'', ctid::text)' END);

        -- Logical names whose physical column exists.
        SELECT coalesce(array_agg(m.key), '{}') INTO present
          FROM jsonb_each_text(t.columns) AS m
          JOIN pg_attribute a ON a.attrelid = t.relation AND a.attname = m.value
                             AND a.attnum > 0 AND NOT a.attisdropped;
        physical := t.columns;
        -- A partitioned table is read with its partitions; a plain table without its
        -- inheritance children, which are enabled (and listed) on their own.
        source := CASE WHEN t.partitioned THEN '' ELSE 'ONLY ' END || t.relation::text;

        FOREACH ev IN ARRAY ARRAY['created', 'updated', 'deleted'] LOOP
            CONTINUE WHEN NOT (ev || '_at') = ANY (present);
            at_col := quote_ident(physical ->> (ev || '_at'));
            by_col := CASE WHEN (ev || '_by') = ANY (present)
                           THEN quote_ident(physical ->> (ev || '_by')) || '::text' ELSE 'NULL::text' END;
            name_col := CASE WHEN (ev || '_by_name') = ANY (present)
                             THEN quote_ident(physical ->> (ev || '_by_name')) || '::text' ELSE 'NULL::text' END;
            cond := at_col || '::timestamptz >= $1 AND ($2 IS NULL OR ' || by_col || ' = $2)';
            IF ev = 'updated' THEN
                IF 'created_at' = ANY (present) THEN
                    cond := cond || ' AND ' || at_col || ' IS DISTINCT FROM ' || quote_ident(physical ->> 'created_at');
                END IF;
                IF 'deleted_at' = ANY (present) THEN
                    cond := cond || ' AND ' || at_col || ' IS DISTINCT FROM ' || quote_ident(physical ->> 'deleted_at');
                END IF;
            END IF;
            parts := parts || format(
                'SELECT %L::text, %s, %L::text, %s::timestamptz, %s, %s FROM %s WHERE %s',
                format('%I.%I', t.schema_name, t.table_name), key_expr, ev, at_col, by_col,
                name_col, source, cond);
        END LOOP;
    END LOOP;
    IF cardinality(parts) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE
        'SELECT * FROM (' || array_to_string(parts, ' UNION ALL ') || ') AS e(table_name, row_key, action, at, actor, actor_name) '
        'ORDER BY at DESC, table_name COLLATE "C", row_key, action'
        USING p_since, p_actor;
END;
$$;

-- SQL, not PL/pgSQL, so that the parameter and the result column can both be called actor,
-- as docs/contract.md names them.
CREATE FUNCTION audit_fields.activity(since timestamptz, actor text DEFAULT NULL)
RETURNS TABLE (table_name text, row_key jsonb, action text, at timestamptz, actor text,
               actor_name text)
LANGUAGE sql
STABLE
AS $$
    SELECT * FROM audit_fields._activity(since, actor);
$$;
COMMENT ON FUNCTION audit_fields.activity(timestamptz, text) IS
'Rows created, updated and deleted since a moment on every enabled table (optionally by one actor), newest first, from the audit columns themselves.';
