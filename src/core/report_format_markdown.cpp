#include "report_format.h"

#include "fix_sql.h"
#include "text_escape.h"

#include <map>

namespace audit_fields::scan {

namespace {

// Room kept for the lists after the per-table details; each list is cut to its share.
constexpr std::size_t kCompliantShare = 8000;
constexpr std::size_t kIgnoredShare = 6000;
constexpr std::size_t kWaiverShare = 6000;
constexpr std::size_t kStaleShare = 3000;
constexpr std::size_t kMargin = 600;

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

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    if (items.empty())
        return "none";
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : sep) + items[i];
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

std::string name_of(const TableReport& t) {
    return t.schema + "." + t.table;
}

std::string check_set(const TableReport& t) {
    std::vector<std::string> ids;
    for (const Finding& f : t.findings)
        if (ids.empty() || ids.back() != f.check_id)
            ids.push_back(f.check_id);
    return join(ids, " ");
}

// "`a`, `b`, … and 12 more", cut to about `limit` characters.
std::string name_list(const std::vector<std::string>& names, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string item = (i == 0 ? "" : ", ") + code(names[i]);
        if (out.size() + item.size() > limit) {
            return out + " … and " + std::to_string(names.size() - i) + " more";
        }
        out += item;
    }
    return out;
}

std::string table_details(const TableReport& t) {
    std::string out = "<details><summary>" + std::string(icon(t.status)) + " <code>" +
                      xml_escape(name_of(t)) + "</code>: " + check_set(t) + "</summary>\n\n";
    out += "Trigger " + std::string(to_string(t.trigger)) +
           "; audit columns present: " + join(t.present) + "; missing: " + join(t.missing) +
           ".\n\n";
    out += "| Check | Severity | Finding |\n|---|---|---|\n";
    for (const Finding& f : t.findings)
        out += "| " + f.check_id + " | " + to_string(f.severity) + " | " + cell(f.message) + " |\n";
    const std::string fix = fix_table(t);
    if (!fix.empty())
        out += "\n```sql\n" + fix + "```\n";
    return out + "\n</details>\n\n";
}

class Budget {
  public:
    explicit Budget(std::size_t limit) : limit_(limit) {}
    bool fits(std::size_t size, std::size_t reserve) const {
        return used_ + size + reserve <= limit_;
    }
    void add(std::string& out, const std::string& text) {
        out += text;
        used_ += text.size();
    }
    std::size_t left(std::size_t reserve) const {
        return used_ + reserve >= limit_ ? 0 : limit_ - used_ - reserve;
    }

  private:
    std::size_t limit_;
    std::size_t used_ = 0;
};

std::string head(const ScanResult& result, const ReportContext& context) {
    const ScanSummary& s = result.summary;
    std::string out = "# Audit fields report: " + code(context.database) + "\n\n";
    const char* verdict = s.error > 0 ? "❌" : s.warning > 0 ? "⚠️" : "✅";
    out += std::string(verdict) + " **" + std::to_string(s.tables) + " tables scanned** in " +
           (context.schemas.empty() ? std::string("all schemas")
                                    : "schemas " + join(context.schemas)) +
           ": " + std::to_string(s.error) + " with errors, " + std::to_string(s.warning) +
           " with warnings, " + std::to_string(s.ok) + " compliant, " + std::to_string(s.ignored) +
           " ignored (" + std::to_string(s.errors) + " error and " + std::to_string(s.warnings) +
           " warning findings; " + std::to_string(s.waived) + " waived, " +
           std::to_string(s.baselined) + " baselined).\n\n";
    if (!context.extension_installed)
        out += "The `audit_fields` extension is not installed in this database: no table is "
               "enforced by the database yet.\n\n";
    out += "| Status | Tables |\n|---|---:|\n";
    out += "| ❌ error | " + std::to_string(s.error) + " |\n";
    out += "| ⚠️ warning | " + std::to_string(s.warning) + " |\n";
    out += "| ✅ ok | " + std::to_string(s.ok) + " |\n";
    out += "| ➖ ignored | " + std::to_string(s.ignored) + " |\n\n";
    std::vector<std::string> inputs;
    if (!context.exclude.empty()) {
        std::vector<std::string> quoted;
        for (const std::string& e : context.exclude)
            quoted.push_back(code(e));
        inputs.push_back("excluded " + join(quoted));
    }
    if (!context.config.source.empty())
        inputs.push_back("configuration " + code(context.config.source));
    if (!context.baseline.empty())
        inputs.push_back("baseline " + code(context.baseline) + " (" +
                         std::to_string(context.baseline_entries) + " entries)");
    if (!inputs.empty())
        out += "Inputs: " + join(inputs, "; ") + ".\n\n";

    // Findings by check: the shape of the problem at a glance, whatever the number of tables.
    std::map<std::string, std::pair<int, int>> by_check; // id -> findings, tables
    std::map<std::string, Severity> severity;
    for (const TableReport& t : result.tables) {
        std::string last;
        for (const Finding& f : t.findings) {
            auto& c = by_check[f.check_id];
            ++c.first;
            if (f.check_id != last)
                ++c.second;
            last = f.check_id;
            severity[f.check_id] = f.severity;
        }
    }
    if (!by_check.empty()) {
        out += "| Check | Severity | Findings | Tables | Meaning |\n|---|---|---:|---:|---|\n";
        for (const auto& [id, n] : by_check) {
            const CheckInfo* info = find_check(id);
            out += "| " + id + " | " + to_string(severity[id]) + " | " + std::to_string(n.first) +
                   " | " + std::to_string(n.second) + " | " + (info ? info->title : "") + " |\n";
        }
        out += "\n";
    }
    return out;
}

