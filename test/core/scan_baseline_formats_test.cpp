// Baselines, SARIF, GitHub annotations and the Markdown budget.
#include "core/report_format.h"
#include "core/scan_baseline.h"
#include "core/scan_rules.h"

#include "mini_parsers.h"
#include "scan_test_tables.h"

#include <gtest/gtest.h>

using namespace audit_fields;
using namespace audit_fields::scan;
using namespace audit_fields::scan::testing;
using audit_fields::testing::Json;
using audit_fields::testing::parse_json;

namespace {

Table bare(const std::string& schema, const std::string& name) {
    Table t;
    t.schema = schema;
    t.name = name;
    return t;
}

ReportContext context() {
    ReportContext c;
    c.database = "shop";
    c.tool_version = "1.2";
    c.exclude = {"tmp_*"};
    c.config = parse_config_json(R"({"checks": {"AF002": "warning"}})");
    c.config.source = ".audit-fields.toml";
    c.today = "2026-06-15";
    return c;
}

} // namespace

TEST(Baseline, FingerprintIgnoresWordingButNotIdentity) {
    Finding a;
    a.schema = "public";
    a.table = "t";
    a.check_id = "AF001";
    Finding b = a;
    b.message = "other words";
    EXPECT_EQ(fingerprint(a), fingerprint(b));
    b.table = "u";
    EXPECT_NE(fingerprint(a), fingerprint(b));
    b = a;
    b.subject = "idx";
    EXPECT_NE(fingerprint(a), fingerprint(b));
    EXPECT_EQ(fingerprint(a).size(), 16u);
}

TEST(Baseline, OldFindingsPassNewOnesFailFixedOnesAreListed) {
    ScanResult before = run_scan({bare("public", "old"), bare("public", "fixed")});
    const std::string file = write_baseline(before, "shop");
    const std::vector<BaselineEntry> baseline = read_baseline(file);
    EXPECT_EQ(baseline.size(), 4u); // AF001 + AF002 on each table

    ScanResult now = run_scan({bare("public", "old"), compliant("fixed"), bare("public", "new")});
    apply_baseline(now, baseline);
    EXPECT_EQ(now.summary.baselined, 2);
    EXPECT_EQ(now.summary.errors, 1); // public.new's AF001
    EXPECT_EQ(exit_status(now, FailOn::Error), 1);
    ASSERT_EQ(now.stale_baseline.size(), 2u);
    EXPECT_EQ(now.stale_baseline[0].table, "fixed");
    EXPECT_EQ(now.tables[2].table, "old"); // sorted: fixed, new, old
    EXPECT_EQ(now.tables[2].status, TableStatus::Ok);
    EXPECT_EQ(now.tables[1].status, TableStatus::Error);

    ScanResult again = run_scan({bare("public", "old")});
    apply_baseline(again, baseline);
    EXPECT_EQ(exit_status(again, FailOn::Warning), 0);
}

TEST(Baseline, RejectsWhatIsNotABaseline) {
    EXPECT_THROW(read_baseline("{}"), BaselineError);
    EXPECT_THROW(read_baseline("not json"), BaselineError);
    EXPECT_THROW(read_baseline(R"({"format": "audit-fields-baseline/1", "findings": [{}]})"),
                 BaselineError);
}

TEST(Sarif, IsSarif210WithRulesResultsAndInputs) {
    Table waived = bare("public", "log");
    waived.comment = "@audit_fields:ignore AF001 until 2099-01-01: append-only";
    ScanResult r = run_scan({bare("public", "orders"), waived});
    ReportContext c = context();
    const Json doc = parse_json(format_sarif(r, c));
    EXPECT_EQ(doc["version"].s, "2.1.0");
    const Json& run = doc["runs"].items.at(0);
    const Json& rules = run["tool"]["driver"]["rules"];
    EXPECT_EQ(rules.items.size(), 13u);
    EXPECT_EQ(rules.items[0]["id"].s, "AF001");
    EXPECT_EQ(rules.items[0]["defaultConfiguration"]["level"].s, "error");
    const Json& results = run["results"];
    // Tables in order (log, orders); per table active findings first, then the waived ones.
    ASSERT_EQ(results.items.size(), 4u);
    const Json& first = results.items[2];
    EXPECT_EQ(first["ruleId"].s, "AF001");
    EXPECT_EQ(first["level"].s, "error");
    EXPECT_EQ(first["locations"].items[0]["logicalLocations"].items[0]["fullyQualifiedName"].s,
              "public.orders");
    EXPECT_EQ(first["locations"].items[0]["physicalLocation"]["artifactLocation"]["uri"].s,
              "audit-fields/shop/public/orders");
    EXPECT_EQ(first["partialFingerprints"]["auditFieldsFinding/v1"].s.size(), 16u);
    EXPECT_FALSE(first.has("suppressions"));
    const Json& suppressed = results.items[1];
    EXPECT_EQ(suppressed["ruleId"].s, "AF001");
    EXPECT_EQ(suppressed["suppressions"].items[0]["justification"].s, "append-only");
    const Json& inputs = run["properties"]["inputs"];
    EXPECT_EQ(inputs["exclude"].items[0].s, "tmp_*");
    EXPECT_EQ(inputs["config"]["file"].s, ".audit-fields.toml");
    EXPECT_EQ(inputs["config"]["settings"]["checks"]["AF002"].s, "warning");
    EXPECT_EQ(inputs["today"].s, "2026-06-15");
    EXPECT_EQ(run["invocations"].items[0]["exitCode"].n, 1);
}

