#include "report_format.h"

#include "report_json_common.h"
#include "scan_baseline.h"

#include <map>

namespace audit_fields::scan {

namespace {

constexpr const char* kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kInformationUri = "https://github.com/audit-fields/audit_fields";

const char* level(Severity s) {
    return s == Severity::Error ? "error" : "warning";
}

// Code-scanning UIs need a repository-relative path for every result; a table has none, so the
// path names the table (audit-fields/<database>/<schema>/<table>) and the logical location says
// what it is.
ojson location(const std::string& database, const Finding& f) {
    ojson physical;
    physical["artifactLocation"] = {
        {"uri", "audit-fields/" + database + "/" + f.schema + "/" + f.table}};
    physical["region"] = {{"startLine", 1}};
    ojson logical = ojson::array();
    logical.push_back({{"fullyQualifiedName",
                        f.schema + "." + f.table + (f.column.empty() ? "" : "." + f.column)},
                       {"name", f.column.empty() ? f.table : f.column},
                       {"kind", f.column.empty() ? "table" : "column"}});
    return {{"physicalLocation", physical}, {"logicalLocations", logical}};
}

ojson result_json(const ReportContext& context, const Finding& f, int rule_index,
                  const char* baseline_state, bool waived) {
    ojson r;
    r["ruleId"] = f.check_id;
    r["ruleIndex"] = rule_index;
    r["level"] = level(f.severity);
    r["message"] = {{"text", f.schema + "." + f.table + ": " + f.message}};
    r["locations"] = ojson::array({location(context.database, f)});
    r["partialFingerprints"] = {{"auditFieldsFinding/v1", fingerprint(f)}};
    if (!context.baseline.empty())
        r["baselineState"] = baseline_state;
    if (waived)
        r["suppressions"] = ojson::array(
            {{{"kind", "inSource"}, {"status", "accepted"}, {"justification", f.waiver}}});
    r["properties"] = {{"remediation", f.remediation}};
    return r;
}

} // namespace

std::string format_sarif(const ScanResult& result, const ReportContext& context) {
    ojson rules = ojson::array();
    std::map<std::string, int> index;
    for (const CheckInfo& c : all_checks()) {
        index[c.id] = static_cast<int>(rules.size());
        const std::optional<Severity> configured = context.config.severity(c.id);
        ojson rule;
        rule["id"] = c.id;
        rule["name"] = c.title;
        rule["shortDescription"] = {{"text", c.title}};
        rule["fullDescription"] = {{"text", c.help}};
        rule["help"] = {{"text", c.help}};
        rule["defaultConfiguration"] = {
            {"enabled", configured.has_value()},
            {"level", configured ? level(*configured) : level(c.severity)}};
        rules.push_back(std::move(rule));
    }
    ojson results = ojson::array();
    for (const TableReport& t : result.tables) {
        for (const Finding& f : t.findings)
            results.push_back(result_json(context, f, index[f.check_id], "new", false));
        for (const Finding& f : t.baselined)
            results.push_back(result_json(context, f, index[f.check_id], "unchanged", false));
        for (const Finding& f : t.waived)
            results.push_back(result_json(context, f, index[f.check_id], "unchanged", true));
    }
    ojson driver;
    driver["name"] = "audit-fields-scan";
    driver["version"] = context.tool_version;
    driver["informationUri"] = kInformationUri;
    driver["rules"] = std::move(rules);

    ojson invocation;
    invocation["executionSuccessful"] = true;
    invocation["exitCode"] = exit_status(result, context.fail_on);

    ojson properties;
    properties["database"] = context.database;
    properties["extension_installed"] = context.extension_installed;
    properties["fail_on"] = to_string(context.fail_on);
    properties["inputs"] = inputs_json(context);
    ojson stale = ojson::array();
    for (const BaselineEntry& b : result.stale_baseline)
        stale.push_back(b.fingerprint);
    properties["stale_baseline"] = std::move(stale);

    ojson run;
    run["tool"] = {{"driver", std::move(driver)}};
    run["invocations"] = ojson::array({std::move(invocation)});
    run["results"] = std::move(results);
    run["properties"] = std::move(properties);

    ojson doc;
    doc["$schema"] = kSarifSchema;
    doc["version"] = "2.1.0";
    doc["runs"] = ojson::array({std::move(run)});
    return dump(doc, 2);
}

} // namespace audit_fields::scan
