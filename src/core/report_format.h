// The scanner's report formats. All four take the same ScanResult and produce text that depends
// only on it and the context (no clock, no environment), so tests can compare them exactly.
//   text      aligned table for a terminal, then the findings
//   json      stable, documented in docs/scanner.md ("format": "audit-fields-scan/1")
//   markdown  an audit report: summary, then one ✅/⚠️/❌ section per table with the fix
//   junit     one <testcase> per table; findings at or above --fail-on are <failure>s
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
    FailOn fail_on = FailOn::Error;
    bool extension_installed = true;
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

} // namespace audit_fields::scan
