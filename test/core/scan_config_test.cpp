// The configuration: one validator for TOML (CLI) and JSON (scan(schemas, config jsonb)), and
// what aliases, severities and excludes do to a scan.
#include "core/scan_config.h"
#include "core/scan_rules.h"
#include "scanner/config_file.h"

#include "scan_test_tables.h"

#include <gtest/gtest.h>

using namespace audit_fields;
using namespace audit_fields::scan;
using namespace audit_fields::scan::testing;
using audit_fields::cli::parse_config_toml;
using Ids = std::vector<std::string>;

namespace {

constexpr const char* kToml = R"(
fail_on = "warning"
exclude = ["public.django_*", "tmp_*"]

[aliases]
created_by = ["created_by_id", "created_by_email"]
updated_at = ["changed"]

[checks]
AF001 = "warning"
AF002 = "off"
)";

constexpr const char* kJson = R"({
  "fail_on": "warning",
  "exclude": ["public.django_*", "tmp_*"],
  "aliases": {"created_by": ["created_by_id", "created_by_email"], "updated_at": ["changed"]},
  "checks": {"AF001": "warning", "AF002": "off"}
})";

std::string error_of(const std::string& toml) {
    try {
        parse_config_toml(toml, "cfg.toml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

std::string json_error_of(const std::string& json) {
    try {
        parse_config_json(json);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(Config, TomlAndJsonMeanTheSame) {
    const Config t = parse_config_toml(kToml, "cfg.toml");
    const Config j = parse_config_json(kJson);
    EXPECT_EQ(t.fail_on, FailOn::Warning);
    EXPECT_EQ(t.exclude, (Ids{"public.django_*", "tmp_*"}));
    EXPECT_EQ(t.aliases.at("created_by"), (Ids{"created_by_id", "created_by_email"}));
    EXPECT_EQ(t.checks.at("AF001"), CheckLevel::Warning);
    EXPECT_EQ(t.checks.at("AF002"), CheckLevel::Off);
    EXPECT_EQ(config_to_json(t), config_to_json(j));
    EXPECT_EQ(t.source, "cfg.toml");
    EXPECT_EQ(t.severity("AF001"), Severity::Warning);
    EXPECT_FALSE(t.severity("AF002"));
    EXPECT_EQ(t.severity("AF006"), Severity::Error); // the default
}

TEST(Config, ErrorsNameTheKey) {
    EXPECT_EQ(error_of("fail_on = \"sometimes\""),
              "cfg.toml: fail_on: \"sometimes\" is not error, warning or never");
    EXPECT_EQ(error_of("[checks]\nAF001 = \"fatal\""),
              "cfg.toml: checks.AF001: \"fatal\" is not error, warning or off");
    EXPECT_EQ(error_of("[checks]\nAF099 = \"off\""),
              "cfg.toml: checks.AF099: unknown check (expected AF001 to AF013)");
    EXPECT_NE(error_of("[aliases]\ncreated = [\"x\"]")
                  .find("cfg.toml: aliases.created: not an "
                        "audit column"),
              std::string::npos);
    EXPECT_EQ(error_of("exclude = [\"a\", 3]"),
              "cfg.toml: exclude[1]: expected a string, got a number");
    EXPECT_EQ(error_of("excludes = []"),
              "cfg.toml: excludes: unknown key (expected fail_on, exclude, aliases or checks)");
    // A TOML syntax error says where.
    EXPECT_EQ(error_of("fail_on = \n").rfind("cfg.toml:1:", 0), 0u) << error_of("fail_on = \n");
    EXPECT_EQ(json_error_of("{\"checks\": {\"AF003\": 1}}"),
              "config: checks.AF003: expected a string, got a number");
    EXPECT_EQ(json_error_of("[1]").rfind("config: expected a table of settings", 0), 0u);
    EXPECT_EQ(json_error_of("{").rfind("config: not valid JSON", 0), 0u);
}

TEST(Config, AliasMapsAColumnAndTheFixUsesColumnMap) {
    Table t = compliant("pages");
    t.triggers.clear();
    drop_column(t, "created_by");
    drop_column(t, "updated_at");
    t.columns.push_back(col("created_by_email", "text", 'S', false));
    t.columns.push_back(col("changed"));
    ScanOptions o;
    o.config = parse_config_toml(kToml, "cfg.toml");
    const TableReport r = check_table(t, o);
    EXPECT_EQ(r.options.column_name(AuditColumn::CreatedBy), "created_by_email");
    EXPECT_EQ(r.options.column_name(AuditColumn::UpdatedAt), "changed");
    EXPECT_TRUE(r.missing.empty());
    EXPECT_EQ(ids(r), (Ids{"AF006"})); // no AF009: the alias confirmed the names
    EXPECT_NE(r.findings[0].remediation.find(
                  R"(column_map => '{"updated_at": "changed", "created_by": "created_by_email"}')"),
              std::string::npos)
        << r.findings[0].remediation;
}

TEST(Config, SeveritiesAndOff) {
    Table t;
    t.schema = "public";
    t.name = "plain";
    ScanOptions o;
    o.config = parse_config_json(R"({"checks": {"AF001": "warning", "AF002": "off"}})");
    const TableReport r = check_table(t, o);
    EXPECT_EQ(ids(r), (Ids{"AF001"}));
    EXPECT_EQ(r.findings[0].severity, Severity::Warning);
    EXPECT_EQ(r.status, TableStatus::Warning);
}

TEST(Config, ExcludesAddToTheCommandLine) {
    Table a = compliant("django_session"), b = compliant("tmp_x"), c = compliant("orders");
    b.schema = "other";
    ScanOptions o;
    o.config = parse_config_toml(kToml, "cfg.toml");
    o.exclude = {"orders"};
    EXPECT_TRUE(run_scan({a, b, c}, o).tables.empty());
    o.exclude.clear();
    EXPECT_EQ(run_scan({a, b, c}, o).tables.size(), 1u);
}
