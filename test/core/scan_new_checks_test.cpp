// AF009 (suspected renamed columns), AF011 (unique indexes and soft deletes), AF012 (soft delete
// and foreign keys), AF013 (actor types that disagree).
#include "core/fix_sql.h"
#include "core/scan_rules.h"

#include "scan_test_tables.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace audit_fields;
using namespace audit_fields::scan;
using namespace audit_fields::scan::testing;
using Ids = std::vector<std::string>;

namespace {

const Finding* first(const TableReport& r, const std::string& id) {
    for (const Finding& f : r.findings)
        if (f.check_id == id)
            return &f;
    return nullptr;
}

Table soft(const std::string& name) {
    Table t = compliant(name);
    t.columns.push_back(col("deleted_at", "timestamp with time zone", 'D', false));
    t.columns.push_back(text_col("deleted_by"));
    t.columns.push_back(text_col("deleted_by_name"));
    return t;
}

UniqueIndex unique(const std::string& name, Ids columns, const std::string& predicate = "") {
    UniqueIndex u;
    u.name = name;
    u.columns = columns;
    u.predicate = predicate;
    std::string keys;
    for (const auto& c : columns)
        keys += (keys.empty() ? "" : ", ") + c;
    u.definition = "CREATE UNIQUE INDEX " + name + " ON public.users USING btree (" + keys + ")" +
                   (predicate.empty() ? "" : " WHERE " + predicate);
    return u;
}

ForeignKey fk(const std::string& name, const std::string& parent, char on_delete) {
    ForeignKey k;
    k.name = name;
    k.parent_schema = "public";
    k.parent_table = parent;
    k.on_delete = on_delete;
    k.definition = "FOREIGN KEY (parent_id) REFERENCES " + parent + "(id)" +
                   (on_delete == 'c' ? " ON DELETE CASCADE" : "");
    return k;
}

const TableReport& by_name(const ScanResult& r, const std::string& name) {
    return *std::find_if(r.tables.begin(), r.tables.end(),
                         [&](const TableReport& t) { return t.table == name; });
}

} // namespace

TEST(AF009, RenamedColumnsAreSuspectedMappedAndNeverDuplicated) {
    // A MediaWiki/Django-like table: created/modified timestamps and an integer created_by_id.
    Table t;
    t.schema = "public";
    t.name = "page";
    t.columns = {col("created", "timestamp without time zone", 'D', false),
                 col("modified", "timestamp without time zone", 'D', false),
                 col("created_by_id", "integer", 'N', false)};
    const TableReport r = check_table(t);
    EXPECT_EQ(r.suspects,
              (std::vector<std::pair<std::string, std::string>>{{"created", "created_at"},
                                                                {"modified", "updated_at"},
                                                                {"created_by_id", "created_by"}}));
    const Finding* f = first(r, "AF009");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->column, "created");
    // No AF001 for columns that are there under another name; AF002 lists only the rest.
    EXPECT_EQ(first(r, "AF001"), nullptr);
    EXPECT_NE(first(r, "AF002")->message.find("created_by_name, updated_by, updated_by_name"),
              std::string::npos);
    // The fix maps the suspects instead of adding created_at/updated_at/created_by beside them.
    const std::string fix = fix_table(r);
    EXPECT_EQ(fix.find("ADD COLUMN IF NOT EXISTS created_by "), std::string::npos) << fix;
    EXPECT_EQ(fix.find("ADD COLUMN IF NOT EXISTS created_at"), std::string::npos) << fix;
    EXPECT_NE(
        fix.find(
            R"("created_at": "created", "updated_at": "modified", "created_by": "created_by_id")"),
        std::string::npos)
        << fix;
}

TEST(AF009, OnlyPlausibleTypesAndNotWhenTheRealColumnExists) {
    Table t = compliant("users");
    t.columns.push_back(col("created", "boolean", 'B', false));       // a flag, not a timestamp
    t.columns.push_back(col("modified", "timestamp with time zone")); // updated_at exists
    const TableReport r = check_table(t);
    EXPECT_TRUE(r.suspects.empty());
    EXPECT_EQ(first(r, "AF009"), nullptr);
}

TEST(AF009, ATriggerWithoutTheMappingDoesNotWriteTheSuspect) {
    Table t = compliant("orgs");
    drop_column(t, "created_by");
    t.columns.push_back(col("creator_id", "bigint", 'N', false));
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF007", "AF009"}));
    EXPECT_NE(first(r, "AF007")->message.find("does not write \"creator_id\" (created_by)"),
              std::string::npos);
}

