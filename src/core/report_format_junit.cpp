#include "report_format.h"

#include "text_escape.h"

#include <map>

namespace audit_fields::scan {

namespace {

struct SuiteCounts {
    int tests = 0;
    int failures = 0;
    int skipped = 0;
};

bool table_fails(const TableReport& t, FailOn fail_on) {
    for (const Finding& f : t.findings)
        if (fails(f, fail_on))
            return true;
    return false;
}

std::string finding_line(const Finding& f) {
    return f.check_id + " " + to_string(f.severity) + ": " + f.message +
           "\n  fix: " + f.remediation + "\n";
}

std::string testcase(const TableReport& t, FailOn fail_on) {
    const std::string classname = "audit_fields." + t.schema;
    std::string out = "    <testcase classname=\"" + xml_escape(classname) + "\" name=\"" +
                      xml_escape(t.table) + "\" time=\"0\"";
    if (t.status == TableStatus::Ignored) {
        const std::string reason =
            t.ignore_reason.empty() ? "ignored" : "ignored: " + t.ignore_reason;
        return out + ">\n      <skipped message=\"" + xml_escape(reason) +
               "\"/>\n    </testcase>\n";
    }
    if (t.findings.empty())
        return out + "/>\n";
    out += ">\n";
    std::string failing, passing;
    const Finding* first = nullptr;
    for (const Finding& f : t.findings) {
        if (fails(f, fail_on)) {
            failing += finding_line(f);
            if (first == nullptr)
                first = &f;
        } else {
            passing += finding_line(f);
        }
    }
    // JUnit allows one <failure> per test case: it carries the first failing finding in its
    // attributes and all of them in its text.
    if (first != nullptr)
        out += "      <failure type=\"" + xml_escape(first->check_id) + "\" message=\"" +
               xml_escape(first->check_id + ": " + first->message) + "\">" + xml_text(failing) +
               "</failure>\n";
    if (!passing.empty())
        out += "      <system-out>" + xml_text(passing) + "</system-out>\n";
    return out + "    </testcase>\n";
}

} // namespace

std::string format_junit(const ScanResult& result, const ReportContext& context) {
    std::map<std::string, SuiteCounts> counts;
    SuiteCounts total;
    for (const TableReport& t : result.tables) {
        SuiteCounts& c = counts[t.schema];
        ++c.tests;
        ++total.tests;
        if (t.status == TableStatus::Ignored) {
            ++c.skipped;
            ++total.skipped;
        } else if (table_fails(t, context.fail_on)) {
            ++c.failures;
            ++total.failures;
        }
    }
    auto attrs = [](const SuiteCounts& c) {
        return " tests=\"" + std::to_string(c.tests) + "\" failures=\"" +
               std::to_string(c.failures) + "\" errors=\"0\" skipped=\"" +
               std::to_string(c.skipped) + "\"";
    };
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"audit-fields-scan\"" + attrs(total) + ">\n";
    std::string current;
    bool open = false;
    for (const TableReport& t : result.tables) {
        if (!open || t.schema != current) {
            if (open)
                out += "  </testsuite>\n";
            current = t.schema;
            open = true;
            out += "  <testsuite name=\"" + xml_escape("audit_fields." + current) + "\"" +
                   attrs(counts[current]) + " time=\"0\">\n";
            out += "    <properties>\n      <property name=\"database\" value=\"" +
                   xml_escape(context.database) +
                   "\"/>\n      <property name=\"fail_on\" value=\"" + to_string(context.fail_on) +
                   "\"/>\n    </properties>\n";
        }
        out += testcase(t, context.fail_on);
    }
    if (open)
        out += "  </testsuite>\n";
    return out + "</testsuites>\n";
}

} // namespace audit_fields::scan
