// The scanner's report formats. All of them take the same ScanResult and produce text that depends
// only on it and the context (no clock, no environment), so tests can compare them exactly.
//   text      aligned table for a terminal, then the findings
//   json      stable, documented in docs/scanner.md ("format": "audit-fields-scan/1")
//   markdown  an audit report: summary, then one ✅/⚠️/❌ section per table with the fix
//   junit     one <testcase> per table; findings at or above --fail-on are <failure>s
//   sarif     SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, Azure DevOps)
//   github    GitHub Actions workflow commands: one ::error/::warning annotation per finding
#pragma once
#include "no_postgres.h"

#include "scan_config.h"
#include "scan_model.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace audit_fields::scan {

struct ReportContext {
    std::string database;
    std::string tool_version;
    std::vector<std::string> schemas; // empty = all
    std::vector<std::string> exclude; // every pattern applied: command line and configuration
    FailOn fail_on = FailOn::Error;
    bool extension_installed = true;
    Config config;            // as applied (config.source: the file, "" when none)
    std::string baseline;     // the --baseline file, "" when none
    int baseline_entries = 0; // entries it held
    std::string today;        // the day waivers were judged on, YYYY-MM-DD
};

inline constexpr const char* kJsonFormatId = "audit-fields-scan/1";

// Whether a finding counts against --fail-on.
bool fails(const Finding& finding, FailOn fail_on);
// 0 when nothing is at or above fail_on, else 1 (SPEC.md "Exit codes").
int exit_status(const ScanResult& result, FailOn fail_on);

std::string format_text(const ScanResult& result, const ReportContext& context);
std::string format_json(const ScanResult& result, const ReportContext& context);
std::string format_markdown(const ScanResult& result, const ReportContext& context);
std::string format_junit(const ScanResult& result, const ReportContext& context);
std::string format_sarif(const ScanResult& result, const ReportContext& context);
std::string format_github(const ScanResult& result, const ReportContext& context);

// The upper bound format_markdown() keeps to (GitHub's comment limit is 65,536 characters).
inline constexpr std::size_t kMarkdownBudget = 60000;

} // namespace audit_fields::scan
