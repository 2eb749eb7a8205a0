// Baselines: adopt the scanner on a schema with a past. --write-baseline records the fingerprints
// of today's findings; with --baseline those findings are reported as "baselined" and do not fail
// the run, while new ones do, and entries that match nothing any more are listed (fixed: remove
// them). A fingerprint depends on the table, the check, the column and the subject (index,
// foreign key, waiver), never on the message's wording.
#pragma once
#include "no_postgres.h"

#include "scan_model.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace audit_fields::scan {

inline constexpr const char* kBaselineFormatId = "audit-fields-baseline/1";

// 16 hex digits (FNV-1a 64 of the identifying fields).
std::string fingerprint(const Finding& finding);

// The baseline file for the result's active and baselined findings (JSON, sorted).
std::string write_baseline(const ScanResult& result, const std::string& database);

class BaselineError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// Throws BaselineError naming what is wrong.
std::vector<BaselineEntry> read_baseline(const std::string& text);

// Moves the active findings the baseline knows to `baselined`, recomputes statuses and the
// summary, and lists the entries that matched no finding in result.stale_baseline.
void apply_baseline(ScanResult& result, const std::vector<BaselineEntry>& baseline);

} // namespace audit_fields::scan
