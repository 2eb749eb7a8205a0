-- Tables and files for bench/instructions.sh, after bench/overhead_setup.sql (which provides
-- make_bench_table() and plpgsql_stamp()). psql variables: rows (N), execs (K), dir (where the COPY
-- files go). Every measured statement gets its own fresh table, so the N-row and the 2N-row
-- statement of a pair start from the same state; "_w" tables are for the unmeasured warm-up.
CREATE FUNCTION bench_callgrind_start() RETURNS void
    AS '$libdir/callgrind_marks', 'bench_callgrind_start' LANGUAGE c;
CREATE FUNCTION bench_callgrind_stop(label text) RETURNS void
    AS '$libdir/callgrind_marks', 'bench_callgrind_stop' LANGUAGE c;

-- The variant's trigger on one table (none: no trigger).
CREATE FUNCTION attach_variant(variant text, tab text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF variant = 'noop' THEN
        EXECUTE format('CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION bench_noop_trigger()', tab);
    ELSIF variant = 'plpgsql' THEN
        EXECUTE format('CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION plpgsql_stamp()', tab);
    ELSIF variant = 'moddatetime' THEN
        EXECUTE format('CREATE TRIGGER stamp BEFORE UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION moddatetime(updated_at)', tab);
    ELSIF variant IN ('audit_fields', 'planner') THEN
        PERFORM audit_fields.enable(tab::regclass);
    END IF;
END $$;

-- Raises an error unless audit_fields' row trigger ran `expected` times in one execution of stmt
-- (EXPLAIN ANALYZE, whose writes are rolled back). bench/instructions.sh calls it once for each
-- statement kind after the measurements, with planner stamping off and on.
CREATE FUNCTION bench_check_trigger_calls(variant text, stmt text, expected bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    plan json;
    calls bigint;
BEGIN
    BEGIN
        EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ' || stmt INTO plan;
        RAISE SQLSTATE 'AFB01'; -- only to roll back the statement's writes
    EXCEPTION WHEN SQLSTATE 'AFB01' THEN
        NULL;
    END;
    SELECT coalesce(sum((t ->> 'Calls')::numeric), 0) INTO calls
    FROM json_array_elements(coalesce(plan -> 0 -> 'Triggers', '[]')) t
    WHERE t ->> 'Trigger Name' = 'zz_audit_fields';
    IF calls IS DISTINCT FROM expected THEN
        RAISE EXCEPTION 'variant %: audit_fields'' trigger ran % times, expected %, in: %',
            variant, calls, expected, stmt;
    END IF;
END $$;

-- A table holding n stamped rows, visible to everyone and frozen by the caller's VACUUM, so the
-- measured UPDATE sets no hint bits.
CREATE FUNCTION make_filled_table(tab text, n int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM make_bench_table(tab);
    EXECUTE format('INSERT INTO %I SELECT g, ''payload'', now(), now(), NULL, ''carol@example.com'',
                    ''Carol'', ''carol@example.com'', ''Carol'', NULL, NULL
                    FROM generate_series(1, %s) g', tab, n);
END $$;

SELECT make_bench_table(format('%s_%s_%s', kind, v, s)), attach_variant(v, format('%s_%s_%s', kind, v, s))
FROM unnest(ARRAY['none', 'noop', 'plpgsql', 'moddatetime', 'audit_fields', 'planner']) v,
     unnest(ARRAY['ins', 'copy', 'pins']) kind,
     unnest(ARRAY['w', '1', '2']) s
\g /dev/null

SELECT make_filled_table(format('upd_%s_%s', v, s), n), attach_variant(v, format('upd_%s_%s', v, s))
FROM unnest(ARRAY['none', 'noop', 'plpgsql', 'moddatetime', 'audit_fields', 'planner']) v,
     (VALUES ('w', 10), ('1', :rows), ('2', 2 * :rows)) sizes(s, n)
\g /dev/null
SELECT make_filled_table(format('pupd_%s_%s', v, s), 3 * :execs), attach_variant(v, format('pupd_%s_%s', v, s))
FROM unnest(ARRAY['none', 'noop', 'plpgsql', 'moddatetime', 'audit_fields', 'planner']) v,
     unnest(ARRAY['w', '1', '2']) s
\g /dev/null
VACUUM (FREEZE, ANALYZE);

-- COPY input: every column (the application supplies the stamps) or only id and payload.
SELECT format('COPY (SELECT g, ''payload'', now(), now(), NULL, ''alice@example.com'', ''Alice'',
                     ''alice@example.com'', ''Alice'', NULL, NULL FROM generate_series(1, %s) g)
               TO %L', n, format('%s/copy_full_%s.txt', :'dir', s)),
       format('COPY (SELECT g, ''payload'' FROM generate_series(1, %s) g) TO %L',
              n, format('%s/copy_min_%s.txt', :'dir', s))
FROM (VALUES ('w', 10), ('1', :rows), ('2', 2 * :rows)) sizes(s, n)
\gexec
