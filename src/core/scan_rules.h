// The scanner's rule engine: checks AF001..AF013, judged from a plain description of the catalogs
// (scan_model.h), the configuration (scan_config.h) and the waivers in table comments
// (ignore_marker.h). The CLI and audit_fields.scan() both call it; nothing else decides what a
// finding is.
#pragma once
#include "no_postgres.h"

#include "civil_date.h"
#include "scan_config.h"
#include "scan_model.h"
#include "table_scope.h" // the scope rule, is_system_schema(): the catalog queries' own

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace audit_fields::scan {

// A trigger that calls audit_fields.stamp(), recognised by name so that a database without the
// extension can be scanned too.
bool is_stamp_trigger(const Trigger& trigger);

struct ScanOptions {
    std::vector<std::string> exclude; // glob.h patterns, in addition to config.exclude
    Config config;
    std::optional<CivilDate> today; // waivers' reference day; unset = today_utc()
};

// The verdict on one table on its own: the checks that need other tables (AF012's parent side,
// AF013) are left to run_scan().
TableReport check_table(const Table& table, const ScanOptions& options = {});

// Checks every table in scope: tables outside table_in_scope() (partitions, reported through their
// parent; system schemas) and excluded tables are dropped. Tables come back sorted by schema, then
// name.
ScanResult run_scan(const std::vector<Table>& tables, const ScanOptions& options = {});

// Default severity of a check id ("AF001" -> Error).
Severity severity_of(std::string_view check_id);

// Counts tables by status and findings by severity (after a baseline moved some findings).
ScanSummary summarize(const std::vector<TableReport>& tables);

// A table's status from its active findings (Ignored stays Ignored).
void update_status(TableReport& report);

} // namespace audit_fields::scan
