#!/usr/bin/env python3
"""Generates the statement corpus of test/suites/planner_stamping.sh.

    planner_stamping_corpus.py OUTDIR

writes OUTDIR/setup.sql (tables, enable(), the side table and the classifier), OUTDIR/corpus.sql
(one transaction per statement, for psql -f), OUTDIR/pgbench_{simple,extended,prepared}.sql (run
after the corpus, in each of pgbench's protocols) and OUTDIR/dump.sql (every row of every table,
timestamps classified), plus OUTDIR/count (the number of statements).

The corpus is deterministic: the same files every run, so a difference between two databases
that ran it is a difference in the server, never in the input. Every statement runs in its own
transaction, which first records now() in _ps_now under the statement's number; a timestamp is
then compared by its class (NULL, the now() of statement k, a client literal), not its value,
since the two databases run at different times.
"""
import itertools
import os
import sys

# The nine logical columns, in the order tables declare them.
LOGICAL = ["created_at", "updated_at", "deleted_at", "created_by", "created_by_name",
           "updated_by", "updated_by_name", "deleted_by", "deleted_by_name"]
TIMESTAMPS = {"created_at", "updated_at", "deleted_at"}


def ident(name):
    return name if name.islower() and name.replace("_", "").isalnum() else '"%s"' % name


class Variant:
    """A column layout: logical column -> (physical name, SQL type), and how to act on it."""

    def __init__(self, key, columns, actor_kind, not_null=(), defaults=None, audit_first=False,
                 schema=None):
        self.key = key
        self.columns = columns  # logical -> (physical, type)
        self.actor_kind = actor_kind  # text | varchar | uuid | int
        self.not_null = set(not_null)
        self.defaults = defaults or {}  # logical -> DEFAULT expression
        self.audit_first = audit_first  # audit columns before payload, a dropped column between
        self.schema = schema  # a quoted, mixed-case schema for the table

    def column_map(self):
        mapping = {lg: ph for lg, (ph, _) in self.columns.items() if lg != ph}
        if not mapping:
            return None
        return "{" + ", ".join('"%s": "%s"' % kv for kv in sorted(mapping.items())) + "}"


def cols(**kw):
    return {lg: (kw[lg][0], kw[lg][1]) for lg in LOGICAL if lg in kw}


def same(types):
    return {lg: (lg, t) for lg, t in types.items()}


VARIANTS = [
    Variant("full_tz", same({c: ("timestamptz" if c in TIMESTAMPS else "text") for c in LOGICAL}),
            "text"),
    Variant("full_ts", same({c: ("timestamp" if c in TIMESTAMPS else "varchar(40)") for c in LOGICAL}),
            "varchar"),
    Variant("min", same({"created_at": "timestamptz", "updated_at": "timestamptz"}), "text"),
    Variant("prec", same({"created_at": "timestamptz(0)", "updated_at": "timestamp(3)",
                          "created_by": "text", "updated_by": "text"}), "text"),
    Variant("uuid", same({"created_at": "timestamptz", "updated_at": "timestamptz",
                          "deleted_at": "timestamptz", "created_by": "uuid", "updated_by": "uuid",
                          "updated_by_name": "text", "deleted_by": "uuid"}), "uuid"),
    Variant("int", same({"updated_at": "timestamp", "deleted_at": "timestamp", "updated_by": "int",
                         "deleted_by": "bigint", "deleted_by_name": "varchar(8)"}), "int"),
    Variant("mapped", cols(created_at=("createdAt", "timestamptz"), updated_at=("updatedAt", "timestamptz"),
                           deleted_at=("deletedAt", "timestamp"), created_by=("created_by_email", "text"),
                           created_by_name=("created_by_name", "text"),
                           updated_by=("modifiedBy", "varchar(60)"), deleted_by=("deleted_by", "text")),
            "text"),
    Variant("partial", same({"created_at": "timestamptz", "updated_at": "timestamp",
                             "deleted_at": "timestamptz", "created_by": "text",
                             "updated_by_name": "text", "deleted_by": "text"}), "text",
            not_null=("created_by",)),
    # Defaults on audit columns (fill keeps a default as a client value) and domain actors.
    Variant("defaults", same({"created_at": "timestamptz", "updated_at": "timestamptz",
                              "deleted_at": "timestamptz", "created_by": "email_d",
                              "updated_by": "text", "deleted_by": "email_d"}), "text",
            defaults={"created_at": "'2000-01-01 00:00+00'", "created_by": "'default@example.com'",
                      "updated_at": "now()",
                      "updated_by": "nullif(current_setting('audit_fields.actor', true), '')",
                      "deleted_by": "CASE WHEN random() < 2 THEN 'volatile@example.com' END"}),
    # Audit columns before payload, a dropped column among them, in a mixed-case schema.
    Variant("odd", cols(updated_by=("Updated By", "text"), deleted_at=("deleted_at", "timestamptz"),
                        created_at=("created_at", "timestamp"), updated_at=("updated_at", "timestamptz"),
                        deleted_by_name=("deleted_by_name", "text"), created_by=("created_by", "text")),
            "text", audit_first=True, schema='"Odd Schema"'),
]

STAMP_MODES = ["force", "fill", "fill_on_insert"]
TABLE_MISSING = [None, "reject", "warn", "session_user", "allow"]

# Actor values per kind: (actor, name) for the two editors, and a value that does not fit.
ACTORS = {
    "text": [("alice@example.com", "Alice"), ("bob@example.com", "Bob")],
    "varchar": [("alice@example.com", "Alice"), ("bob@example.com", "Bob")],
    "uuid": [("aaaaaaaa-0000-4000-8000-000000000001", "Alice"),
             ("bbbbbbbb-0000-4000-8000-000000000002", "Bob")],
    "int": [("41", "Al"), ("42", "Bo")],
}
BAD_ACTOR = {
    "text": None,
    "varchar": ("x" * 50, "Long"),
    "uuid": ("not-a-uuid", "Alice"),
    "int": ("42", "Alexander the Great"),  # the name does not fit varchar(8)
}

# Actor situations a statement runs under, cycled through per table.
ACTOR_MODES = ["set:0", "set:1", "set_actor_fn:0", "actor_only:1", "set:0", "missing:reject",
               "set:1", "missing:warn", "set:0", "missing:session_user", "set:1", "missing:allow",
               "bad", "set:0", "enabled_off:1", "set:1", "missing:default"]


def literal(sqltype, which=0):
    """A client-supplied value for a column of this type (which: 0 past, 1 other, 2 future)."""
    if sqltype.startswith("timestamptz"):
        return ["'2001-02-03 04:05:06.789+00'", "'2002-03-04 05:06:07.891+00'",
                "'2099-01-01 00:00:00+00'"][which] + "::timestamptz"
    if sqltype.startswith("timestamp"):
        return ["'2001-02-03 04:05:06.789'", "'2002-03-04 05:06:07.891'",
                "'2099-01-01 00:00:00'"][which] + "::timestamp"
    if sqltype == "uuid":
        return ["'22222222-0000-4000-8000-000000000001'", "'33333333-0000-4000-8000-000000000002'",
                "'44444444-0000-4000-8000-000000000003'"][which] + "::uuid"
    if sqltype == "email_d":
        return ["'client@example.com'", "'mallory@example.com'", "'future@example.com'"][which]
    if sqltype in ("int", "bigint"):
        return ["7", "8", "9"][which]
    return ["'client'", "'mallory'", "'future'"][which]


