// The scope rule has two forms built from the same parts (src/core/table_scope.h): the SQL
// predicate the catalog queries, enable_schema() and auto_enable run, and table_in_scope(), which
// run_scan() applies to tables described by hand. For every relation of a real database that a
// description can stand for (not temporary, not an extension's), both must give the same answer.
#include "test_support.h"

#include "core/table_scope.h"

#include <gtest/gtest.h>

#include <string>

using audit_fields::test::Connection;

namespace {

class TableScope : public audit_fields::test::SharedDatabaseTest<TableScope> {
  public:
    static constexpr const char* kDatabase = "af_table_scope";
    static void prepare_database(Connection& setup) {
        setup.must("CREATE SCHEMA app");
        setup.must("CREATE SCHEMA \"Pg_mixed_case\""); // not pg_: the prefix is case-sensitive
        setup.must("CREATE SCHEMA pgx");
        for (const char* schema : {"app", "\"Pg_mixed_case\"", "pgx", "audit_fields", "public"})
            setup.must(std::string("CREATE TABLE ") + schema + ".plain (id int PRIMARY KEY)");
        setup.must("CREATE TABLE app.events (id int, region text) PARTITION BY LIST (region)");
        setup.must("CREATE TABLE app.events_eu PARTITION OF app.events FOR VALUES IN ('eu') "
                   "PARTITION BY RANGE (id)");
        setup.must("CREATE TABLE app.events_eu_low PARTITION OF app.events_eu "
                   "FOR VALUES FROM (0) TO (100)");
        setup.must("CREATE TABLE app.parent (id int)");
        setup.must("CREATE TABLE app.inheriting () INHERITS (app.parent)");
        setup.must("CREATE VIEW app.v AS SELECT 1 AS x");
        setup.must("CREATE MATERIALIZED VIEW app.mv AS SELECT 1 AS x");
        setup.must("CREATE SEQUENCE app.s");
        setup.must("CREATE TYPE app.pair AS (a int, b int)");
    }
};

} // namespace

TEST_F(TableScope, SqlPredicateAndTableInScopeAgreeOnEveryRelation) {
    const auto rows = c().must(
        "SELECT n.nspname, c.relkind, c.relispartition, (" AF_TABLE_SCOPE_PREDICATE ")"
        " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relpersistence <> 't'"
        "   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend dep"
        "                   WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
        "                     AND dep.objid = c.oid AND dep.deptype = 'e')"
        " ORDER BY n.nspname, c.relname");
    ASSERT_GT(rows.rows.size(), 100u); // the system catalogs alone are more
    int in = 0, out = 0;
    for (const auto& row : rows.rows) {
        const std::string schema = row.at(0).value();
        const char relkind = row.at(1).value().at(0);
        const bool partition = row.at(2).value() == "t";
        const bool sql = row.at(3).value() == "t";
        EXPECT_EQ(audit_fields::scan::table_in_scope(schema, relkind, partition), sql)
            << schema << " relkind " << relkind << (partition ? " partition" : "");
        ++(sql ? in : out);
    }
    // Both answers occur: the tables the fixture made in app, Pg_mixed_case, pgx and public
    // (app.events, app.plain, app.parent, app.inheriting, and one plain table in each other).
    EXPECT_EQ(in, 7);
    EXPECT_GT(out, 100);
}
