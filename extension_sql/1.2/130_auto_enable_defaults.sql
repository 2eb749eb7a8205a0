-- auto_enable(true, defaults => jsonb): the options auto_enable uses for the tables it enables
-- (column_map, stamp_mode, soft_delete, on_created_change, missing_actor), e.g. the camelCase
-- "createdAt"/"updatedAt" of Sequelize and TypeORM. Kept in a one-row configuration table that
-- pg_dump carries (pg_extension_config_dump), like the event trigger itself.

CREATE TABLE audit_fields.auto_enable_defaults (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    defaults jsonb NOT NULL
);
COMMENT ON TABLE audit_fields.auto_enable_defaults IS
'The defaults => jsonb given to auto_enable(true, ...): the options used for the tables it enables.';
SELECT pg_catalog.pg_extension_config_dump('audit_fields.auto_enable_defaults', '');
GRANT SELECT ON audit_fields.auto_enable_defaults TO PUBLIC;

-- The options alone, checked by the parser enable() uses; returns the canonical trigger arguments.
CREATE FUNCTION audit_fields._check_options(options text[])
RETURNS text[]
LANGUAGE c
IMMUTABLE
AS 'MODULE_PATHNAME', 'audit_fields_check_options';

-- defaults' column_map is a naming convention rather than a demand: for one table it keeps the
-- entries whose column exists, so a logical column falls back to its own name where the mapped
-- one is absent (a camelCase map still enables snake_case tables, and a table without createdBy
-- is not refused for it).
CREATE FUNCTION audit_fields._auto_enable_column_map(rel regclass, column_map jsonb)
RETURNS jsonb
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(jsonb_object_agg(m.key, m.value), '{}')
    FROM jsonb_each(coalesce(column_map, '{}')) AS m
    WHERE EXISTS (SELECT FROM pg_attribute a
                  WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
                    AND a.attname = m.value #>> '{}');
$$;

-- Whether auto_enable takes the table: it has created_at or updated_at after the defaults' map.
CREATE FUNCTION audit_fields._auto_enable_matches(rel regclass)
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH map AS (
        SELECT audit_fields._auto_enable_column_map(
                   rel, (SELECT d.defaults -> 'column_map' FROM audit_fields.auto_enable_defaults d)) AS m
    )
    SELECT EXISTS (SELECT FROM pg_attribute a, map
                   WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
                     AND a.attname IN (coalesce(map.m ->> 'created_at', 'created_at'),
                                       coalesce(map.m ->> 'updated_at', 'updated_at')));
$$;

-- enable() with the defaults, for one table auto_enable matched. soft_delete => true applies to
-- tables that have deleted_at (after the map); the others are enabled without it.
CREATE FUNCTION audit_fields._auto_enable_table(rel regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d jsonb := coalesce((SELECT defaults FROM audit_fields.auto_enable_defaults), '{}');
    map jsonb := audit_fields._auto_enable_column_map(rel, d -> 'column_map');
    soft boolean := coalesce((d ->> 'soft_delete')::boolean, false);
BEGIN
    IF soft AND NOT EXISTS (SELECT FROM pg_attribute a
                            WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
                              AND a.attname = coalesce(map ->> 'deleted_at', 'deleted_at')) THEN
        soft := false;
    END IF;
    PERFORM audit_fields.enable(rel,
                                column_map => map,
                                soft_delete => soft,
                                stamp_mode => coalesce(d ->> 'stamp_mode', 'force'),
                                on_created_change => coalesce(d ->> 'on_created_change', 'restore'),
                                missing_actor => d ->> 'missing_actor');
END;
$$;

-- The event trigger's function, which calls _auto_enable_matches() and _auto_enable_table(), is
-- redefined in 230_auto_enable.sql with the core's scope rules.

DROP FUNCTION audit_fields.auto_enable(boolean);

CREATE FUNCTION audit_fields.auto_enable(enabled boolean DEFAULT true, defaults jsonb DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    unknown text;
BEGIN
    IF enabled IS NULL THEN
        RAISE EXCEPTION 'audit_fields: auto_enable() needs true or false' USING ERRCODE = '22004';
    END IF;
    IF defaults IS NOT NULL THEN
        IF jsonb_typeof(defaults) <> 'object' THEN
            RAISE EXCEPTION 'audit_fields: auto_enable() defaults must be a JSON object such as {"column_map": {"created_at": "createdAt"}}, not %', defaults
                USING ERRCODE = '22023';
        END IF;
        SELECT string_agg(k, ', ' ORDER BY k) INTO unknown
        FROM jsonb_object_keys(defaults) AS k
        WHERE k NOT IN ('column_map', 'stamp_mode', 'soft_delete', 'on_created_change', 'missing_actor');
        IF unknown IS NOT NULL THEN
            RAISE EXCEPTION 'audit_fields: unknown auto_enable() default %', unknown
                USING ERRCODE = '22023',
                      HINT = 'Use column_map, stamp_mode, soft_delete, on_created_change or missing_actor, as enable() takes them.';
        END IF;
        IF jsonb_typeof(defaults -> 'soft_delete') NOT IN ('boolean', 'null') THEN
            RAISE EXCEPTION 'audit_fields: auto_enable() default soft_delete must be true or false, not %',
                defaults -> 'soft_delete' USING ERRCODE = '22023';
        END IF;
        -- Every value checked now, by the parser enable() uses, not at the first CREATE TABLE.
        PERFORM audit_fields._check_options(audit_fields._option_list(
            defaults -> 'column_map', coalesce((defaults ->> 'soft_delete')::boolean, false),
            coalesce(defaults ->> 'stamp_mode', 'force'),
            coalesce(defaults ->> 'on_created_change', 'restore'), defaults ->> 'missing_actor'));
    END IF;
    IF enabled THEN
        -- NULL keeps the defaults given before; '{}' clears them.
        IF defaults IS NOT NULL THEN
            INSERT INTO audit_fields.auto_enable_defaults AS a (defaults) VALUES (defaults)
            ON CONFLICT (singleton) DO UPDATE SET defaults = excluded.defaults;
        END IF;
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
COMMENT ON FUNCTION audit_fields.auto_enable(boolean, jsonb) IS
'true: every table created or altered later that has created_at/updated_at (after defaults->column_map) and no audit_fields trigger is enabled automatically, with the options in defaults (NULL keeps those given before). false: stop.';
