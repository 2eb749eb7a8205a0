#include "report_format.h"

#include "report_json_common.h"

namespace audit_fields::scan {

namespace {

const char* kind_name(char relkind) {
    return relkind == 'p' ? "partitioned table" : "table";
}

ojson findings_json(const std::vector<Finding>& findings) {
    ojson out = ojson::array();
    for (const Finding& f : findings)
        out.push_back(finding_json(f));
    return out;
}

ojson waivers_json(const std::vector<WaiverState>& waivers) {
    ojson out = ojson::array();
    for (const WaiverState& w : waivers) {
        ojson j;
        j["text"] = w.text;
        j["checks"] = w.checks.empty() ? ojson() : ojson(w.checks);
        j["until"] = w.until.empty() ? ojson() : ojson(w.until);
        j["reason"] = w.reason;
        j["honoured"] = w.honoured;
        j["problem"] = w.problem.empty() ? ojson() : ojson(w.problem);
        out.push_back(std::move(j));
    }
    return out;
}

} // namespace

// Keys are always present and always in this order; optional values are null, never omitted.
// Keys added after version 1 ("inputs", "waived", ...) come after the original ones.
std::string format_json(const ScanResult& result, const ReportContext& context) {
    const ScanSummary& s = result.summary;
    ojson doc;
    doc["format"] = kJsonFormatId;
    doc["tool"] = {{"name", "audit-fields-scan"}, {"version", context.tool_version}};
    doc["database"] = context.database;
    doc["schemas"] = context.schemas.empty() ? ojson() : ojson(context.schemas);
    doc["extension_installed"] = context.extension_installed;
    doc["fail_on"] = to_string(context.fail_on);
    doc["exit_status"] = exit_status(result, context.fail_on);
    doc["summary"] = {{"tables", s.tables},   {"ok", s.ok},
                      {"warning", s.warning}, {"error", s.error},
                      {"ignored", s.ignored}, {"findings", s.errors + s.warnings},
                      {"errors", s.errors},   {"warnings", s.warnings},
                      {"waived", s.waived},   {"baselined", s.baselined}};
    doc["inputs"] = inputs_json(context);
    ojson tables = ojson::array();
    for (const TableReport& t : result.tables) {
        ojson j;
        j["schema"] = t.schema;
        j["table"] = t.table;
        j["kind"] = kind_name(t.relkind);
        j["status"] = to_string(t.status);
        j["trigger"] = to_string(t.trigger);
        j["columns_present"] = t.present;
        j["columns_missing"] = t.missing;
        j["ignore_reason"] = t.status == TableStatus::Ignored ? ojson(t.ignore_reason) : ojson();
        j["findings"] = findings_json(t.findings);
        j["waived"] = findings_json(t.waived);
        j["baselined"] = findings_json(t.baselined);
        j["waivers"] = waivers_json(t.waivers);
        ojson suspects = ojson::object();
        for (const auto& [physical, logical] : t.suspects)
            suspects[physical] = logical;
        j["suspected_renames"] = std::move(suspects);
        tables.push_back(std::move(j));
    }
    doc["tables"] = std::move(tables);
    ojson stale = ojson::array();
    for (const BaselineEntry& b : result.stale_baseline)
        stale.push_back({{"fingerprint", b.fingerprint},
                         {"check_id", b.check_id},
                         {"schema", b.schema},
                         {"table", b.table},
                         {"column", b.column.empty() ? ojson() : ojson(b.column)}});
    doc["stale_baseline"] = std::move(stale);
    return dump(doc, 2);
}

} // namespace audit_fields::scan