class Table:
    def __init__(self, name, variant, stamp_mode, soft_delete, on_created_change, missing,
                 partitioned=False):
        if variant.schema:
            name = '%s."%s"' % (variant.schema, name.replace("_", " ").title())
        self.name = name
        self.v = variant
        self.stamp_mode = stamp_mode
        self.soft_delete = soft_delete
        self.on_created_change = on_created_change
        self.missing = missing
        self.partitioned = partitioned

    def has(self, logical):
        return logical in self.v.columns

    def col(self, logical):
        return ident(self.v.columns[logical][0])

    def typ(self, logical):
        return self.v.columns[logical][1]

    def present(self):
        return [lg for lg in LOGICAL if self.has(lg)]

    def key(self):
        return "(id, region)" if self.partitioned else "(id)"

    def create(self):
        out = ["id int NOT NULL"]
        if self.partitioned:
            out.append("region text NOT NULL")
        audit = []
        for lg in self.present():
            audit.append("%s %s%s%s" % (self.col(lg), self.typ(lg),
                                        " NOT NULL" if lg in self.v.not_null else "",
                                        " DEFAULT " + self.v.defaults[lg] if lg in self.v.defaults else ""))
        if self.v.audit_first:
            out += audit[:2] + ["gone int"] + audit[2:] + ["payload text"]
        else:
            out += ["payload text"] + audit
        out.append("PRIMARY KEY %s" % self.key())
        sql = "CREATE TABLE %s (\n    %s\n)" % (self.name, ",\n    ".join(out))
        if self.v.audit_first:
            sql += ";\nALTER TABLE %s DROP COLUMN gone" % self.name
        if self.partitioned:
            sql += " PARTITION BY LIST (region);\n"
            sql += "CREATE TABLE %s_eu PARTITION OF %s FOR VALUES IN ('eu');\n" % (self.name, self.name)
        else:
            sql += ";\n"
        args = ["'%s'" % self.name]
        if self.v.column_map():
            args.append("column_map => '%s'" % self.v.column_map())
        args.append("soft_delete => %s" % ("true" if self.soft_delete else "false"))
        args.append("stamp_mode => '%s'" % self.stamp_mode)
        args.append("on_created_change => '%s'" % self.on_created_change)
        if self.missing:
            args.append("missing_actor => '%s'" % self.missing)
        sql += "SELECT audit_fields.enable(%s);\n" % ", ".join(args)
        if self.partitioned and self.v.key == "full_ts":
            # Attached after enable(), columns in another order and a dropped column in front:
            # the plan's column numbers are the parent's, the partition's differ.
            cols = ["gone int"] + ["%s %s" % (self.col(lg), self.typ(lg)) for lg in reversed(self.present())] + \
                ["payload text", "region text NOT NULL", "id int NOT NULL"]
            sql += "CREATE TABLE %s_us (%s);\n" % (self.name, ", ".join(cols))
            sql += "ALTER TABLE %s_us DROP COLUMN gone;\n" % self.name
            sql += "ALTER TABLE %s ATTACH PARTITION %s_us FOR VALUES IN ('us');\n" % (self.name, self.name)
        elif self.partitioned:  # a partition created after enable() is covered too
            sql += "CREATE TABLE %s_us PARTITION OF %s FOR VALUES IN ('us');\n" % (self.name, self.name)
        return sql

    def classified(self, logical, q=""):
        typ = self.typ(logical)
        prec = typ[typ.index("(") + 1:-1] if "(" in typ else "6"
        return "_ps_class(%s%s::timestamptz, %s)" % (q, self.col(logical), prec)

    def dump(self):
        parts = ["id::text"]
        if self.partitioned:
            parts += ["region", "tableoid::regclass::text"]
        parts.append("payload")
        for lg in self.present():
            if lg in TIMESTAMPS:
                parts.append(self.classified(lg))
            else:
                parts.append("%s::text" % self.col(lg))
        return ("SELECT '%s' || ' ' || row(%s)::text FROM %s ORDER BY %s;\n"
                % (self.name, ", ".join(parts), self.name, self.key()[1:-1]))

    def returning(self, qualifier=None):
        """A RETURNING list that shows every audit column, timestamps classified."""
        q = (qualifier + ".") if qualifier else ""
        parts = [q + "id"]
        for lg in self.present():
            if lg in TIMESTAMPS:
                parts.append("%s AS %s" % (self.classified(lg, q), lg))
            else:
                parts.append("%s%s AS %s" % (q, self.col(lg), lg))
        return " RETURNING " + ", ".join(parts)


class Corpus:
    def __init__(self):
        self.setup = []
        self.blocks = []  # (prelude, statement)
        self.tables = []
        self.dumps = []  # further dump queries: tables the trigger does not write
        self.pgbench = {}  # protocol -> pgbench script

    def add(self, prelude, statement, quiet=False):
        """quiet: the statement's output is not compared (EXPLAIN ANALYZE shows the trigger)."""
        self.blocks.append((prelude, statement, quiet))

    def actor_prelude(self, table, mode):
        kind = table.v.actor_kind
        if mode == "bad":
            bad = BAD_ACTOR[kind]
            if bad is None:
                mode = "set:0"
            else:
                return "SET LOCAL audit_fields.actor = '%s';\nSET LOCAL audit_fields.actor_name = '%s';" % bad
        what, _, arg = mode.partition(":")
        if what in ("set", "enabled_off", "actor_only", "set_actor_fn"):
            actor, name = ACTORS[kind][int(arg)]
            if what == "actor_only":
                return "SET LOCAL audit_fields.actor = '%s';" % actor
            if what == "set_actor_fn":
                return "SELECT audit_fields.set_actor('%s', '%s');" % (actor, name)
            out = "SET LOCAL audit_fields.actor = '%s';\nSET LOCAL audit_fields.actor_name = '%s';" % (actor, name)
            if what == "enabled_off":
                out += "\nSET LOCAL audit_fields.enabled = off;"
            return out
        if arg == "default":
            return ""
        return "SET LOCAL audit_fields.missing_actor = '%s';" % arg

    def write(self, outdir):
        with open(os.path.join(outdir, "setup.sql"), "w") as f:
            f.write(SETUP_HEAD)
            f.write("".join(self.setup))
        with open(os.path.join(outdir, "corpus.sql"), "w") as f:
            f.write("\\set VERBOSITY default\n\\set SHOW_CONTEXT never\n\\pset footer off\n")
            for k, (prelude, statement, quiet) in enumerate(self.blocks, 1):
                f.write("\\echo '#%d'\n\\warn '#%d'\nBEGIN;\n" % (k, k))
                if prelude:
                    f.write(prelude + "\n")
                f.write("INSERT INTO _ps_now VALUES (%d, now());\n" % k)
                if quiet:
                    f.write("\\o /dev/null\n")
                if statement.endswith("\\."):  # COPY ... FROM STDIN with its data
                    f.write(statement + "\n")
                else:
                    f.write(statement.rstrip().rstrip(";") + ";\n")
                if quiet:
                    f.write("\\o\n")
                f.write("\\warn 'sqlstate ' :SQLSTATE\nCOMMIT;\n")
        with open(os.path.join(outdir, "dump.sql"), "w") as f:
            for t in self.tables:
                f.write(t.dump())
            f.writelines(self.dumps)
        for mode, script in self.pgbench.items():
            with open(os.path.join(outdir, "pgbench_%s.sql" % mode), "w") as f:
                f.write(script)
        with open(os.path.join(outdir, "count"), "w") as f:
            f.write("%d\n" % len(self.blocks))


SETUP_HEAD = """
CREATE SCHEMA "Odd Schema";
CREATE DOMAIN email_d AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE _ps_now (k int PRIMARY KEY, t timestamptz NOT NULL);
-- A timestamp's class: NULL, the now() of statement k, or the value itself (a client literal:
-- the same in every database). A column of lower precision holds now() rounded, which several
-- statements' transactions share: its class is only "a now(), rounded".
CREATE FUNCTION _ps_class(ts timestamptz, prec int DEFAULT 6) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN ts IS NULL THEN 'null' ELSE coalesce(
        CASE prec
        WHEN 6 THEN (SELECT 'now@' || k FROM _ps_now WHERE t = ts ORDER BY k LIMIT 1)
        WHEN 3 THEN (SELECT 'now(3)' FROM _ps_now WHERE t::timestamptz(3) = ts LIMIT 1)
        WHEN 0 THEN (SELECT 'now(0)' FROM _ps_now WHERE t::timestamptz(0) = ts LIMIT 1) END,
        'literal ' || ts::text) END
$$;
"""


def audit_values(t, which, only=None, skip=()):
    """(column list, value list) setting every present audit column to a client literal."""
    names, values = [], []
    for lg in t.present():
        if (only is not None and lg not in only) or lg in skip:
            continue
        names.append(t.col(lg))
        values.append(literal(t.typ(lg), which))
    return names, values