std::string compliant_section(const ScanResult& result) {
    std::vector<std::string> names;
    for (const TableReport& t : result.tables)
        if (t.status == TableStatus::Ok)
            names.push_back(name_of(t));
    if (names.empty())
        return "";
    return "## ✅ Compliant tables (" + std::to_string(names.size()) + ")\n\n" +
           name_list(names, kCompliantShare) + "\n\n";
}

// Ignored tables grouped by reason: a hundred cache tables share one.
std::string ignored_section(const ScanResult& result) {
    std::map<std::string, std::vector<std::string>> by_reason;
    std::size_t n = 0;
    for (const TableReport& t : result.tables)
        if (t.status == TableStatus::Ignored) {
            by_reason[t.ignore_reason].push_back(name_of(t));
            ++n;
        }
    if (n == 0)
        return "";
    std::string out = "## ➖ Ignored tables (" + std::to_string(n) + ")\n\n";
    const std::size_t share = kIgnoredShare / by_reason.size();
    for (const auto& [reason, names] : by_reason)
        out += "- ➖ " + cell(reason) + ": " + name_list(names, share < 200 ? 200 : share) + "\n";
    return out.size() > kIgnoredShare + 400 ? out.substr(0, kIgnoredShare) + "\n- …\n\n"
                                            : out + "\n";
}

std::string waiver_section(const ScanResult& result) {
    std::string out;
    std::size_t shown = 0, total = 0;
    for (const TableReport& t : result.tables) {
        std::map<std::string, std::vector<std::string>> by_reason;
        for (const Finding& f : t.waived)
            if (by_reason[f.waiver].empty() || by_reason[f.waiver].back() != f.check_id)
                by_reason[f.waiver].push_back(f.check_id);
        for (const auto& [reason, ids] : by_reason) {
            ++total;
            const std::string line =
                "- " + code(name_of(t)) + ": " + join(ids, " ") + ": " + cell(reason) + "\n";
            if (out.size() + line.size() > kWaiverShare)
                continue;
            out += line;
            ++shown;
        }
    }
    if (total == 0)
        return "";
    if (shown < total)
        out += "- … and " + std::to_string(total - shown) + " more\n";
    return "## Waived findings\n\n" + out + "\n";
}

std::string stale_section(const ScanResult& result) {
    if (result.stale_baseline.empty())
        return "";
    std::string out = "## Baseline entries that no longer match (" +
                      std::to_string(result.stale_baseline.size()) +
                      ")\n\nFixed since the baseline was written: remove them from it.\n\n";
    std::size_t i = 0;
    for (const BaselineEntry& b : result.stale_baseline) {
        const std::string line = "- " + b.check_id + " " + code(b.schema + "." + b.table) +
                                 (b.column.empty() ? "" : " column " + code(b.column)) + " (" +
                                 b.fingerprint + ")\n";
        if (out.size() + line.size() > kStaleShare) {
            out += "- … and " + std::to_string(result.stale_baseline.size() - i) + " more\n";
            break;
        }
        out += line;
        ++i;
    }
    return out + "\n";
}

} // namespace

// A summary, the findings by check, then one collapsed section per table with errors and with
// warnings (its findings and its fix), as many as the budget allows; the rest grouped by the
// checks they fail. Compliant and ignored tables, waivers and stale baseline entries close it.
std::string format_markdown(const ScanResult& result, const ReportContext& context) {
    Budget budget(kMarkdownBudget);
    std::string out;
    budget.add(out, head(result, context));
    const std::string tail = compliant_section(result) + ignored_section(result) +
                             waiver_section(result) + stale_section(result);
    const std::size_t reserve = tail.size() + kMargin;

    for (const TableStatus wanted : {TableStatus::Error, TableStatus::Warning}) {
        std::vector<const TableReport*> tables;
        for (const TableReport& t : result.tables)
            if (t.status == wanted)
                tables.push_back(&t);
        if (tables.empty())
            continue;
        budget.add(out,
                   std::string(wanted == TableStatus::Error ? "## ❌ Tables with errors ("
                                                            : "## ⚠️ Tables with warnings (") +
                       std::to_string(tables.size()) + ")\n\n");
        std::size_t i = 0;
        // Reserve room for the other status's header and a grouped list of what does not fit.
        for (; i < tables.size(); ++i) {
            const std::string section = table_details(*tables[i]);
            if (!budget.fits(section.size(), reserve + 2000))
                break;
            budget.add(out, section);
        }
        if (i == tables.size())
            continue;
        std::map<std::string, std::vector<std::string>> by_checks;
        for (; i < tables.size(); ++i)
            by_checks[check_set(*tables[i])].push_back(name_of(*tables[i]));
        budget.add(out, "Not detailed here (the JSON report and --fix-sql have every table):\n\n");
        const std::size_t share = budget.left(reserve + 1000) / by_checks.size();
        for (const auto& [checks, names] : by_checks)
            budget.add(out, "- " + checks + " (" + std::to_string(names.size()) +
                                "): " + name_list(names, share > 120 ? share - 100 : 20) + "\n");
        budget.add(out, "\n");
    }
    out += tail;
    return out;
}

} // namespace audit_fields::scan
