#include "report_format.h"

namespace audit_fields::scan {

namespace {

// Workflow commands: the message ends at the line's end, so line breaks and '%' are encoded;
// properties also end at ',' and '::'.
std::string escape_data(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '%')
            out += "%25";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
    return out;
}

std::string escape_property(const std::string& s) {
    std::string out;
    for (const char c : escape_data(s)) {
        if (c == ':')
            out += "%3A";
        else if (c == ',')
            out += "%2C";
        else
            out += c;
    }
    return out;
}

std::string annotation(const char* command, const Finding& f, const std::string& note) {
    return std::string("::") + command +
           " title=" + escape_property(f.check_id + " " + f.schema + "." + f.table) +
           "::" + escape_data(f.message + note) + "\n";
}

} // namespace

// One annotation per active finding (error or warning, as configured), a notice for findings the
// baseline covers, then a one-line summary. Waived findings are not annotated: the waiver is the
// decision.
std::string format_github(const ScanResult& result, const ReportContext& context) {
    std::string out;
    for (const TableReport& t : result.tables) {
        for (const Finding& f : t.findings)
            out += annotation(f.severity == Severity::Error ? "error" : "warning", f,
                              "\nFix:\n" + f.remediation);
        for (const Finding& f : t.baselined)
            out += annotation("notice", f, " (baselined)");
    }
    for (const BaselineEntry& b : result.stale_baseline)
        out += "::notice title=" + escape_property("stale baseline entry " + b.fingerprint) + "::" +
               escape_data(b.check_id + " on " + b.schema + "." + b.table +
                           " no longer occurs: remove it from the baseline") +
               "\n";
    const ScanSummary& s = result.summary;
    out += "audit-fields-scan: database " + context.database + ": " + std::to_string(s.tables) +
           " tables, " + std::to_string(s.errors) + " error and " + std::to_string(s.warnings) +
           " warning findings, " + std::to_string(s.waived) + " waived, " +
           std::to_string(s.baselined) + " baselined; fail on " + to_string(context.fail_on) +
           ": exit " + std::to_string(exit_status(result, context.fail_on)) + "\n";
    return out;
}

} // namespace audit_fields::scan