def table_statements(c, t, ti):
    """Every event, for one table. ids: 1.. inserted by the statements below."""
    modes = itertools.cycle(ACTOR_MODES[ti % len(ACTOR_MODES):] + ACTOR_MODES[:ti % len(ACTOR_MODES)])
    n = t.name
    reg = lambda r: (", '%s'" % r) if t.partitioned else ""
    regc = ", region" if t.partitioned else ""
    key = t.key()
    stmts = []

    def s(sql):
        stmts.append(sql)

    # INSERT VALUES, single row: nothing, every audit column, explicit NULLs, DEFAULT.
    s("INSERT INTO %s (id%s, payload) VALUES (1%s, 'one')" % (n, regc, reg("eu")))
    names, values = audit_values(t, 0, skip=("deleted_at",))
    s("INSERT INTO %s (id%s, payload, %s) VALUES (2%s, 'two', %s)%s"
      % (n, regc, ", ".join(names), reg("eu"), ", ".join(values), t.returning()))
    names, values = audit_values(t, 0)
    s("INSERT INTO %s (id%s, payload, %s) VALUES (3%s, 'three, born deleted', %s)"
      % (n, regc, ", ".join(names), reg("us"), ", ".join(values)))
    s("INSERT INTO %s (id%s, payload, %s) VALUES (4%s, 'nulls', %s)"
      % (n, regc, ", ".join(names), reg("eu"), ", ".join("NULL" for _ in names)))
    s("INSERT INTO %s (id%s, payload, %s) VALUES (5%s, 'defaults', %s)"
      % (n, regc, ", ".join(names), reg("us"), ", ".join("DEFAULT" for _ in names)))
    # Positional, every column of the table.
    audit = [("NULL" if lg == "deleted_at" else literal(t.typ(lg), 1)) for lg in t.present()]
    values = ["6"] + (["'eu'"] if t.partitioned else []) + \
        (audit + ["'positional'"] if t.v.audit_first else ["'positional'"] + audit)
    s("INSERT INTO %s VALUES (%s)" % (n, ", ".join(values)))
    # Multi-row VALUES, mixing client values, NULLs and a born-deleted row.
    names, v0 = audit_values(t, 0, skip=("deleted_at",))
    if names:
        rows = ["(7%s, 'multi a', %s)" % (reg("eu"), ", ".join(v0)),
                "(8%s, 'multi b', %s)" % (reg("us"), ", ".join("NULL" for _ in v0)),
                "(9%s, 'multi c', %s)" % (reg("eu"), ", ".join(audit_values(t, 1, skip=("deleted_at",))[1]))]
        s("INSERT INTO %s AS ins (id%s, payload, %s) VALUES %s"
          % (n, regc, ", ".join(names), ", ".join(rows)))
    s("INSERT INTO %s (id%s, payload) VALUES (10%s, 'ten'), (11%s, 'eleven')%s"
      % (n, regc, reg("eu"), reg("us"), t.returning()))
    # INSERT ... SELECT, with client values on some rows.
    sel = ["g", "'select ' || g"]
    cl = ["id"] + (["region"] if t.partitioned else []) + ["payload"]
    if t.partitioned:
        sel.insert(1, "CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END")
    for lg in t.present():
        lit = literal(t.typ(lg), 0)
        if lg == "deleted_at":
            sel.append("CASE WHEN g %% 3 = 0 THEN %s END" % lit)
        else:
            sel.append("CASE WHEN g %% 2 = 0 THEN %s END" % lit)
        cl.append(t.col(lg))
    s("INSERT INTO %s (%s) SELECT %s FROM generate_series(12, 17) AS g"
      % (n, ", ".join(cl), ", ".join(sel)))
    s("INSERT INTO %s (id%s, payload) SELECT g%s, 'plain select' FROM generate_series(18, 20) AS g"
      % (n, regc, reg("us")))
    # Future stamps: fill keeps them, and the clock never goes backwards on the next UPDATE.
    names, values = audit_values(t, 2, only=("created_at", "updated_at"))
    if names:
        s("INSERT INTO %s (id%s, payload, %s) VALUES (21%s, 'future', %s)"
          % (n, regc, ", ".join(names), reg("eu"), ", ".join(values)))
        s("UPDATE %s SET payload = 'after future' WHERE id = 21" % n)
    # ON CONFLICT.
    s("INSERT INTO %s (id%s, payload) VALUES (1%s, 'upsert one'), (22%s, 'upsert new') "
      "ON CONFLICT %s DO UPDATE SET payload = excluded.payload" % (n, regc, reg("eu"), reg("eu"), key))
    names, values = audit_values(t, 1)
    if names:
        s("INSERT INTO %s AS t (id%s, payload, %s) VALUES (2%s, 'upsert audit', %s), (23%s, 'upsert audit new', %s) "
          "ON CONFLICT %s DO UPDATE SET payload = excluded.payload, %s%s"
          % (n, regc, ", ".join(names), reg("eu"), ", ".join(values), reg("us"), ", ".join(values), key,
             ", ".join("%s = excluded.%s" % (c, c) for c in names), t.returning()))
    s("INSERT INTO %s (id%s, payload) VALUES (4%s, 'ignored'), (24%s, 'nothing new') ON CONFLICT DO NOTHING"
      % (n, regc, reg("eu"), reg("eu")))
    s("INSERT INTO %s AS t (id%s, payload) VALUES (5%s, 'conditional') ON CONFLICT %s "
      "DO UPDATE SET payload = t.payload || ' again' WHERE t.id %% 2 = 1" % (n, regc, reg("us"), key))
    # UPDATE touching nothing audited, then each audit column on its own.
    s("UPDATE %s SET payload = 'touched' WHERE id IN (1, 6, 7)" % n)
    rid = 12
    for lg in t.present():
        for which in (0, None):
            value = "NULL" if which is None else literal(t.typ(lg), which)
            s("UPDATE %s SET %s = %s, payload = 'set %s' WHERE id = %d" % (n, t.col(lg), value, lg, rid))
        rid = 12 + (rid - 11) % 9
    s("UPDATE %s SET %s WHERE id IN (8, 9)" % (n, ", ".join("%s = %s" % (t.col(lg), t.col(lg)) for lg in t.present())))
    if t.has("created_by"):
        s("UPDATE %s SET %s = CASE WHEN id %% 2 = 0 THEN %s ELSE %s END, payload = 'case' WHERE id BETWEEN 13 AND 16"
          % (n, t.col("created_by"), literal(t.typ("created_by"), 1), t.col("created_by")))
    if t.has("updated_by"):
        s("UPDATE %s AS x SET (payload, %s) = (SELECT 'multi', %s) WHERE x.id = 17"
          % (n, t.col("updated_by"), literal(t.typ("updated_by"), 1)))
    s("UPDATE %s SET payload = s.p FROM (VALUES (18, 'from a'), (19, 'from b')) AS s(id, p) WHERE %s.id = s.id%s"
      % (n, n, t.returning(n)))
    s("UPDATE ONLY %s SET payload = payload || '.'" % n)
    # Plan shapes: the values reach the table through aggregates, sorts, unions, sub-selects, joins.
    allcols = ["id"] + (["region"] if t.partitioned else []) + ["payload"] + [t.col(lg) for lg in t.present()]
    s("INSERT INTO %s (%s) SELECT id + 1000, %s FROM %s WHERE id %% 4 = 1 ORDER BY id LIMIT 3"
      % (n, ", ".join(allcols), ", ".join(allcols[1:]), n))
    s("INSERT INTO %s (id%s, payload) SELECT max(id) + 2000%s, 'aggregate ' || count(*) FROM %s"
      " GROUP BY payload IS NULL" % (n, regc, reg("eu"), n))
    s("INSERT INTO %s (id%s, payload) SELECT DISTINCT 3000 + g %% 2%s, 'distinct' FROM generate_series(1, 4) AS g"
      " UNION ALL SELECT 3010%s, 'union'" % (n, regc, reg("us"), reg("eu")))
    if t.has("updated_by"):
        s("UPDATE %s SET updated_by = (SELECT max(%s) FROM %s), payload = 'subselect' WHERE id IN (1000, 1001, 1005)"
          % (n, t.col("updated_by"), n))
    s("UPDATE %s AS x SET payload = y.payload || ' joined' FROM %s AS y WHERE x.id = y.id + 1000%s"
      % (n, n, " AND x.region = y.region" if t.partitioned else ""))
    # Soft delete, updates of deleted rows, restore, DELETE.
    if t.has("deleted_at"):
        da = t.col("deleted_at")
        s("UPDATE %s SET %s = %s WHERE id = 10" % (n, da, literal(t.typ("deleted_at"), 0)))
        s("UPDATE %s SET %s = now() WHERE id IN (11, 12)" % (n, da))
        s("UPDATE %s SET payload = 'edit of a deleted row' WHERE id IN (3, 10)" % n)
        if t.has("deleted_by"):
            s("UPDATE %s SET %s = %s WHERE id = 13" % (n, t.col("deleted_by"), literal(t.typ("deleted_by"), 1)))
            s("UPDATE %s SET %s = %s WHERE id = 11" % (n, t.col("deleted_by"), literal(t.typ("deleted_by"), 1)))
        s("UPDATE %s SET %s = NULL, payload = 'restored' WHERE id IN (3, 11)" % (n, da))
    s("DELETE FROM %s WHERE id = 14" % n)
    s("DELETE FROM %s WHERE id IN (10, 15) RETURNING id" % n)
    s("DELETE FROM %s WHERE id = 14" % n)  # again: already (soft-)deleted
    # MERGE: matched UPDATE / DELETE, not matched INSERT.
    s("MERGE INTO %s AS t USING (VALUES (16, 'upd'), (17, 'del'), (30, 'ins'), (31, 'ins')) AS s(id, action) "
      "ON t.id = s.id WHEN MATCHED AND s.action = 'upd' THEN UPDATE SET payload = 'merged' "
      "WHEN MATCHED AND s.action = 'del' THEN DELETE "
      "WHEN NOT MATCHED THEN INSERT (id%s, payload) VALUES (s.id%s, 'merged in')"
      % (n, regc, reg("us")))
    names, values = audit_values(t, 1, skip=("deleted_at",))
    if names:
        s("MERGE INTO %s AS t USING (VALUES (18), (32)) AS s(id) ON t.id = s.id "
          "WHEN MATCHED THEN UPDATE SET payload = 'merged audit', %s "
          "WHEN NOT MATCHED THEN INSERT (id%s, payload, %s) VALUES (s.id%s, 'merged audit in', %s)"
          % (n, ", ".join("%s = %s" % p for p in zip(names, values)), regc, ", ".join(names), reg("eu"),
             ", ".join(values)))
    if t.has("deleted_at"):
        s("MERGE INTO %s AS t USING (VALUES (19), (20)) AS s(id) ON t.id = s.id "
          "WHEN MATCHED AND t.id = 19 THEN UPDATE SET %s = %s "
          "WHEN MATCHED THEN DO NOTHING" % (n, t.col("deleted_at"), literal(t.typ("deleted_at"), 1)))
    s("MERGE INTO %s AS t USING (VALUES (1), (33)) AS s(id) ON t.id = s.id "
      "WHEN MATCHED THEN DO NOTHING WHEN NOT MATCHED THEN INSERT (id%s) VALUES (s.id%s)"
      % (n, regc, reg("eu")))
    # Writable CTEs.
    s("WITH u AS (UPDATE %s SET payload = 'cte' WHERE id = 20 RETURNING id%s) "
      "INSERT INTO %s (id%s, payload) SELECT id + 100%s, 'from cte' FROM u" % (n, regc, n, regc, regc))
    s("WITH i AS (INSERT INTO %s (id%s, payload) VALUES (40%s, 'cte insert') RETURNING id) SELECT count(*) FROM i"
      % (n, regc, reg("eu")))
    # Partitioned: rows moving between partitions, also with audit columns in the SET list.
    if t.partitioned:
        s("UPDATE %s SET region = 'us', payload = 'moved' WHERE id IN (1, 2)" % n)
        if t.has("created_by"):
            s("UPDATE %s SET region = 'eu', %s = %s WHERE id = 1" % (n, t.col("created_by"), literal(t.typ("created_by"), 1)))
        s("UPDATE %s SET region = 'eu' WHERE id = 3" % n)  # a (soft-)deleted-at-birth row
        s("INSERT INTO %s_us (id, region, payload) VALUES (50, 'us', 'into the partition')" % n)
        s("UPDATE %s_us SET payload = 'partition update' WHERE id = 50" % n)
    for sql in stmts:
        c.add(c.actor_prelude(t, next(modes)), sql)


