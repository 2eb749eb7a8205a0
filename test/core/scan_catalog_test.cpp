#include "core/catalog_queries.h"
#include "core/scan_rules.h"

#include <gtest/gtest.h>

#include <string>

using namespace audit_fields::scan;

TEST(ScanCatalog, DecodesNulSeparatedTriggerArgs) {
    // "stamp_mode=fill\0created_by=a\\b\0" as pg_catalog.encode(tgargs, 'hex') prints it.
    std::string hex;
    const std::string raw = std::string("stamp_mode=fill") + '\0' + "created_by=a\\b" + '\0';
    const char* digits = "0123456789abcdef";
    for (const unsigned char c : raw) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    EXPECT_EQ(decode_trigger_args(hex.c_str()),
              (std::vector<std::string>{"stamp_mode=fill", "created_by=a\\b"}));
    EXPECT_TRUE(decode_trigger_args("").empty());
    EXPECT_TRUE(decode_trigger_args(nullptr).empty());
    EXPECT_THROW(decode_trigger_args("zz"), std::runtime_error);
}

TEST(ScanCatalog, BuildsTablesFromRows) {
    const char* tables[] = {
        "16401",
        "public",
        "orders",
        "p",
        "f",
        "@audit_fields:ignore x",
        nullptr,
        nullptr,
        "public.orders", //
        "16402",
        "public",
        "users",
        "r",
        "f",
        nullptr,
        R"J([{"name": "users_email_key", "constraint": true, "columns": ["email"],)J"
        R"J( "predicate": null, "definition": "CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)"}])J",
        R"J([{"name": "users_org_fkey", "parent_schema": "public", "parent_table": "orgs",)J"
        R"J( "on_delete": "c", "definition": "FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE"}])J",
        "public.users",
    };
    const char* columns[] = {
        "16402",
        "created_at",
        "timestamp with time zone",
        "D",
        "timestamp(3) with time zone",
        "t",
        "f",
        "created_at",
        "16402",
        "created_by",
        "text",
        "S",
        "public.email",
        "f",
        "f",
        "created_by",
        "99999",
        "created_at",
        "text",
        "S",
        "text",
        "f",
        "f",
        "created_at", // unknown table: skipped
    };
    // tgtype 23 = ROW | BEFORE | INSERT | UPDATE; 'D' = disabled.
    const char* triggers[] = {
        "16402",
        "zz_audit_fields",
        "audit_fields",
        "stamp",
        "23",
        "D",
        "7374616d705f6d6f64653d66696c6c00",
        "zz_audit_fields",
    };
    const auto out =
        tables_from_rows(RowSet{2, 9, tables}, RowSet{3, 8, columns}, RowSet{1, 8, triggers});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].relkind, 'p');
    EXPECT_EQ(out[0].comment, "@audit_fields:ignore x");
    EXPECT_TRUE(out[0].columns.empty());
    EXPECT_TRUE(out[0].unique_indexes.empty());
    EXPECT_TRUE(out[0].foreign_keys.empty());
    const Table& users = out[1];
    ASSERT_EQ(users.unique_indexes.size(), 1u);
    EXPECT_EQ(users.unique_indexes[0].name, "users_email_key");
    EXPECT_TRUE(users.unique_indexes[0].constraint);
    EXPECT_EQ(users.unique_indexes[0].columns, std::vector<std::string>{"email"});
    EXPECT_EQ(users.unique_indexes[0].predicate, "");
    ASSERT_EQ(users.foreign_keys.size(), 1u);
    EXPECT_EQ(users.foreign_keys[0].parent_table, "orgs");
    EXPECT_EQ(users.foreign_keys[0].on_delete, 'c');
    EXPECT_EQ(users.comment, "");
    EXPECT_EQ(users.qualified, "public.users");
    EXPECT_EQ(users.columns[1].quoted_name, "created_by");
    ASSERT_EQ(users.columns.size(), 2u);
    EXPECT_TRUE(users.columns[0].not_null);
    EXPECT_EQ(users.columns[0].declared_type, "timestamp(3) with time zone");
    EXPECT_EQ(users.columns[1].type.category, 'S');
    ASSERT_EQ(users.triggers.size(), 1u);
    const Trigger& t = users.triggers[0];
    EXPECT_TRUE(t.row && t.before && t.on_insert && t.on_update);
    EXPECT_FALSE(t.on_delete);
    EXPECT_FALSE(t.enabled);
    EXPECT_EQ(t.args, (std::vector<std::string>{"stamp_mode=fill"}));
    EXPECT_EQ(t.quoted_name, "zz_audit_fields");
}

TEST(ScanCatalog, TriggerTypeBits) {
    const char* tables[] = {"1", "s", "t", "r", "f", nullptr, nullptr, nullptr, "s.t"};
    // 29 = ROW | INSERT | DELETE | UPDATE, no BEFORE (AFTER); 'A' fires always; 'R' replica only.
    const char* triggers[] = {
        "1", "a", "audit_fields", "stamp", "29", "A", "", "a",
        "1", "b", "audit_fields", "stamp", "87", "R", "",
        "b", // 87 = INSTEAD|UPDATE|INSERT|BEFORE|ROW
    };
    const auto out = tables_from_rows(RowSet{1, 9, tables}, RowSet{}, RowSet{2, 8, triggers});
    const Trigger& a = out[0].triggers[0];
    EXPECT_FALSE(a.before);
    EXPECT_TRUE(a.on_delete);
    EXPECT_TRUE(a.enabled);
    const Trigger& b = out[0].triggers[1];
    EXPECT_FALSE(b.before); // INSTEAD OF is not BEFORE
    EXPECT_FALSE(b.enabled);
}

TEST(ScanCatalog, RejectsRowsOfTheWrongShape) {
    const char* tables[] = {"1", "s", "t"};
    EXPECT_THROW(tables_from_rows(RowSet{1, 3, tables}, RowSet{}, RowSet{}), std::runtime_error);
}

TEST(ScanCatalog, QueriesTakeOneSchemaParameterAndQualifyCatalogs) {
    for (const char* q : {kTablesQuery, kColumnsQuery, kTriggersQuery}) {
        const std::string s(q);
        EXPECT_NE(s.find("$1::text[]"), std::string::npos);
        EXPECT_EQ(s.find("$2"), std::string::npos);
        EXPECT_EQ(s.find(" pg_class"), std::string::npos) << "unqualified catalog in " << s;
    }
}