TEST(Json, RecordsInputsWaiversAndBaseline) {
    Table waived = bare("public", "log");
    waived.comment = "@audit_fields:ignore AF001 until 2099-01-01: append-only";
    ScanResult r = run_scan({waived});
    ReportContext c = context();
    c.baseline = "baseline.json";
    c.baseline_entries = 3;
    const Json doc = parse_json(format_json(r, c));
    EXPECT_EQ(doc["inputs"]["baseline"]["file"].s, "baseline.json");
    EXPECT_EQ(doc["inputs"]["baseline"]["entries"].n, 3);
    EXPECT_EQ(doc["summary"]["waived"].n, 1);
    const Json& t = doc["tables"].items[0];
    EXPECT_EQ(t["waived"].items[0]["check_id"].s, "AF001");
    EXPECT_EQ(t["waived"].items[0]["waiver"].s, "append-only");
    EXPECT_EQ(t["waivers"].items[0]["until"].s, "2099-01-01");
    EXPECT_TRUE(t["waivers"].items[0]["honoured"].b);
}

TEST(Github, AnnotationsAreEscapedWorkflowCommands) {
    Table t = bare("public", "a,b:c");
    ScanResult r = run_scan({t});
    const std::string out = format_github(r, context());
    EXPECT_EQ(out.rfind("::error title=AF001 public.a%2Cb%3Ac::table has neither", 0), 0u) << out;
    // The fix spans lines: encoded, so each annotation stays one line.
    EXPECT_NE(out.find("%0AFix:%0AALTER TABLE"), std::string::npos);
    EXPECT_NE(out.find("\n::warning title=AF002 public.a%2Cb%3Ac::"), std::string::npos);
    std::size_t lines = 0;
    for (const char c : out)
        lines += c == '\n';
    EXPECT_EQ(lines, 3u); // two annotations and the summary
}

TEST(Markdown, AThousandTablesStayUnderTheCommentLimit) {
    std::vector<Table> tables;
    for (int i = 0; i < 1000; ++i) {
        const std::string name =
            "module_" + std::to_string(i % 10) + ".table_with_a_longish_name_" + std::to_string(i);
        Table t;
        switch (i % 5) {
        case 0:
            t = bare("s", "x"); // AF001, AF002
            break;
        case 1:
            t = compliant();
            t.triggers.clear(); // AF006, AF008
            t.columns[0].not_null = false;
            break;
        case 2:
            t = compliant();
            t.columns[1] = col("updated_at", "timestamp without time zone"); // AF005
            break;
        case 3:
            t = compliant();
            break;
        default:
            t = bare("s", "x");
            t.comment = i % 10 == 4 ? "@audit_fields:ignore cache table, rebuilt hourly"
                                    : "@audit_fields:ignore session store";
        }
        t.schema = name.substr(0, name.find('.'));
        t.name = name.substr(name.find('.') + 1);
        tables.push_back(t);
    }
    const ScanResult r = run_scan(tables);
    const std::string md = format_markdown(r, context());
    EXPECT_LT(md.size(), kMarkdownBudget);
    EXPECT_GT(md.size(), 20000u); // it used the room
    EXPECT_NE(md.find("## ❌ Tables with errors (400)"), std::string::npos);
    EXPECT_NE(md.find("<details><summary>❌ <code>module_0.table_with_a_longish_name_0</code>"),
              std::string::npos);
    EXPECT_NE(md.find("Not detailed here"), std::string::npos);
    EXPECT_NE(md.find("| AF001 | error | 200 | 200 |"), std::string::npos);
    EXPECT_NE(md.find("- ➖ cache table, rebuilt hourly: "), std::string::npos);
    EXPECT_NE(md.find("## ✅ Compliant tables (200)"), std::string::npos);
    // A small report is not cut: every table with findings is detailed.
    const std::string small = format_markdown(run_scan({tables[0], tables[1]}), context());
    EXPECT_EQ(small.find("Not detailed here"), std::string::npos);
}

// Names are bytes from the catalogs (a SQL_ASCII database holds anything): every JSON writer
// replaces invalid UTF-8 instead of throwing, and the baseline still matches (found by the
// fuzzer).
TEST(Baseline, InvalidUtf8NamesAreWrittenAndStillMatch) {
    const std::string bad = "caf\x99";
    ScanResult r = run_scan({bare(bad, "t")});
    std::string file;
    ASSERT_NO_THROW(file = write_baseline(r, "db"));
    apply_baseline(r, read_baseline(file));
    EXPECT_EQ(r.summary.errors + r.summary.warnings, 0);
    EXPECT_TRUE(r.stale_baseline.empty());
    ReportContext c = context();
    c.config.exclude = {bad + ".*x"};
    EXPECT_NO_THROW(parse_json(format_json(r, c)));
    EXPECT_NO_THROW(parse_json(format_sarif(r, c)));
}