def fallback_statements(c):
    """Paths the rewrite cannot see: COPY, rules, views, another BEFORE trigger, plans made
    before enable() or with the setting off, functions. Run in the same way as the corpus."""
    full = VARIANTS[0]
    names = ["fb_copy", "fb_rule", "fb_rule_log", "fb_view", "fb_mallory", "fb_prep", "fb_prep_off",
             "fb_fn"]
    tables = {nm: Table(nm, full, "fill" if nm == "fb_mallory" else "force", nm == "fb_view", "restore", None)
              for nm in names}
    for nm in names:
        t = tables[nm]
        if nm == "fb_prep":  # enabled later, after the statement is prepared
            c.setup.append(t.create().split("SELECT audit_fields.enable")[0])
        else:
            c.setup.append(t.create())
        c.tables.append(t)
    c.setup.append("""
CREATE RULE fb_rule_also AS ON INSERT TO fb_rule DO ALSO
    INSERT INTO fb_rule_log (id, payload, created_by) VALUES (NEW.id, 'rule: ' || NEW.payload, NEW.created_by);
CREATE VIEW fb_view_v AS SELECT id, payload, created_by, updated_by, deleted_at FROM fb_view;
CREATE FUNCTION fb_mallory_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_by := 'mallory';
    NEW.updated_at := '2000-01-01 00:00+00';
    RETURN NEW;
END $$;
CREATE TRIGGER aa_mallory BEFORE INSERT OR UPDATE ON fb_mallory
    FOR EACH ROW EXECUTE FUNCTION fb_mallory_trigger();
CREATE FUNCTION fb_fn_write(new_id int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fb_fn (id, payload) VALUES (new_id, 'plpgsql');
    UPDATE fb_fn SET payload = 'plpgsql update', created_by = 'mallory' WHERE id = new_id - 1;
END $$;
""")
    actor = "SET LOCAL audit_fields.actor = 'alice@example.com';\nSET LOCAL audit_fields.actor_name = 'Alice';"
    other = "SET LOCAL audit_fields.actor = 'bob@example.com';"
    c.add(actor, "COPY fb_copy (id, payload, created_by, updated_at) FROM STDIN;\n"
          "1\tcopied\t\\N\t\\N\n2\tforged\tmallory\t2000-01-01 00:00:00+00\n\\.")
    c.add(actor, "COPY fb_copy (id, payload) FROM STDIN (FORMAT csv);\n3,csv\n\\.")
    c.add("", "COPY fb_copy (id, payload) FROM STDIN;\n4\tno actor\n\\.")
    c.add(actor, "INSERT INTO fb_rule (id, payload, created_by) VALUES (1, 'ruled', 'mallory'), (2, 'ruled too', NULL)")
    c.add(other, "INSERT INTO fb_rule (id, payload) SELECT g, 'ruled select' FROM generate_series(3, 5) AS g")
    c.add(other, "UPDATE fb_rule SET payload = 'after rule', created_by = 'mallory' WHERE id = 1")
    c.add(actor, "INSERT INTO fb_view_v (id, payload, created_by) VALUES (1, 'through view', 'mallory'), (2, 'v2', NULL)")
    c.add(other, "UPDATE fb_view_v SET payload = 'view update', updated_by = 'mallory' WHERE id = 1")
    c.add(other, "UPDATE fb_view_v SET deleted_at = '2001-01-01 00:00+00' WHERE id = 2")
    c.add(actor, "DELETE FROM fb_view_v WHERE id = 1")
    c.add(actor, "INSERT INTO fb_mallory (id, payload) VALUES (1, 'beside mallory'), (2, 'beside mallory')")
    c.add(other, "UPDATE fb_mallory SET payload = 'mallory again' WHERE id = 1")
    c.add(other, "INSERT INTO fb_mallory (id, payload) VALUES (1, 'upsert') ON CONFLICT (id) DO UPDATE SET payload = excluded.payload")
    # Prepared before enable(), executed after; then re-configured and disabled under the plan.
    c.add("", "PREPARE fb_prep_ins (int) AS INSERT INTO fb_prep (id, payload, created_by) VALUES ($1, 'prepared', 'client')")
    c.add("", "PREPARE fb_prep_upd (int) AS UPDATE fb_prep SET payload = 'prepared update', created_by = 'mallory', updated_by = NULL WHERE id = $1")
    c.add("", "EXECUTE fb_prep_ins(1)")
    c.add("", "SELECT audit_fields.enable('fb_prep')")
    for i in range(2, 9):  # past the five custom plans, into the generic plan
        c.add(actor if i % 3 else other, "EXECUTE fb_prep_ins(%d)" % i)
        c.add(other if i % 3 else actor, "EXECUTE fb_prep_upd(%d)" % (i - 1))
    c.add("", "EXECUTE fb_prep_ins(9)")  # no actor: rejected
    c.add("SET LOCAL audit_fields.missing_actor = 'warn';", "EXECUTE fb_prep_ins(10)")
    c.add("", "SELECT audit_fields.enable('fb_prep', stamp_mode => 'fill')")
    c.add(actor, "EXECUTE fb_prep_ins(11)")
    c.add(actor, "EXECUTE fb_prep_upd(11)")
    c.add("", "SELECT audit_fields.enable('fb_prep', stamp_mode => 'force', on_created_change => 'reject')")
    c.add(actor, "EXECUTE fb_prep_upd(2)")
    c.add("", "SELECT audit_fields.disable('fb_prep')")
    c.add("", "EXECUTE fb_prep_ins(12)")
    c.add("", "EXECUTE fb_prep_upd(12)")
    # Prepared with the setting off, executed with it as the database has it.
    c.add("", "SET audit_fields.planner_stamping = off")
    c.add("", "PREPARE fb_prep_off_ins (int) AS INSERT INTO fb_prep_off (id, payload) VALUES ($1, 'prepared while off')")
    c.add("", "PREPARE fb_prep_off_upd (int) AS UPDATE fb_prep_off SET payload = 'updated', created_by = 'mallory' WHERE id = $1")
    c.add("", "RESET audit_fields.planner_stamping")
    for i in range(1, 8):
        c.add(actor if i % 2 else other, "EXECUTE fb_prep_off_ins(%d)" % i)
        c.add(other if i % 2 else actor, "EXECUTE fb_prep_off_upd(%d)" % i)
    c.add(actor, "SELECT fb_fn_write(1)")
    for i in range(2, 8):
        c.add(actor if i % 2 else other, "SELECT fb_fn_write(%d)" % i)