TEST(AF011, UniqueIndexThatCoversDeletedRows) {
    Table t = soft("users");
    t.unique_indexes = {unique("users_email_key", {"email"}),
                        unique("users_login_live", {"login"}, "(deleted_at IS NULL)"),
                        unique("users_email_deleted", {"email", "deleted_at"})};
    t.unique_indexes[0].constraint = true;
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF011"}));
    const Finding& f = r.findings[0];
    // Index names do not come quoted by the server, so they are always quoted (sql_text.h).
    EXPECT_EQ(f.message, "unique constraint \"users_email_key\" (email) also covers soft-deleted "
                         "rows: re-creating a deleted row fails");
    EXPECT_NE(f.remediation.find("-- CREATE UNIQUE INDEX CONCURRENTLY \"users_email_key_live\" ON "
                                 "public.users USING btree (email) WHERE deleted_at IS NULL;"),
              std::string::npos)
        << f.remediation;
    EXPECT_NE(f.remediation.find("DROP CONSTRAINT \"users_email_key\";"), std::string::npos);
    // Without soft deletes a unique index is just a unique index.
    Table plain = compliant("users");
    plain.unique_indexes = t.unique_indexes;
    EXPECT_TRUE(check_table(plain).findings.empty());
}

TEST(AF012, SoftDeleteChildOfACascadingKey) {
    Table parent = soft("orders"), child = soft("order_lines");
    child.foreign_keys = {fk("order_lines_order_fkey", "orders", 'c')};
    const ScanResult r = run_scan({parent, child});
    const TableReport& c = by_name(r, "order_lines");
    EXPECT_EQ(ids(c), (Ids{"AF012"}));
    EXPECT_EQ(c.findings[0].severity, Severity::Error);
    EXPECT_NE(c.findings[0].remediation.find("ON DELETE RESTRICT NOT VALID;"), std::string::npos);
    EXPECT_TRUE(by_name(r, "orders").findings.empty());
}

TEST(AF012, SoftDeleteParentWithChildrenThatAreNot) {
    Table parent = soft("customers"), child = compliant("invoices"), other = soft("notes");
    child.foreign_keys = {fk("invoices_customer_fkey", "customers", 'a')};
    other.foreign_keys = {fk("notes_customer_fkey", "customers", 'a')};
    const ScanResult r = run_scan({parent, child, other});
    const TableReport& p = by_name(r, "customers");
    EXPECT_EQ(ids(p), (Ids{"AF012"}));
    EXPECT_NE(p.findings[0].message.find("public.invoices (invoices_customer_fkey)"),
              std::string::npos);
    EXPECT_EQ(p.findings[0].message.find("notes"), std::string::npos); // soft-delete child: fine
    EXPECT_TRUE(by_name(r, "invoices").findings.empty());
}

TEST(AF013, ActorTypesThatNoSingleValueFits) {
    Table a = compliant("a"), b = compliant("b"), c = compliant("c");
    c.columns[2] = col("created_by", "integer", 'N', false);
    c.columns[4] = col("updated_by", "integer", 'N', false);
    const ScanResult r = run_scan({a, b, c});
    EXPECT_TRUE(by_name(r, "a").findings.empty());
    const TableReport& bad = by_name(r, "c");
    EXPECT_EQ(ids(bad), (Ids{"AF013", "AF013"}));
    EXPECT_EQ(bad.findings[0].column, "created_by");
    EXPECT_NE(bad.findings[0].message.find("is integer, but 4 actor columns of enabled tables "
                                           "hold text (e.g. public.a.created_by)"),
              std::string::npos)
        << bad.findings[0].message;
    // varchar and text are one family; tables that are not enabled do not count.
    Table d = compliant("d");
    d.columns[2] = col("created_by", "character varying", 'S', false);
    c.triggers.clear();
    const ScanResult quiet = run_scan({a, c, d});
    EXPECT_EQ(first(by_name(quiet, "c"), "AF013"), nullptr);
    EXPECT_TRUE(by_name(quiet, "d").findings.empty());
}

// pg_get_indexdef() quotes the index name as the server needs; the advice finds the table part
// either way.
TEST(AF011, QuotedIndexNameInTheDefinition) {
    Table t = soft("users");
    t.unique_indexes = {unique("Email \"Key\"", {"email"})};
    t.unique_indexes[0].definition =
        "CREATE UNIQUE INDEX \"Email \"\"Key\"\"\" ON public.users USING btree (email)";
    const TableReport r = check_table(t);
    ASSERT_EQ(ids(r), (Ids{"AF011"}));
    EXPECT_NE(r.findings[0].remediation.find(
                  "-- CREATE UNIQUE INDEX CONCURRENTLY \"Email \"\"Key\"\"_live\" ON public.users "
                  "USING btree (email) WHERE deleted_at IS NULL;"),
              std::string::npos)
        << r.findings[0].remediation;
}
