#include "report_format.h"

#include "fix_sql.h"

namespace audit_fields::scan {

namespace {

std::string code(const std::string& s) {
    if (s.find('`') == std::string::npos)
        return "`" + s + "`";
    return "`` " + s + " ``";
}

// Text inside a table cell: a pipe or a line break would end the cell.
std::string cell(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string join(const std::vector<std::string>& items) {
    if (items.empty())
        return "none";
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : ", ") + items[i];
    return out;
}

const char* icon(TableStatus s) {
    switch (s) {
    case TableStatus::Ok:
        return "✅";
    case TableStatus::Warning:
        return "⚠️";
    case TableStatus::Error:
        return "❌";
    case TableStatus::Ignored:
        return "➖";
    }
    return "";
}

std::string table_section(const TableReport& t) {
    std::string out =
        "### " + std::string(icon(t.status)) + " " + code(t.schema + "." + t.table) + "\n\n";
    out += "- Trigger: " + std::string(to_string(t.trigger)) + "\n";
    out += "- Audit columns present: " + join(t.present) + "\n";
    out += "- Missing: " + join(t.missing) + "\n\n";
    out += "| Check | Severity | Finding |\n|---|---|---|\n";
    for (const Finding& f : t.findings)
        out += "| " + f.check_id + " | " + to_string(f.severity) + " | " + cell(f.message) + " |\n";
    out += "\nFix:\n\n```sql\n" + fix_table(t) + "```\n\n";
    return out;
}

} // namespace

std::string format_markdown(const ScanResult& result, const ReportContext& context) {
    const ScanSummary& s = result.summary;
    std::string out = "# Audit fields report: " + code(context.database) + "\n\n";
    const char* verdict = s.error > 0 ? "❌" : s.warning > 0 ? "⚠️" : "✅";
    out += std::string(verdict) + " **" + std::to_string(s.tables) + " tables scanned** in " +
           (context.schemas.empty() ? std::string("all schemas")
                                    : "schemas " + join(context.schemas)) +
           ": " + std::to_string(s.error) + " with errors, " + std::to_string(s.warning) +
           " with warnings, " + std::to_string(s.ok) + " compliant, " + std::to_string(s.ignored) +
           " ignored (" + std::to_string(s.errors) + " error and " + std::to_string(s.warnings) +
           " warning findings).\n\n";
    if (!context.extension_installed)
        out += "The `audit_fields` extension is not installed in this database: no table is "
               "enforced by the database yet.\n\n";
    out += "| Status | Tables |\n|---|---:|\n";
    out += "| ❌ error | " + std::to_string(s.error) + " |\n";
    out += "| ⚠️ warning | " + std::to_string(s.warning) + " |\n";
    out += "| ✅ ok | " + std::to_string(s.ok) + " |\n";
    out += "| ➖ ignored | " + std::to_string(s.ignored) + " |\n\n";
    out += "Checks: AF001 no created_at/updated_at · AF002 no actor columns · AF003 incomplete "
           "soft-delete columns · AF004 unusable column type · AF005 timestamp without time zone · "
           "AF006 not enforced · AF007 trigger disabled or misconfigured · AF008 nullable and not "
           "enforced.\n\n";

    for (const TableStatus wanted : {TableStatus::Error, TableStatus::Warning}) {
        bool header = false;
        for (const TableReport& t : result.tables) {
            if (t.status != wanted)
                continue;
            if (!header) {
                out += wanted == TableStatus::Error ? "## ❌ Tables with errors\n\n"
                                                    : "## ⚠️ Tables with warnings\n\n";
                header = true;
            }
            out += table_section(t);
        }
    }
    bool header = false;
    for (const TableReport& t : result.tables) {
        if (t.status != TableStatus::Ok)
            continue;
        if (!header) {
            out += "## ✅ Compliant tables\n\n";
            header = true;
        }
        out += "- ✅ " + code(t.schema + "." + t.table) + ": enforced by audit_fields, columns " +
               join(t.present) + "\n";
    }
    if (header)
        out += "\n";
    header = false;
    for (const TableReport& t : result.tables) {
        if (t.status != TableStatus::Ignored)
            continue;
        if (!header) {
            out += "## ➖ Ignored tables\n\n";
            header = true;
        }
        out += "- ➖ " + code(t.schema + "." + t.table) + ": " +
               (t.ignore_reason.empty() ? std::string("no reason given") : cell(t.ignore_reason)) +
               "\n";
    }
    if (header)
        out += "\n";
    return out;
}

} // namespace audit_fields::scan