def edge_statements(c):
    """Situations a rewrite at parse analysis could get wrong, though the trigger gets them right:
    the trigger not firing (disabled, session_replication_role, a child table without it), an
    actor changed during the statement, column privileges and row security, AFTER triggers that
    read the stamped row, foreign key actions, DEFAULT VALUES."""
    full = VARIANTS[0]
    made = {}
    for nm, mode, soft in [("e_disabled", "force", False), ("e_always", "force", False),
                           ("e_replica", "fill", False), ("e_inh_parent", "force", True),
                           ("e_inh_child_on", "fill", False), ("e_priv", "force", True),
                           ("e_after", "force", True), ("e_stmt_trigger", "force", False),
                           ("e_actor_midway", "force", False), ("e_fk_child", "force", True),
                           ("e_identity", "fill", False), ("e_peek", "force", False),
                           ("e_peek_fill", "fill", True), ("e_update_of", "force", False),
                           ("e_generated", "force", False), ("e_warn_prepared", "force", False),
                           ("e_functions", "force", False), ("e_later", "fill", False),
                           ("e_warn_savepoint", "force", False), ("e_clock_statement", "force", True),
                           ("e_clock_statement_fill", "fill", True), ("e_merge17", "force", True),
                           ("e_merge17_fill", "fill", False), ("e_pgbench_simple", "fill", False),
                           ("e_pgbench_extended", "fill", False), ("e_pgbench_prepared", "fill", False)]:
        t = Table(nm, full, mode, soft, "restore", None)
        made[nm] = t
        c.tables.append(t)
        c.setup.append(t.create())
    part = Table("e_part", full, "force", True, "restore", None, partitioned=True)
    c.tables.append(part)
    c.setup.append(part.create())
    # Children of an enabled parent (plain inheritance) do not inherit its trigger.
    for nm in ("e_inh_child_off", "e_inh_child_on"):
        c.setup.append("ALTER TABLE %s INHERIT e_inh_parent;\n" % nm if nm == "e_inh_child_on" else
                       "CREATE TABLE e_inh_child_off () INHERITS (e_inh_parent);\n")
    c.setup.append("""
ALTER TABLE e_disabled DISABLE TRIGGER zz_audit_fields;
ALTER TABLE e_always ENABLE ALWAYS TRIGGER zz_audit_fields;
ALTER TABLE e_replica ENABLE REPLICA TRIGGER zz_audit_fields;
ALTER TABLE e_part_us DISABLE TRIGGER zz_audit_fields;
DO $$ BEGIN CREATE ROLE ps_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE ps_setter; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE ps_member IN ROLE ps_setter, ps_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT SELECT, INSERT ON _ps_now TO ps_writer, ps_member;
GRANT SELECT, INSERT (id, payload), UPDATE (payload, deleted_at), DELETE ON e_priv TO ps_writer;
ALTER TABLE e_priv ENABLE ROW LEVEL SECURITY;
CREATE POLICY e_priv_all ON e_priv USING (true) WITH CHECK (created_by IS NOT NULL AND updated_by IS NOT NULL);
CREATE TABLE e_after_log (n serial, op text, id int, created_by text, updated_by text, created_at timestamptz,
                          updated_at timestamptz, deleted_at timestamptz, deleted_by text);
CREATE FUNCTION e_after_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO e_after_log (op, id, created_by, updated_by, created_at, updated_at, deleted_at, deleted_by)
    VALUES (TG_OP, NEW.id, NEW.created_by, NEW.updated_by, NEW.created_at, NEW.updated_at, NEW.deleted_at,
            NEW.deleted_by);
    RETURN NULL;
END $$;
CREATE TRIGGER e_after_log AFTER INSERT OR UPDATE ON e_after FOR EACH ROW EXECUTE FUNCTION e_after_log();
CREATE FUNCTION e_set_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('audit_fields.actor', 'statement-trigger@example.com', true);
    RETURN NULL;
END $$;
CREATE TRIGGER e_set_actor BEFORE INSERT OR UPDATE ON e_stmt_trigger
    FOR EACH STATEMENT EXECUTE FUNCTION e_set_actor();
CREATE TABLE e_fk_parent (id int PRIMARY KEY);
INSERT INTO e_fk_parent SELECT generate_series(1, 10);
ALTER TABLE e_fk_child ADD COLUMN parent int REFERENCES e_fk_parent ON UPDATE CASCADE ON DELETE SET NULL;
ALTER TABLE e_identity ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;
-- Another BEFORE ROW trigger reads the audit columns: it must see what the client sent.
CREATE FUNCTION e_peek() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.payload := format('%s saw created_by=%s updated_by=%s created_at=%s updated_at=%s deleted_by=%s',
        TG_OP, coalesce(NEW.created_by, 'NULL'), coalesce(NEW.updated_by, 'NULL'),
        NEW.created_at IS NOT NULL, NEW.updated_at IS NOT NULL, coalesce(NEW.deleted_by, 'NULL'));
    RETURN NEW;
END $$;
CREATE TRIGGER aa_peek BEFORE INSERT OR UPDATE ON e_peek FOR EACH ROW EXECUTE FUNCTION e_peek();
CREATE TRIGGER aa_peek BEFORE INSERT OR UPDATE ON e_peek_fill FOR EACH ROW EXECUTE FUNCTION e_peek();
-- A column-specific trigger fires for the columns the statement names, not those stamped.
CREATE TABLE e_update_of_log (n serial, id int, updated_by text);
CREATE FUNCTION e_update_of_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO e_update_of_log (id, updated_by) VALUES (NEW.id, NEW.updated_by);
    RETURN NULL;
END $$;
CREATE TRIGGER e_update_of_log AFTER UPDATE OF updated_by, created_by ON e_update_of
    FOR EACH ROW EXECUTE FUNCTION e_update_of_log();
ALTER TABLE e_generated ADD COLUMN who text GENERATED ALWAYS AS (upper(created_by) || '/' || upper(updated_by)) STORED;
SELECT audit_fields.enable('e_warn_prepared', missing_actor => 'warn');
ALTER TABLE e_warn_savepoint ADD CHECK (id < 100);
SELECT audit_fields.enable('e_warn_savepoint', missing_actor => 'warn');
CREATE FUNCTION e_sql_write(new_id int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO e_functions (id, payload) VALUES (new_id, 'sql');
    UPDATE e_functions SET payload = 'sql upd', created_by = 'mallory' WHERE id = new_id - 1;
$$;
CREATE FUNCTION e_atomic_write(new_id int) RETURNS void LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO e_functions (id, payload, created_by) VALUES (new_id, 'atomic', 'client');
    UPDATE e_functions SET payload = 'atomic upd', updated_by = 'client' WHERE id = new_id - 1;
END;
CREATE TABLE e_default_sets (id int PRIMARY KEY, created_at timestamptz, created_by text, updated_at timestamptz,
                             updated_by text, marker text DEFAULT set_config('audit_fields.actor', 'set-by-default', true));
SELECT audit_fields.enable('e_default_sets');
CREATE TABLE e_first (id int PRIMARY KEY, created_at timestamp, created_by text, updated_at timestamp,
                      updated_by text, payload text);
SELECT audit_fields.enable('e_first');
CREATE TABLE e_first_fill (LIKE e_first INCLUDING ALL);
SELECT audit_fields.enable('e_first_fill', stamp_mode => 'fill');
""")
    c.dumps.append("SELECT 'e_after_log ' || row(n, op, id, created_by, updated_by, _ps_class(created_at), "
                   "_ps_class(updated_at), _ps_class(deleted_at), deleted_by)::text FROM e_after_log ORDER BY n;\n")
    for nm in ("e_first", "e_first_fill"):
        c.dumps.append("SELECT '%s ' || row(id, payload, created_by, updated_by, _ps_class(created_at::timestamptz), "
                       "_ps_class(updated_at::timestamptz))::text FROM %s ORDER BY id;\n" % (nm, nm))
    c.dumps.append("SELECT 'e_fk_child.parent ' || row(id, parent)::text FROM e_fk_child ORDER BY id;\n")
    alice = "SET LOCAL audit_fields.actor = 'alice@example.com';\nSET LOCAL audit_fields.actor_name = 'Alice';"
    bob = "SET LOCAL audit_fields.actor = 'bob@example.com';"
    replica = bob + "\nSET LOCAL session_replication_role = replica;"
    for nm in ("e_disabled", "e_always", "e_replica"):
        for pre in (alice, replica):
            c.add(pre, "INSERT INTO %s (id, payload, created_by) VALUES (%d, 'x', 'client')"
                  % (nm, 1 if pre == alice else 3))
            c.add(pre, "INSERT INTO %s (id, payload) SELECT g, 'sel' FROM generate_series(%d, %d) AS g"
                  % (nm, 10 if pre == alice else 20, 12 if pre == alice else 22))
            c.add(pre, "UPDATE %s SET payload = 'upd', created_by = 'mallory' WHERE id IN (1, 10, 21)" % nm)
            c.add(pre, "INSERT INTO %s (id, payload) VALUES (1, 'upsert'), (30, 'new') "
                  "ON CONFLICT (id) DO UPDATE SET payload = excluded.payload" % nm)
            c.add(pre, "MERGE INTO %s t USING (VALUES (2), (40)) s(id) ON t.id = s.id WHEN MATCHED THEN "
                  "UPDATE SET payload = 'merged' WHEN NOT MATCHED THEN INSERT (id, payload) VALUES (s.id, 'm')" % nm)
    c.add(replica, "INSERT INTO e_part (id, region, payload) VALUES (1, 'eu', 'replica'), (2, 'us', 'replica')")
    for pre in (alice, bob):
        c.add(pre, "INSERT INTO e_part (id, region, payload) SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, "
              "'part' FROM generate_series(10, 15) AS g ON CONFLICT (id, region) DO UPDATE SET payload = 'again'")
        c.add(pre, "UPDATE e_part SET payload = 'upd' WHERE id BETWEEN 10 AND 12")
        c.add(pre, "UPDATE e_part SET region = CASE region WHEN 'eu' THEN 'us' ELSE 'eu' END WHERE id IN (13, 14)")
        c.add(pre, "DELETE FROM e_part WHERE id = 15")
    # Inheritance: UPDATE / DELETE on the parent reach the children, each with its own trigger.
    c.add(alice, "INSERT INTO e_inh_parent (id, payload) VALUES (1, 'parent')")
    c.add(alice, "INSERT INTO e_inh_child_off (id, payload, created_by) VALUES (2, 'child off', 'client')")
    c.add(alice, "INSERT INTO e_inh_child_on (id, payload, created_by) VALUES (3, 'child on', 'client')")
    c.add(bob, "UPDATE e_inh_parent SET payload = payload || ' updated', created_by = 'mallory'")
    c.add(bob, "UPDATE e_inh_parent SET deleted_at = '2001-01-01 00:00+00' WHERE id IN (1, 2, 3)")
    c.add(alice, "UPDATE e_inh_parent SET deleted_at = NULL")
    c.add(alice, "INSERT INTO e_inh_child_off (id, payload) VALUES (5, 'child off, kept')")
    c.add(bob, "UPDATE e_inh_parent SET payload = 'again', updated_by = 'mallory' WHERE id = 5")
    c.add(alice, "DELETE FROM e_inh_parent WHERE id = 2")
    c.add(bob, "MERGE INTO e_inh_parent t USING (VALUES (1), (3), (4)) s(id) ON t.id = s.id "
          "WHEN MATCHED THEN UPDATE SET payload = 'merged' WHEN NOT MATCHED THEN INSERT (id, payload) VALUES (s.id, 'm')")
    c.dumps.append("SELECT 'e_inh_child_off ' || row(id, payload, created_by, updated_by, _ps_class(created_at), "
                   "_ps_class(updated_at), _ps_class(deleted_at))::text FROM e_inh_child_off ORDER BY id;\n")
    # Column privileges (INSERT (id, payload), UPDATE (payload, deleted_at)) and row security whose
    # WITH CHECK needs the stamped actor.
    writer = "SET LOCAL ROLE ps_writer;"
    for who in (alice, bob, "SET LOCAL audit_fields.missing_actor = 'allow';"):
        c.add(who + "\n" + writer, "INSERT INTO e_priv (id, payload) VALUES (%d, 'writer')" % (len(c.blocks) % 1000))
        c.add(who + "\n" + writer, "INSERT INTO e_priv (id, payload) SELECT g, 'writer sel' FROM generate_series(%d, %d) g"
              % (1000 + len(c.blocks), 1002 + len(c.blocks)))
        c.add(who + "\n" + writer, "UPDATE e_priv SET payload = payload || '.'")
        c.add(who + "\n" + writer, "UPDATE e_priv SET deleted_at = '2001-01-01 00:00+00' WHERE id % 3 = 0")
        c.add(who + "\n" + writer, "DELETE FROM e_priv WHERE id % 3 = 1")
    c.add(alice + "\n" + writer, "UPDATE e_priv SET created_by = 'mallory'")
    # The hardening (actor_setter_role): a member's actor is written; an actor set by a non-member
    # before the hardening was switched on is refused when a row is written.
    hardened = "SET LOCAL audit_fields.actor_setter_role = 'ps_setter';"
    member = hardened + "\nSET LOCAL ROLE ps_member;\nSET LOCAL audit_fields.actor = 'member@example.com';"
    c.add(member, "INSERT INTO e_priv (id, payload) VALUES (2001, 'member')")
    c.add(member, "INSERT INTO e_priv (id, payload) SELECT g, 'member sel' FROM generate_series(2002, 2004) AS g")
    c.add(member, "UPDATE e_priv SET payload = 'member upd' WHERE id >= 2001")
    early = ("SET LOCAL ROLE ps_writer;\nSET LOCAL audit_fields.actor = 'forged@example.com';\nRESET ROLE;\n"
             + hardened + "\nSET LOCAL ROLE ps_writer;")
    c.add(early, "INSERT INTO e_priv (id, payload) VALUES (2005, 'forged')")
    c.add(early, "UPDATE e_priv SET payload = 'forged upd' WHERE id >= 2001")
    c.add("SET LOCAL audit_fields.actor = 'superuser@example.com';\n" + hardened + "\nSET LOCAL ROLE ps_writer;",
          "INSERT INTO e_priv (id, payload) VALUES (2006, 'set by a superuser')")
    # AFTER triggers read the stamped row.
    for pre in (alice, bob):
        c.add(pre, "INSERT INTO e_after (id, payload) SELECT g, 'after' FROM generate_series(%d, %d) AS g"
              % ((1, 3) if pre == alice else (4, 6)))
        c.add(pre, "UPDATE e_after SET payload = 'after upd', created_by = 'mallory' WHERE id % 2 = 0")
        c.add(pre, "DELETE FROM e_after WHERE id IN (%s)" % ("1" if pre == alice else "3, 5"))
        c.add(pre, "INSERT INTO e_after (id, payload) VALUES (2, 'up') ON CONFLICT (id) DO UPDATE SET payload = 'up'")
    # A BEFORE STATEMENT trigger sets the actor; a function in the statement changes it per row.
    for pre in (alice, ""):
        c.add(pre, "INSERT INTO e_stmt_trigger (id, payload) VALUES (%d, 'statement trigger')" % (1 if pre else 2))
        c.add(pre, "UPDATE e_stmt_trigger SET payload = 'statement trigger upd'")
    c.add(alice, "INSERT INTO e_actor_midway (id, payload) SELECT g, set_config('audit_fields.actor', 'row-' || g, true) "
          "FROM generate_series(1, 4) AS g")
    c.add(alice, "UPDATE e_actor_midway SET payload = set_config('audit_fields.actor', 'upd-' || id, true)")
    c.add(alice, "INSERT INTO e_actor_midway (id, payload) VALUES (10, set_config('audit_fields.actor', 'values', true)), "
          "(11, set_config('audit_fields.actor', '', true))")
    # Foreign key actions update the child through the referential-integrity triggers' own queries.
    c.add(alice, "INSERT INTO e_fk_child (id, payload, parent) SELECT g, 'child', g FROM generate_series(1, 6) AS g")
    c.add(bob, "UPDATE e_fk_parent SET id = id + 100 WHERE id IN (1, 2)")
    c.add(bob, "DELETE FROM e_fk_parent WHERE id = 3")
    c.add("", "UPDATE e_fk_parent SET id = id + 100 WHERE id = 4")
    c.add("SET LOCAL audit_fields.missing_actor = 'warn';", "DELETE FROM e_fk_parent WHERE id = 5")
    for nm in ("e_peek", "e_peek_fill"):
        c.add(alice, "INSERT INTO %s (id, payload) VALUES (1, 'x')" % nm)
        c.add(alice, "INSERT INTO %s (id, created_by, updated_at) VALUES (2, 'client', '2001-01-01 00:00+00')" % nm)
        c.add(bob, "INSERT INTO %s (id) SELECT g FROM generate_series(3, 5) AS g" % nm)
        c.add(bob, "UPDATE %s SET payload = 'upd' WHERE id IN (1, 2)" % nm)
        c.add(bob, "UPDATE %s SET updated_by = 'client' WHERE id = 3" % nm)
        c.add(alice, "INSERT INTO %s (id) VALUES (4), (6) ON CONFLICT (id) DO UPDATE SET payload = 'conflict'" % nm)
        c.add(alice, "MERGE INTO %s t USING (VALUES (5), (7)) s(id) ON t.id = s.id WHEN MATCHED THEN "
              "UPDATE SET payload = 'm' WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)" % nm)
        c.add(bob, "DELETE FROM %s WHERE id = 6" % nm)
    c.add(alice, "INSERT INTO e_update_of (id, payload) SELECT g, 'x' FROM generate_series(1, 4) AS g")
    c.add(bob, "UPDATE e_update_of SET payload = 'not named'")
    c.add(bob, "UPDATE e_update_of SET payload = 'named', updated_by = 'client' WHERE id <= 2")
    c.add(alice, "INSERT INTO e_update_of (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET payload = 'conflict'")
    c.dumps.append("SELECT 'e_update_of_log ' || row(n, id, updated_by)::text FROM e_update_of_log ORDER BY n;\n")
    c.add(alice, "INSERT INTO e_generated (id, payload) VALUES (1, 'x'), (2, 'y')")
    c.add(bob, "UPDATE e_generated SET payload = 'z', created_by = 'mallory'")
    c.dumps.append("SELECT 'e_generated.who ' || row(id, who)::text FROM e_generated ORDER BY id;\n")
    # Plans made with the database's setting, executed with the setting off (and on): the trigger
    # then runs on rows the plan stamped, and a missing actor is still counted once per row.
    c.add("", "PREPARE e_warn_ins (int) AS INSERT INTO e_warn_prepared (id, payload) VALUES ($1, 'prepared')")
    c.add("", "PREPARE e_warn_upd (int) AS UPDATE e_warn_prepared SET payload = 'prepared upd' WHERE id = $1")
    for i in range(1, 4):
        c.add("SET LOCAL audit_fields.planner_stamping = off;", "EXECUTE e_warn_ins(%d)" % i)
        c.add("SET LOCAL audit_fields.planner_stamping = off;", "EXECUTE e_warn_upd(%d)" % i)
        c.add(alice + "\nSET LOCAL audit_fields.planner_stamping = off;", "EXECUTE e_warn_upd(%d)" % i)
        c.add("", "EXECUTE e_warn_ins(%d)" % (i + 10))
        c.add("", "EXECUTE e_warn_upd(%d)" % (i + 10))
    # Functions: SQL (parsed at each call), SQL-standard body (analysed once, at CREATE FUNCTION).
    c.add(alice, "SELECT e_sql_write(1)")
    c.add(bob, "SELECT e_sql_write(2)")
    c.add(alice, "SELECT e_atomic_write(3)")
    c.add(bob, "SELECT e_atomic_write(4)")
    c.add("", "SELECT audit_fields.enable('e_functions', stamp_mode => 'fill')")
    c.add(alice, "SELECT e_atomic_write(5)")
    c.add(bob, "SELECT e_sql_write(6)")
    # COPY (INSERT ... RETURNING) TO STDOUT, EXPLAIN ANALYZE (its plan output is not compared).
    c.add(alice, "COPY (INSERT INTO e_functions (id, payload) VALUES (20, 'copy query') RETURNING id, created_by, "
          "updated_by) TO STDOUT")
    c.add(alice, "EXPLAIN (ANALYZE, COSTS OFF) INSERT INTO e_functions (id, payload) SELECT g, 'explain' "
          "FROM generate_series(30, 32) AS g", quiet=True)
    c.add(bob, "EXPLAIN ANALYZE UPDATE e_functions SET payload = 'explain upd', created_by = 'mallory' WHERE id >= 30",
          quiet=True)
    c.add("", "EXPLAIN ANALYZE UPDATE e_functions SET payload = 'explain no actor' WHERE id = 30", quiet=True)
    # The actor and the time zone changed, row by row, by a function in the statement's SET list,
    # which comes after the audit columns in this table. (A time zone ahead of the session's would
    # make the trigger's timestamp a value no class describes; UTC is behind it, so the clock,
    # which never goes backwards, keeps OLD's stamp.)
    c.add(alice, "INSERT INTO e_first (id, payload) SELECT g, set_config('audit_fields.actor', 'row-' || g, true) "
          "FROM generate_series(1, 3) AS g")
    c.add(alice, "UPDATE e_first SET payload = set_config('audit_fields.actor', 'upd-' || id, true)")
    c.add(alice, "UPDATE e_first SET payload = set_config('TimeZone', 'UTC', true) WHERE id = 1")
    for nm in ("e_first", "e_first_fill"):
        c.add(bob, "INSERT INTO %s (id, payload) VALUES (1, 'x'), (2, 'y'), (20, 'z') ON CONFLICT (id) DO UPDATE "
              "SET payload = set_config('audit_fields.actor', 'upsert-' || excluded.id, true)" % nm)
        c.add(bob, "MERGE INTO %s t USING (VALUES (1), (2), (3), (21)) s(id) ON t.id = s.id WHEN MATCHED THEN "
              "UPDATE SET payload = set_config('audit_fields.actor', 'merge-' || s.id, true) WHEN NOT MATCHED THEN "
              "INSERT (id, payload) VALUES (s.id, set_config('audit_fields.actor', 'merge-ins-' || s.id, true))" % nm)
        c.add(bob, "UPDATE %s SET payload = 'returning' WHERE id <= 3 "
              "RETURNING id, set_config('audit_fields.actor', 'returning-' || id, true)" % nm)
        c.add(bob, "UPDATE %s SET payload = 'where' WHERE set_config('audit_fields.actor', 'where-' || id, true) "
              "IS NOT NULL AND id <= 3" % nm)
    # Prepared (the database's setting), then the table changes under the plan: a child table, another
    # BEFORE trigger, the audit trigger disabled, then replica-only.
    c.add("", "PREPARE e_later_upd (int) AS UPDATE e_later SET payload = 'later', updated_by = 'client' WHERE id <= $1")
    c.add("", "PREPARE e_later_ins (int) AS INSERT INTO e_later (id, payload, created_by) VALUES ($1, 'later', 'client')")
    c.add(alice, "EXECUTE e_later_ins(1)")
    c.add(alice, "EXECUTE e_later_upd(100)")
    c.add("", "CREATE TABLE e_later_child () INHERITS (e_later)")
    c.add("SET LOCAL audit_fields.enabled = off;", "INSERT INTO e_later_child (id, payload) VALUES (50, 'child')")
    c.add(bob, "EXECUTE e_later_upd(100)")
    c.add(bob, "EXECUTE e_later_ins(2)")
    c.add("", "CREATE TRIGGER aa_peek BEFORE INSERT OR UPDATE ON e_later FOR EACH ROW EXECUTE FUNCTION e_peek()")
    c.add(alice, "EXECUTE e_later_ins(3)")
    c.add(alice, "EXECUTE e_later_upd(100)")
    c.add("", "DROP TRIGGER aa_peek ON e_later")
    c.add("", "ALTER TABLE e_later DISABLE TRIGGER zz_audit_fields")
    c.add(bob, "EXECUTE e_later_ins(4)")
    c.add(bob, "EXECUTE e_later_upd(100)")
    c.add("", "ALTER TABLE e_later ENABLE REPLICA TRIGGER zz_audit_fields")
    c.add(alice, "EXECUTE e_later_ins(5)")
    c.add(alice + "\nSET LOCAL session_replication_role = replica;", "EXECUTE e_later_ins(6)")
    c.add(alice + "\nSET LOCAL session_replication_role = replica;", "EXECUTE e_later_upd(100)")
    c.add("", "ALTER TABLE e_later ENABLE TRIGGER zz_audit_fields")
    c.add(bob, "EXECUTE e_later_ins(7)")
    c.add(bob, "EXECUTE e_later_upd(100)")
    c.dumps.append("SELECT 'e_later_child ' || row(id, payload, created_by, updated_by, _ps_class(created_at), "
                   "_ps_class(updated_at))::text FROM e_later_child ORDER BY id;\n")
    # audit_fields.clock = 'statement': the statement records its own statement_timestamp() in a CTE
    # (the statement stays an INSERT / UPDATE / MERGE of the table), under k + 100000.
    for nm in ("e_clock_statement", "e_clock_statement_fill"):
        for sql in ["INSERT INTO %s (id, payload) VALUES (1, 'a'), (2, 'b')",
                    "INSERT INTO %s (id, payload, created_at) SELECT g, 'sel', CASE WHEN g = 4 THEN "
                    "'2001-01-01 00:00+00'::timestamptz END FROM generate_series(3, 4) AS g",
                    "UPDATE %s SET payload = 'upd' WHERE id <= 3",
                    "INSERT INTO %s (id, payload) VALUES (1, 'x'), (5, 'y') ON CONFLICT (id) DO UPDATE SET payload = 'upsert'",
                    "UPDATE %s SET deleted_at = now() WHERE id = 2",
                    "MERGE INTO %s t USING (VALUES (3), (6)) s(id) ON t.id = s.id WHEN MATCHED THEN "
                    "UPDATE SET payload = 'merge' WHEN NOT MATCHED THEN INSERT (id, payload) VALUES (s.id, 'merge')"]:
            k = len(c.blocks) + 1
            c.add(alice + "\nSET LOCAL audit_fields.clock = 'statement';",
                  "WITH statement_time AS (INSERT INTO _ps_now VALUES (%d, statement_timestamp())) " % (k + 100000)
                  + sql % nm)
    # pgbench runs pgbench_<mode>.sql in every database after the corpus, in its three protocols:
    # simple, extended (unnamed statements) and prepared (named, past the five custom plans into
    # the generic one). Ids and the transaction's now() come from a sequence, the same in every
    # database.
    c.setup.append("CREATE SEQUENCE e_pgbench_seq START 300000;\n")
    for mode in ("simple", "extended", "prepared"):
        c.pgbench[mode] = """BEGIN;
SELECT nextval('e_pgbench_seq') * 2 AS k \\gset
INSERT INTO _ps_now VALUES (:k, now());
SELECT audit_fields.set_actor('pgbench-' || (:k %% 3), NULL);
INSERT INTO e_pgbench_%(mode)s (id, payload, created_by) VALUES (:k, 'pgbench', CASE WHEN :k %% 4 = 0 THEN 'client' END);
INSERT INTO e_pgbench_%(mode)s (id, payload) SELECT :k + g, 'pgbench select' FROM generate_series(1, 1) AS g;
UPDATE e_pgbench_%(mode)s SET payload = 'pgbench upd', updated_by = CASE WHEN :k %% 3 = 0 THEN 'client' END WHERE id = :k - 4;
UPDATE e_pgbench_%(mode)s SET updated_at = NULL WHERE id = :k - 8;
INSERT INTO e_pgbench_%(mode)s (id, payload) VALUES (:k - 12, 'upsert') ON CONFLICT (id) DO UPDATE SET payload = excluded.payload;
END;
""" % {"mode": mode}
    # Other actor types: citext, bigint, name, char(n) (padded), varchar(3) (too short for one name).
    c.setup.append("""CREATE EXTENSION citext;
CREATE TABLE e_types (id int PRIMARY KEY, payload text, created_at timestamptz, updated_at timestamptz,
                      deleted_at timestamptz, created_by citext, created_by_name char(10), updated_by bigint,
                      updated_by_name varchar(3), deleted_by name, deleted_by_name char(2));
SELECT audit_fields.enable('e_types', soft_delete => true);
CREATE TABLE e_types_fill (LIKE e_types INCLUDING ALL);
SELECT audit_fields.enable('e_types_fill', soft_delete => true, stamp_mode => 'fill');
""")
    for nm in ("e_types", "e_types_fill"):
        fits = "SET LOCAL audit_fields.actor = '42';\nSET LOCAL audit_fields.actor_name = 'Al';"
        long_name = "SET LOCAL audit_fields.actor = '43';\nSET LOCAL audit_fields.actor_name = 'Alice';"
        c.add(fits, "INSERT INTO %s (id, payload) VALUES (1, 'a'), (2, 'b') RETURNING created_by, created_by_name, "
              "updated_by, updated_by_name" % nm)
        c.add(fits, "INSERT INTO %s (id, payload, created_by, updated_by) SELECT g, 'sel', 'Client', 7 "
              "FROM generate_series(3, 4) AS g" % nm)
        c.add(long_name, "INSERT INTO %s (id, payload) VALUES (5, 'long name')" % nm)
        c.add(long_name, "UPDATE %s SET payload = 'long name upd' WHERE id = 1" % nm)
        c.add(fits, "UPDATE %s SET payload = 'upd', created_by = 'CLIENT' WHERE id IN (2, 3)" % nm)
        c.add(fits, "DELETE FROM %s WHERE id = 4" % nm)
        c.add("SET LOCAL audit_fields.actor = 'not a number';", "UPDATE %s SET payload = 'bad' WHERE id = 1" % nm)
        c.dumps.append("SELECT '%s ' || row(id, payload, _ps_class(created_at), _ps_class(updated_at), "
                       "_ps_class(deleted_at), created_by, created_by_name, updated_by, updated_by_name, deleted_by, "
                       "deleted_by_name)::text FROM %s ORDER BY id;\n" % (nm, nm))
    # PostgreSQL 17's MERGE: WHEN NOT MATCHED BY SOURCE and RETURNING (a syntax error, the same in
    # every database, on 15).
    for nm, pre in (("e_merge17", alice), ("e_merge17_fill", bob)):
        c.add(pre, "INSERT INTO %s (id, payload) SELECT g, 'seed' FROM generate_series(1, 4) AS g" % nm)
        c.add(pre, "MERGE INTO %s t USING (VALUES (1), (5)) s(id) ON t.id = s.id "
              "WHEN MATCHED THEN UPDATE SET payload = 'matched' "
              "WHEN NOT MATCHED BY SOURCE AND t.id = 2 THEN UPDATE SET payload = 'not by source', updated_by = 'client' "
              "WHEN NOT MATCHED BY SOURCE AND t.id = 3 THEN DELETE "
              "WHEN NOT MATCHED THEN INSERT (id, payload) VALUES (s.id, 'inserted') "
              "RETURNING merge_action(), t.id, t.created_by, t.updated_by" % nm)
    # Missing actors counted by rows of a statement that fails, inside and outside a savepoint.
    c.add("", "INSERT INTO e_warn_savepoint (id, payload) SELECT g, 'fails' FROM generate_series(98, 101) AS g")
    c.add("", "SAVEPOINT s;\nINSERT INTO e_warn_savepoint (id, payload) SELECT g, 'fails' FROM generate_series(98, 101) AS g;\n"
          "ROLLBACK TO SAVEPOINT s;\nINSERT INTO e_warn_savepoint (id, payload) VALUES (1, 'kept'), (2, 'kept')")
    c.add("", "SAVEPOINT s;\nUPDATE e_warn_savepoint SET id = id + 97;\nROLLBACK TO SAVEPOINT s;\n"
          "UPDATE e_warn_savepoint SET payload = 'kept upd'")
    c.add("", "INSERT INTO e_warn_savepoint (id, payload) VALUES (3, 'ok');\nUPDATE e_warn_savepoint SET id = 200")
    # A column default that changes the actor (defaults join the target list after parse analysis,
    # in column order: this one comes after the audit columns).
    c.add(alice, "INSERT INTO e_default_sets (id) VALUES (1), (2)")
    c.add(alice, "INSERT INTO e_default_sets (id) SELECT g FROM generate_series(3, 4) AS g")
    c.add(alice, "UPDATE e_default_sets SET marker = DEFAULT WHERE id = 1")
    c.dumps.append("SELECT 'e_default_sets ' || row(id, marker, created_by, updated_by, _ps_class(created_at), "
                   "_ps_class(updated_at))::text FROM e_default_sets ORDER BY id;\n")
    # UPDATE ... WHERE CURRENT OF a cursor.
    c.add(bob, "DECLARE e_cursor CURSOR FOR SELECT id FROM e_identity ORDER BY id FOR UPDATE;\n"
          "FETCH e_cursor;\nUPDATE e_identity SET payload = 'cursor' WHERE CURRENT OF e_cursor;\nCLOSE e_cursor")
    # Partitioned by an audit column: the row is routed by what the client sent, and a stamp that
    # would move it to another partition is an error; the plan must not route it differently.
    c.setup.append("""
CREATE TABLE e_by_created (id int, payload text, created_at timestamptz, updated_at timestamptz,
                           created_by text, updated_by text) PARTITION BY RANGE (created_at);
CREATE TABLE e_by_created_old PARTITION OF e_by_created FOR VALUES FROM (MINVALUE) TO ('2020-01-01');
CREATE TABLE e_by_created_new PARTITION OF e_by_created FOR VALUES FROM ('2020-01-01') TO (MAXVALUE);
CREATE TABLE e_by_created_default PARTITION OF e_by_created DEFAULT;
SELECT audit_fields.enable('e_by_created', stamp_mode => 'fill');
""")
    c.add(alice, "INSERT INTO e_by_created (id, payload) VALUES (1, 'no created_at')")
    c.add(alice, "INSERT INTO e_by_created (id, payload, created_at) VALUES (2, 'old', '2001-01-01 00:00+00')")
    c.add(alice, "INSERT INTO e_by_created (id, payload, created_at) VALUES (3, 'new', '2030-01-01 00:00+00')")
    c.add(bob, "UPDATE e_by_created SET payload = 'upd', created_at = NULL WHERE id = 2")
    c.add(bob, "UPDATE e_by_created SET payload = 'upd' WHERE id = 3")
    c.dumps.append("SELECT 'e_by_created ' || row(tableoid::regclass, id, payload, _ps_class(created_at), "
                   "_ps_class(updated_at), created_by, updated_by)::text FROM e_by_created ORDER BY id;\n")
    # DEFAULT VALUES, SET ... = DEFAULT, MERGE ... INSERT DEFAULT VALUES.
    c.add(alice, "INSERT INTO e_identity DEFAULT VALUES")
    c.add(alice, "INSERT INTO e_identity DEFAULT VALUES RETURNING id, created_by")
    c.add(bob, "UPDATE e_identity SET created_by = DEFAULT, updated_by = DEFAULT, updated_at = DEFAULT")
    c.add(bob, "MERGE INTO e_identity t USING (VALUES (1), (50)) s(id) ON t.id = s.id WHEN MATCHED THEN "
          "UPDATE SET updated_by = DEFAULT WHEN NOT MATCHED THEN INSERT DEFAULT VALUES")


