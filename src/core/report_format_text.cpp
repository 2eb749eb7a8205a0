#include "report_format.h"

#include <algorithm>

namespace audit_fields::scan {

namespace {

std::string pad(const std::string& s, std::size_t width) {
    // Width counts bytes; table names are almost always ASCII, and a misaligned row is harmless.
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string check_ids(const TableReport& t) {
    if (t.status == TableStatus::Ignored)
        return t.ignore_reason.empty() ? "(ignored)" : "(ignored: " + t.ignore_reason + ")";
    std::string out;
    for (const Finding& f : t.findings)
        if (out.find(f.check_id) == std::string::npos)
            out += (out.empty() ? "" : " ") + f.check_id;
    return out.empty() ? "-" : out;
}

} // namespace

std::string format_text(const ScanResult& result, const ReportContext& context) {
    std::vector<std::string> names;
    names.reserve(result.tables.size());
    std::size_t name_width = 5;
    for (const TableReport& t : result.tables) {
        names.push_back(t.schema + "." + t.table);
        name_width = std::max(name_width, names.back().size());
    }
    std::string out = "audit-fields-scan " + context.tool_version + ": database " +
                      context.database + ", " +
                      (context.schemas.empty() ? std::string("all schemas") : "schemas ");
    for (std::size_t i = 0; i < context.schemas.size(); ++i)
        out += (i == 0 ? "" : ", ") + context.schemas[i];
    out += context.extension_installed ? "\n\n" : " (extension audit_fields not installed)\n\n";

    if (!result.tables.empty()) {
        out += pad("STATUS", 8) + "  " + pad("TABLE", name_width) + "  " + pad("TRIGGER", 13) +
               "  FINDINGS\n";
        for (std::size_t i = 0; i < result.tables.size(); ++i) {
            const TableReport& t = result.tables[i];
            out += pad(to_string(t.status), 8) + "  " + pad(names[i], name_width) + "  " +
                   pad(to_string(t.trigger), 13) + "  " + check_ids(t) + "\n";
        }
    }

    bool header = false;
    for (std::size_t i = 0; i < result.tables.size(); ++i) {
        for (const Finding& f : result.tables[i].findings) {
            if (!header) {
                out += "\nFINDINGS\n";
                header = true;
            }
            out += "  " + f.check_id + " " + pad(to_string(f.severity), 7) + " " + names[i] + ": " +
                   f.message + "\n";
        }
    }

    const ScanSummary& s = result.summary;
    out += "\n" + std::to_string(s.tables) + (s.tables == 1 ? " table: " : " tables: ") +
           std::to_string(s.ok) + " ok, " + std::to_string(s.warning) + " warning, " +
           std::to_string(s.error) + " error, " + std::to_string(s.ignored) + " ignored; " +
           std::to_string(s.errors) + (s.errors == 1 ? " error finding, " : " error findings, ") +
           std::to_string(s.warnings) +
           (s.warnings == 1 ? " warning finding" : " warning findings");
    if (s.waived > 0)
        out += ", " + std::to_string(s.waived) + " waived";
    if (s.baselined > 0)
        out += ", " + std::to_string(s.baselined) + " baselined";
    if (s.errors + s.warnings > 0)
        out += " (--fix-sql prints the migration)";
    out += "\n";
    if (!context.exclude.empty()) {
        out += "excluded:";
        for (const std::string& e : context.exclude)
            out += " " + e;
        out += "\n";
    }
    if (!context.config.source.empty())
        out += "configuration: " + context.config.source + "\n";
    if (!context.baseline.empty())
        out += "baseline: " + context.baseline + " (" + std::to_string(context.baseline_entries) +
               " entries)\n";
    for (const BaselineEntry& b : result.stale_baseline)
        out += "stale baseline entry " + b.fingerprint + ": " + b.check_id + " " + b.schema + "." +
               b.table + " no longer occurs\n";
    return out;
}

} // namespace audit_fields::scan
