#include "report_format.h"

#include "text_escape.h"

namespace audit_fields::scan {

namespace {

std::string string_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : ", ") + json_string(items[i]);
    return out + "]";
}

const char* kind_name(char relkind) {
    return relkind == 'p' ? "partitioned table" : "table";
}

} // namespace

// Keys are always present and always in this order; optional values are null, never omitted.
std::string format_json(const ScanResult& result, const ReportContext& context) {
    const ScanSummary& s = result.summary;
    std::string out = "{\n";
    out += "  \"format\": " + json_string(kJsonFormatId) + ",\n";
    out += "  \"tool\": {\"name\": \"audit-fields-scan\", \"version\": " +
           json_string(context.tool_version) + "},\n";
    out += "  \"database\": " + json_string(context.database) + ",\n";
    out += "  \"schemas\": " +
           (context.schemas.empty() ? std::string("null") : string_array(context.schemas)) + ",\n";
    out += "  \"extension_installed\": " +
           std::string(context.extension_installed ? "true" : "false") + ",\n";
    out += "  \"fail_on\": " + json_string(to_string(context.fail_on)) + ",\n";
    out += "  \"exit_status\": " + std::to_string(exit_status(result, context.fail_on)) + ",\n";
    out += "  \"summary\": {\"tables\": " + std::to_string(s.tables) +
           ", \"ok\": " + std::to_string(s.ok) + ", \"warning\": " + std::to_string(s.warning) +
           ", \"error\": " + std::to_string(s.error) +
           ", \"ignored\": " + std::to_string(s.ignored) +
           ", \"findings\": " + std::to_string(s.errors + s.warnings) +
           ", \"errors\": " + std::to_string(s.errors) +
           ", \"warnings\": " + std::to_string(s.warnings) + "},\n";
    out += "  \"tables\": [";
    for (std::size_t i = 0; i < result.tables.size(); ++i) {
        const TableReport& t = result.tables[i];
        out += i == 0 ? "\n" : ",\n";
        out += "    {\"schema\": " + json_string(t.schema) +
               ", \"table\": " + json_string(t.table) +
               ", \"kind\": " + json_string(kind_name(t.relkind)) +
               ", \"status\": " + json_string(to_string(t.status)) +
               ", \"trigger\": " + json_string(to_string(t.trigger)) +
               ",\n     \"columns_present\": " + string_array(t.present) +
               ", \"columns_missing\": " + string_array(t.missing) + ",\n     \"ignore_reason\": " +
               (t.status == TableStatus::Ignored ? json_string(t.ignore_reason)
                                                 : std::string("null")) +
               ",\n     \"findings\": [";
        for (std::size_t j = 0; j < t.findings.size(); ++j) {
            const Finding& f = t.findings[j];
            out += j == 0 ? "\n" : ",\n";
            out += "       {\"check_id\": " + json_string(f.check_id) +
                   ", \"severity\": " + json_string(to_string(f.severity)) + ", \"column\": " +
                   (f.column.empty() ? std::string("null") : json_string(f.column)) +
                   ", \"message\": " + json_string(f.message) +
                   ", \"remediation\": " + json_string(f.remediation) + "}";
        }
        out += t.findings.empty() ? "]}" : "\n     ]}";
    }
    out += result.tables.empty() ? "]\n" : "\n  ]\n";
    out += "}\n";
    return out;
}

} // namespace audit_fields::scan