def main():
    outdir = sys.argv[1]
    c = Corpus()
    ti = 0
    for vi, v in enumerate(VARIANTS):
        for mi, mode in enumerate(STAMP_MODES):
            for soft in ([False, True] if "deleted_at" in v.columns else [False]):
                # Every on_created_change with every mode and soft_delete for the first layout;
                # the others alternate it (with the mode, so it does not follow soft_delete).
                for occ in (["restore", "reject"] if vi == 0 else [["restore", "reject"][(vi + mi) % 2]]):
                    t = Table("t%02d_%s_%s%s%s" % (ti, v.key, mode, "_soft" if soft else "",
                                                   "_reject" if occ == "reject" else ""),
                              v, mode, soft, occ, TABLE_MISSING[ti % len(TABLE_MISSING)])
                    c.tables.append(t)
                    c.setup.append(t.create())
                    ti += 1
    for vi, v in enumerate((VARIANTS[0], VARIANTS[1])):
        for mode in STAMP_MODES:
            soft = (ti % 2 == 0)
            t = Table("p%02d_%s_%s%s" % (ti, v.key, mode, "_soft" if soft else ""), v, mode, soft,
                      ["restore", "reject"][vi], TABLE_MISSING[ti % len(TABLE_MISSING)], partitioned=True)
            c.tables.append(t)
            c.setup.append(t.create())
            ti += 1
    for i, t in enumerate(list(c.tables)):
        table_statements(c, t, i)
    fallback_statements(c)
    edge_statements(c)
    c.write(outdir)


if __name__ == "__main__":
    main()
