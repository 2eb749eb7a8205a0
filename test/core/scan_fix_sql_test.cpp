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

TEST(SqlText, QuoteIdent) {
    EXPECT_EQ(sql::quote_ident("users"), "users");
    EXPECT_EQ(sql::quote_ident("Users"), "\"Users\"");
    EXPECT_EQ(sql::quote_ident("user"), "\"user\"");
    EXPECT_EQ(sql::quote_ident("order"), "\"order\"");
    EXPECT_EQ(sql::quote_ident("system_user"), "\"system_user\""); // reserved from 16 on
    EXPECT_EQ(sql::quote_ident("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(sql::quote_ident("1abc"), "\"1abc\"");
    EXPECT_EQ(sql::quote_ident(""), "\"\"");
}

TEST(SqlText, QuoteLiteral) {
    EXPECT_EQ(sql::quote_literal("it's"), "'it''s'");
    EXPECT_EQ(sql::quote_literal("a\\b"), "E'a\\\\b'");
}

TEST(SqlText, EnableCallCarriesEveryNonDefaultOption) {
    TableOptions o = parse_table_options(
        {"stamp_mode=fill", "soft_delete=true", "on_created_change=reject", "created_by=who's"});
    EXPECT_EQ(sql::enable_call("My App", "user", o),
              "SELECT audit_fields.enable('\"My App\".\"user\"', column_map => "
              "'{\"created_by\": \"who''s\"}', soft_delete => true, stamp_mode => 'fill', "
              "on_created_change => 'reject');");
}

TEST(FixSql, NothingToFix) {
    const ScanResult r = run_scan({compliant()});
    const std::string sql = fix_migration(r, {"db", true});
    EXPECT_TRUE(contains(sql, "-- Nothing to fix."));
    EXPECT_FALSE(contains(sql, "BEGIN"));
}

TEST(FixSql, AddsColumnsThenEnablesInOneTransaction) {
    Table t;
    t.schema = "public";
    t.name = "plain";
    const ScanResult r = run_scan({t});
    const std::string sql = fix_migration(r, {"db", false});
    EXPECT_TRUE(contains(sql, "BEGIN;\n\nCREATE EXTENSION IF NOT EXISTS audit_fields;"));
    const auto alter = sql.find("ALTER TABLE public.plain");
    const auto enable = sql.find("SELECT audit_fields.enable('public.plain');");
    ASSERT_NE(alter, std::string::npos);
    ASSERT_NE(enable, std::string::npos);
    EXPECT_LT(alter, enable);
    EXPECT_TRUE(contains(sql, "ADD COLUMN IF NOT EXISTS created_at timestamp with time zone"));
    EXPECT_TRUE(contains(sql, "ADD COLUMN IF NOT EXISTS updated_by_name text"));
    EXPECT_EQ(sql.substr(sql.size() - 8), "COMMIT;\n");
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
    const std::string fix = fix_table(check_table(t));
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
    EXPECT_TRUE(contains(fix, "SELECT audit_fields.enable('public.users', soft_delete => true);"));
}

TEST(FixSql, IgnoredAndOkTablesAreLeftOut) {
    Table ignored;
    ignored.schema = "public";
    ignored.name = "legacy";
    ignored.comment = "@audit_fields:ignore archive";
    const ScanResult r = run_scan({ignored, compliant()});
    EXPECT_TRUE(contains(fix_migration(r, {}), "Nothing to fix"));
}

TEST(FixSql, TimeZoneConversionIsOnlySuggested) {
    Table t = compliant();
    t.columns[0] = col("created_at", "timestamp without time zone");
    const std::string fix = fix_table(check_table(t));
    EXPECT_TRUE(contains(fix, "-- ALTER TABLE public.users ALTER COLUMN created_at TYPE"));
    EXPECT_FALSE(contains(fix, "\nALTER TABLE"));
}
