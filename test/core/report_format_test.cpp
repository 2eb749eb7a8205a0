#include "core/report_format.h"
#include "core/scan_rules.h"

#include "mini_parsers.h"
#include "scan_test_tables.h"

#include <gtest/gtest.h>

using namespace audit_fields::scan;
using namespace audit_fields::scan::testing;
using audit_fields::testing::Json;
using audit_fields::testing::parse_json;
using audit_fields::testing::parse_xml;

namespace {

// One table of each status, with names that need escaping in every format.
ScanResult sample() {
    Table missing_trigger = compliant("orders");
    missing_trigger.triggers.clear();
    missing_trigger.columns[1].not_null = false;
    Table warn = compliant("Weird \"<name>\" & | `x`");
    warn.columns[0] = col("created_at", "timestamp without time zone");
    Table ignored;
    ignored.schema = "archive";
    ignored.name = "legacy";
    ignored.comment = "@audit_fields:ignore read-only <since 2019> & frozen";
    return run_scan({missing_trigger, warn, ignored, compliant("users")});
}

ReportContext context(FailOn fail_on = FailOn::Error) {
    ReportContext c;
    c.database = "shop";
    c.tool_version = "1.0";
    c.fail_on = fail_on;
    return c;
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

} // namespace

TEST(ReportExit, FailOnLevels) {
    const ScanResult r = sample();
    EXPECT_EQ(exit_status(r, FailOn::Error), 1);
    EXPECT_EQ(exit_status(r, FailOn::Warning), 1);
    EXPECT_EQ(exit_status(r, FailOn::Never), 0);
    Table t = compliant();
    t.columns[0] = col("created_at", "timestamp without time zone");
    const ScanResult only_warnings = run_scan({t});
    EXPECT_EQ(exit_status(only_warnings, FailOn::Error), 0);
    EXPECT_EQ(exit_status(only_warnings, FailOn::Warning), 1);
    EXPECT_EQ(parse_fail_on("warning"), FailOn::Warning);
    EXPECT_FALSE(parse_fail_on("fatal"));
}

TEST(ReportJson, ParsesAndHasTheDocumentedShape) {
    const std::string text = format_json(sample(), context());
    const Json doc = parse_json(text);
    EXPECT_EQ(doc["format"].s, "audit-fields-scan/1");
    EXPECT_EQ(doc["database"].s, "shop");
    EXPECT_EQ(doc["schemas"].kind, Json::Null);
    EXPECT_EQ(doc["fail_on"].s, "error");
    EXPECT_EQ(doc["exit_status"].n, 1);
    const Json& summary = doc["summary"];
    EXPECT_EQ(summary["tables"].n, 4);
    EXPECT_EQ(summary["ok"].n, 1);
    EXPECT_EQ(summary["warning"].n, 1);
    EXPECT_EQ(summary["error"].n, 1);
    EXPECT_EQ(summary["ignored"].n, 1);
    const Json& tables = doc["tables"];
    ASSERT_EQ(tables.items.size(), 4u);
    // Sorted by schema then name; every table has every key.
    EXPECT_EQ(tables.items[0]["schema"].s, "archive");
    EXPECT_EQ(tables.items[0]["status"].s, "ignored");
    EXPECT_EQ(tables.items[0]["ignore_reason"].s, "read-only <since 2019> & frozen");
    const Json& weird = tables.items[1];
    EXPECT_EQ(weird["table"].s, "Weird \"<name>\" & | `x`");
    EXPECT_EQ(weird["findings"].items[0]["check_id"].s, "AF005");
    EXPECT_EQ(weird["findings"].items[0]["column"].s, "created_at");
    EXPECT_EQ(weird["ignore_reason"].kind, Json::Null);
    const Json& orders = tables.items[2];
    EXPECT_EQ(orders["trigger"].s, "missing");
    EXPECT_EQ(orders["findings"].items[0]["severity"].s, "error");
    EXPECT_EQ(orders["findings"].items[0]["column"].kind, Json::Null);
    for (const Json& t : tables.items)
        for (const char* key : {"schema", "table", "kind", "status", "trigger", "columns_present",
                                "columns_missing", "ignore_reason", "findings"})
            EXPECT_TRUE(t.has(key)) << key;
}

TEST(ReportJson, EmptyScanIsValid) {
    const Json doc = parse_json(format_json(ScanResult{}, context()));
    EXPECT_TRUE(doc["tables"].items.empty());
    EXPECT_EQ(doc["exit_status"].n, 0);
}

TEST(ReportJunit, WellFormedWithOneCasePerTable) {
    const auto root = parse_xml(format_junit(sample(), context()));
    EXPECT_EQ(root->name, "testsuites");
    EXPECT_EQ(root->attrs["tests"], "4");
    EXPECT_EQ(root->attrs["failures"], "1");
    EXPECT_EQ(root->attrs["skipped"], "1");
    ASSERT_EQ(root->children.size(), 2u); // archive, public
    const auto& pub = root->children[1];
    EXPECT_EQ(pub->attrs["name"], "audit_fields.public");
    int cases = 0, failures = 0;
    for (const auto& c : pub->children) {
        if (c->name != "testcase")
            continue;
        ++cases;
        for (const auto& child : c->children)
            if (child->name == "failure") {
                ++failures;
                EXPECT_EQ(c->attrs["name"], "orders");
                EXPECT_EQ(child->attrs["type"], "AF006");
                EXPECT_TRUE(contains(child->text, "AF006"));
            }
    }
    EXPECT_EQ(cases, 3);
    EXPECT_EQ(failures, 1);
    const auto& archive_case = root->children[0]->children[1];
    EXPECT_EQ(archive_case->children[0]->name, "skipped");
}

TEST(ReportJunit, FailOnDecidesWhatIsAFailure) {
    EXPECT_EQ(parse_xml(format_junit(sample(), context(FailOn::Warning)))->attrs["failures"], "2");
    EXPECT_EQ(parse_xml(format_junit(sample(), context(FailOn::Never)))->attrs["failures"], "0");
}

TEST(ReportMarkdown, ReadsLikeAnAuditReport) {
    const std::string md = format_markdown(sample(), context());
    EXPECT_EQ(md.rfind("# Audit fields report: `shop`", 0), 0u);
    EXPECT_TRUE(contains(md, "❌ **4 tables scanned**"));
    const auto errors = md.find("## ❌ Tables with errors");
    const auto warnings = md.find("## ⚠️ Tables with warnings");
    const auto ok = md.find("## ✅ Compliant tables");
    const auto ignored = md.find("## ➖ Ignored tables");
    ASSERT_NE(errors, std::string::npos);
    EXPECT_LT(errors, warnings);
    EXPECT_LT(warnings, ok);
    EXPECT_LT(ok, ignored);
    EXPECT_TRUE(contains(md, "<details><summary>❌ <code>public.orders</code>: AF006 AF008"));
    EXPECT_TRUE(contains(md, "```sql\n-- public.orders: AF006, AF008\nBEGIN;\n"
                             "SET LOCAL lock_timeout = '5s';\n"
                             "SELECT audit_fields.enable('public.orders', missing_actor => "
                             "'warn');\nCOMMIT;\n```"));
    EXPECT_TRUE(contains(md, "<code>public.Weird &quot;&lt;name&gt;&quot; &amp; | `x`</code>"));
    EXPECT_TRUE(contains(md, "`public.users`"));
    EXPECT_TRUE(contains(md, "| AF006 | error | 1 | 1 | not enforced |"));
    EXPECT_TRUE(contains(md, "read-only <since 2019> & frozen"));
}

TEST(ReportText, AlignedTableAndSummary) {
    const std::string text = format_text(sample(), context());
    EXPECT_TRUE(contains(text, "STATUS    TABLE"));
    EXPECT_TRUE(contains(text, "error     public.orders  "));
    EXPECT_TRUE(contains(text, "ignored   archive.legacy"));
    EXPECT_TRUE(contains(text, "(ignored: read-only <since 2019> & frozen)"));
    EXPECT_TRUE(contains(text, "AF006 error   public.orders: "));
    EXPECT_TRUE(contains(text, "4 tables: 1 ok, 1 warning, 1 error, 1 ignored; 1 error finding, "
                               "2 warning findings"));
}
