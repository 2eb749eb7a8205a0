#include "core/fix_sql.h"
#include "core/scan_rules.h"
#include "core/sql_text.h"

#include "scan_test_tables.h"

#include <gtest/gtest.h>

using namespace audit_fields;
using namespace audit_fields::scan;
using namespace audit_fields::scan::testing;

namespace {
bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}
} // namespace

// Names from the catalogs come quoted by the server; quote_ident() is only for names no catalog
// quoted, so it quotes always (no keyword list to go stale), except the nine logical names.
TEST(SqlText, QuoteIdentQuotesEverythingButTheLogicalNames) {
    EXPECT_EQ(sql::quote_ident("users"), "\"users\"");
    EXPECT_EQ(sql::quote_ident("system_user"), "\"system_user\"");
    EXPECT_EQ(sql::quote_ident("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(sql::quote_ident(""), "\"\"");
    EXPECT_EQ(sql::quote_ident("created_by_name"), "created_by_name");
    EXPECT_EQ(sql::ident("system_user", "\"system_user\""), "\"system_user\"");
    EXPECT_EQ(sql::ident("x", ""), "\"x\"");
}

TEST(SqlText, QuoteLiteral) {
    EXPECT_EQ(sql::quote_literal("it's"), "'it''s'");
    EXPECT_EQ(sql::quote_literal("a\\b"), "E'a\\\\b'");
}

TEST(SqlText, EnableCallCarriesEveryNonDefaultOption) {
    TableOptions o = parse_table_options(
        {"stamp_mode=fill", "soft_delete=true", "on_created_change=reject", "created_by=who's"});
    EXPECT_EQ(sql::enable_call(sql::qualified("My App", "user"), o, "warn"),
              "SELECT audit_fields.enable('\"My App\".\"user\"', column_map => "
              "'{\"created_by\": \"who''s\"}', soft_delete => true, stamp_mode => 'fill', "
              "on_created_change => 'reject', missing_actor => 'warn');");
}

TEST(SqlText, ServerQuotedNamesAreUsedAsGiven) {
    Table t;
    t.schema = "app";
    t.name = "system_user";
    t.qualified = "app.\"system_user\""; // what a PostgreSQL 16 server's quote_ident() returns
    const TableReport r = check_table(t);
    EXPECT_EQ(r.qualified, "app.\"system_user\"");
    EXPECT_TRUE(contains(r.findings[0].remediation, "ALTER TABLE app.\"system_user\"\n"));
    t.qualified.clear(); // not from a server: quoted regardless
    EXPECT_EQ(check_table(t).qualified, "\"app\".\"system_user\"");
}

TEST(FixSql, NothingToFix) {
    const ScanResult r = run_scan({compliant()});
    FixOptions o;
    o.database = "db";
    const std::string sql = fix_migration(r, o);
    EXPECT_TRUE(contains(sql, "-- Nothing to fix."));
    EXPECT_FALSE(contains(sql, "BEGIN"));
}

TEST(FixSql, OneTransactionPerTableUnderLockTimeout) {
    Table a = compliant("a"), b = compliant("b");
    a.triggers.clear();
    drop_column(b, "updated_by_name");
    FixOptions o;
    o.database = "db";
    o.extension_installed = false;
    o.lock_timeout = "250ms";
    const std::string sql = fix_migration(run_scan({a, b}), o);
    EXPECT_TRUE(contains(sql, "\nCREATE EXTENSION IF NOT EXISTS audit_fields;\n"));
    EXPECT_TRUE(contains(sql, "-- public.a: AF006\nBEGIN;\nSET LOCAL lock_timeout = '250ms';\n"
                              "SELECT audit_fields.enable('public.a', missing_actor => 'warn');\n"
                              "COMMIT;\n"));
    EXPECT_TRUE(contains(sql, "-- public.b: AF002\nBEGIN;\nSET LOCAL lock_timeout = '250ms';\n"
                              "ALTER TABLE public.b\n    ADD COLUMN IF NOT EXISTS updated_by_name "
                              "text;\nCOMMIT;\n"));
    // The header says what changes and what writers must do.
    EXPECT_TRUE(contains(sql, "-- What it changes (2 tables):"));
    EXPECT_TRUE(contains(sql, "-- What writers must do:"));
    EXPECT_TRUE(contains(sql, "missing_actor_report"));
    EXPECT_TRUE(contains(sql, "lock_timeout = '250ms'. A table"));
}

TEST(FixSql, EnforceLeavesMissingActorToTheSetting) {
    Table a = compliant("a");
    a.triggers.clear();
    FixOptions o;
    o.enforce = true;
    const std::string sql = fix_migration(run_scan({a}), o);
    EXPECT_TRUE(contains(sql, "SELECT audit_fields.enable('public.a');\n"));
    EXPECT_TRUE(contains(sql, "set the actor BEFORE"));
}

TEST(FixSql, NaiveTimestampsConvertWithoutRewriteUnderUtc) {
    Table t = compliant();
    t.columns[0] = col("created_at", "timestamp without time zone");
    t.columns[1] = col("updated_at", "timestamp without time zone");
    t.columns[1].declared_type = "timestamp(3) without time zone";
    drop_column(t, "updated_by");
    const TableReport r = check_table(t);
    const std::string fix = fix_table(r, FixOptions{});
    EXPECT_TRUE(contains(fix,
                         "BEGIN;\nSET LOCAL lock_timeout = '5s';\nSET LOCAL TimeZone = 'UTC';\n"
                         "ALTER TABLE public.users ALTER COLUMN created_at TYPE timestamp "
                         "with time zone;\nALTER TABLE public.users ALTER COLUMN updated_at "
                         "TYPE timestamp with time zone;\nCOMMIT;\n"));
    EXPECT_FALSE(contains(fix, "USING created_at"));
    FixOptions etc;
    etc.assume_timezone = "Etc/UTC";
    EXPECT_TRUE(contains(fix_table(r, etc), "SET LOCAL TimeZone = 'UTC';"));
}

TEST(FixSql, OtherZonesRewriteSoTheyAreCommentedOutUnlessAllowed) {
    Table t = compliant();
    t.columns[0] = col("created_at", "timestamp without time zone");
    drop_column(t, "deleted_at");
    const TableReport r = check_table(t);
    FixOptions paris;
    paris.assume_timezone = "Europe/Paris";
    const std::string fix = fix_table(r, paris);
    EXPECT_TRUE(contains(fix, "REWRITES"));
    EXPECT_TRUE(contains(fix,
                         "\n-- ALTER TABLE public.users ALTER COLUMN created_at TYPE timestamp "
                         "with time zone USING created_at AT TIME ZONE 'Europe/Paris';\n"));
    EXPECT_FALSE(contains(fix, "\nALTER TABLE"));
    paris.allow_rewrite = true;
    EXPECT_TRUE(contains(fix_table(r, paris), "\nALTER TABLE public.users ALTER COLUMN created_at "
                                              "TYPE timestamp with time zone USING"));
}

TEST(FixSql, NewTimestampColumnsFollowTheConvertedType) {
    Table t = compliant();
    t.triggers.clear();
    t.columns = {col("created_at", "timestamp without time zone")};
    t.columns[0].declared_type = "timestamp(0) without time zone";
    EXPECT_TRUE(contains(fix_table(check_table(t)), "updated_at timestamp(0) with time zone"));
    FixOptions paris;
    paris.assume_timezone = "Europe/Paris";
    EXPECT_TRUE(
        contains(fix_table(check_table(t), paris), "updated_at timestamp(0) without time zone"));
}

TEST(FixSql, NewColumnsFollowTheTablesConvention) {
    Table t = compliant();
    t.triggers.clear();
    t.columns = {col("created_at", "timestamp without time zone"),
                 col("created_by", "uuid", 'U', false)};
    t.columns[0].declared_type = "timestamp(0) without time zone";
    Column name = text_col("created_by_name");
    name.type = {"character varying", 'S'};
    name.declared_type = "character varying(200)";
    t.columns.push_back(name);
    FixOptions keep; // not converted: new columns match the naive type
    keep.assume_timezone = "America/New_York";
    const std::string fix = fix_table(check_table(t), keep);
    EXPECT_TRUE(contains(fix, "updated_at timestamp(0) without time zone"));
    EXPECT_TRUE(contains(fix, "updated_by uuid"));
    EXPECT_TRUE(contains(fix, "updated_by_name character varying(200)"));
}

TEST(FixSql, DomainsAreNotCopied) {
    Table t = compliant();
    t.triggers.clear();
    t.columns = {col("created_at")};
    t.columns[0].declared_type = "public.not_null_ts";
    EXPECT_TRUE(contains(fix_table(check_table(t)), "updated_at timestamp with time zone"));
}

TEST(FixSql, UnusableTypeIsACommentAndTableIsNotEnabled) {
    Table t = compliant();
    t.triggers.clear();
    t.columns[0] = col("created_at", "text", 'S');
    const TableReport r = check_table(t);
    EXPECT_FALSE(fix_enables(r));
    const std::string fix = fix_table(r);
    EXPECT_FALSE(contains(fix, "SELECT audit_fields.enable"));
    EXPECT_TRUE(contains(fix, "-- not enabled"));
    EXPECT_TRUE(contains(fix, "-- AF004"));
}

TEST(FixSql, DisabledTriggerIsReenabledWithItsOptions) {
    Table t = compliant();
    t.triggers[0].enabled = false;
    t.triggers[0].args = {"soft_delete=true"};
    t.columns.push_back(col("deleted_at", "timestamp with time zone", 'D', false));
    t.columns.push_back(text_col("deleted_by"));
    t.columns.push_back(text_col("deleted_by_name"));
    const std::string fix = fix_table(check_table(t));
    EXPECT_TRUE(contains(fix, "SELECT audit_fields.enable('public.users', soft_delete => true, "
                              "missing_actor => 'warn');"));
}

TEST(FixSql, IgnoredAndOkTablesAreLeftOut) {
    Table ignored;
    ignored.schema = "public";
    ignored.name = "legacy";
    ignored.comment = "@audit_fields:ignore archive";
    const ScanResult r = run_scan({ignored, compliant()});
    EXPECT_TRUE(contains(fix_migration(r, FixOptions{}), "Nothing to fix"));
}

// A column the scan takes for a renamed audit column (AF009) is mapped, never duplicated.
TEST(FixSql, SuspectedRenamedColumnIsMappedNotDuplicated) {
    Table t = compliant();
    t.triggers.clear();
    drop_column(t, "created_by");
    Column by = col("created_by_id", "integer", 'N', false);
    t.columns.push_back(by);
    const TableReport r = check_table(t);
    ASSERT_FALSE(r.suspects.empty());
    const std::string fix = fix_table(r);
    EXPECT_FALSE(contains(fix, "ADD COLUMN IF NOT EXISTS created_by ")) << fix;
    // An integer actor column cannot hold session_user ('warn' would fail every such write).
    EXPECT_TRUE(contains(fix, "column_map => '{\"created_by\": \"created_by_id\"}', "
                              "missing_actor => 'allow');"))
        << fix;
    EXPECT_TRUE(contains(fix, "-- AF009: \"created_by_id\" taken for created_by")) << fix;
    // The finding's own advice holds a statement: not copied, the migration maps it itself.
    EXPECT_EQ(fix.find("SELECT audit_fields.enable"), fix.rfind("SELECT audit_fields.enable"));

    // Already enabled: re-enabled for the map only, its missing_actor left to the setting.
    t.triggers = {stamp()};
    const std::string again = fix_table(check_table(t));
    EXPECT_TRUE(contains(again, "SELECT audit_fields.enable('public.users', column_map => "
                                "'{\"created_by\": \"created_by_id\"}');"))
        << again;
}

TEST(FixSql, AnOlderExtensionIsUpdatedFirst) {
    EXPECT_TRUE(version_older("1.1", "1.2"));
    EXPECT_FALSE(version_older("1.10", "1.2"));
    EXPECT_FALSE(version_older("1.2", "1.2"));
    EXPECT_TRUE(version_older("1", "1.2"));
    Table a = compliant("a");
    a.triggers.clear();
    FixOptions o;
    o.extension_version = "1.1";
    EXPECT_TRUE(
        contains(fix_migration(run_scan({a}), o), "\nALTER EXTENSION audit_fields UPDATE;\n"));
    o.extension_version = "1.2";
    EXPECT_FALSE(contains(fix_migration(run_scan({a}), o), "ALTER EXTENSION"));
}
