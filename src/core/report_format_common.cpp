#include "report_format.h"

namespace audit_fields::scan {

bool fails(const Finding& finding, FailOn fail_on) {
    switch (fail_on) {
    case FailOn::Never:
        return false;
    case FailOn::Warning:
        return true;
    case FailOn::Error:
        return finding.severity == Severity::Error;
    }
    return false;
}

int exit_status(const ScanResult& result, FailOn fail_on) {
    for (const TableReport& t : result.tables)
        for (const Finding& f : t.findings)
            if (fails(f, fail_on))
                return 1;
    return 0;
}

} // namespace audit_fields::scan
