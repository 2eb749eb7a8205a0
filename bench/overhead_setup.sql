-- Tables and the timing function for bench/overhead.sh.
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE EXTENSION IF NOT EXISTS moddatetime;
CREATE FUNCTION bench_noop_trigger() RETURNS trigger
    AS '$libdir/noop_trigger', 'bench_noop_trigger' LANGUAGE c;

CREATE FUNCTION make_bench_table(name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS %I', name);
    EXECUTE format('CREATE TABLE %I (
        id bigint PRIMARY KEY,
        payload text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz,
        created_by text NOT NULL,
        created_by_name text,
        updated_by text NOT NULL,
        updated_by_name text,
        deleted_by text,
        deleted_by_name text)', name);
END $$;

-- What a careful team writes by hand: the same rules as audit_fields in force mode.
CREATE FUNCTION plpgsql_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    actor text := nullif(current_setting('audit_fields.actor', true), '');
    actor_name text := coalesce(nullif(current_setting('audit_fields.actor_name', true), ''), actor);
BEGIN
    IF actor IS NULL THEN
        RAISE EXCEPTION 'no actor for % on %', TG_OP, TG_TABLE_NAME USING ERRCODE = '23502';
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
        NEW.updated_at := now();
        NEW.created_by := actor;
        NEW.created_by_name := actor_name;
        NEW.updated_by := actor;
        NEW.updated_by_name := actor_name;
        IF NEW.deleted_at IS NOT NULL THEN
            NEW.deleted_by := actor;
            NEW.deleted_by_name := actor_name;
        ELSE
            NEW.deleted_by := NULL;
            NEW.deleted_by_name := NULL;
        END IF;
    ELSE
        NEW.created_at := OLD.created_at;
        NEW.created_by := OLD.created_by;
        NEW.created_by_name := OLD.created_by_name;
        NEW.updated_at := now();
        NEW.updated_by := actor;
        NEW.updated_by_name := actor_name;
        IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
            NEW.deleted_at := now();
            NEW.deleted_by := actor;
            NEW.deleted_by_name := actor_name;
        ELSIF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN
            NEW.deleted_by := NULL;
            NEW.deleted_by_name := NULL;
        ELSIF OLD.deleted_at IS NOT NULL THEN
            NEW.deleted_at := OLD.deleted_at;
            NEW.deleted_by := OLD.deleted_by;
            NEW.deleted_by_name := OLD.deleted_by_name;
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- One run of one variant: a fresh table, a timed INSERT, a timed UPDATE. Returns milliseconds.
CREATE FUNCTION bench_run(variant text, n int, OUT insert_ms float8, OUT update_ms float8)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    supplied boolean := variant IN ('none', 'noop', 'moddatetime');
BEGIN
    PERFORM make_bench_table('bench_' || variant);
    IF variant = 'plpgsql' THEN
        EXECUTE 'CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON bench_plpgsql
                 FOR EACH ROW EXECUTE FUNCTION plpgsql_stamp()';
    ELSIF variant = 'noop' THEN
        EXECUTE 'CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON bench_noop
                 FOR EACH ROW EXECUTE FUNCTION bench_noop_trigger()';
    ELSIF variant = 'moddatetime' THEN
        EXECUTE 'CREATE TRIGGER stamp BEFORE UPDATE ON bench_moddatetime
                 FOR EACH ROW EXECUTE FUNCTION moddatetime(updated_at)';
    ELSIF variant IN ('audit_fields', 'planner') THEN
        PERFORM audit_fields.enable(('bench_' || variant)::regclass);
    END IF;
    PERFORM set_config('audit_fields.actor', 'alice@example.com', true);
    PERFORM set_config('audit_fields.actor_name', 'Alice', true);

    t0 := clock_timestamp();
    IF supplied THEN
        EXECUTE format('INSERT INTO %I (id, payload, created_at, updated_at, created_by,
                            created_by_name, updated_by, updated_by_name)
                        SELECT g, ''payload'', now(), now(), ''alice@example.com'', ''Alice'',
                               ''alice@example.com'', ''Alice''
                        FROM generate_series(1, %s) g', 'bench_' || variant, n);
    ELSE
        EXECUTE format('INSERT INTO %I (id, payload) SELECT g, ''payload'' FROM generate_series(1, %s) g',
                       'bench_' || variant, n);
    END IF;
    insert_ms := extract(epoch FROM clock_timestamp() - t0) * 1000;

    PERFORM set_config('audit_fields.actor', 'bob@example.com', true);
    PERFORM set_config('audit_fields.actor_name', 'Bob', true);
    t0 := clock_timestamp();
    IF variant IN ('none', 'noop') THEN
        EXECUTE format('UPDATE %I SET payload = ''changed'', updated_at = now(),
                     updated_by = ''bob@example.com'', updated_by_name = ''Bob''', 'bench_' || variant);
    ELSIF variant = 'moddatetime' THEN
        EXECUTE 'UPDATE bench_moddatetime SET payload = ''changed'',
                     updated_by = ''bob@example.com'', updated_by_name = ''Bob''';
    ELSE
        EXECUTE format('UPDATE %I SET payload = ''changed''', 'bench_' || variant);
    END IF;
    update_ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    EXECUTE format('DROP TABLE %I', 'bench_' || variant);
END $$;
