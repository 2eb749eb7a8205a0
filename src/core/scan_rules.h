// The scanner's rule engine: checks AF001..AF008 of docs/contract.md, judged from a plain
// description of the catalogs (scan_model.h). The CLI and audit_fields.scan() both call it; nothing
// else decides what a finding is.
#pragma once
#include "no_postgres.h"

#include "scan_model.h"

#include <string>
#include <string_view>
#include <vector>

namespace audit_fields::scan {

// Schemas never reported: PostgreSQL's own (pg_*, information_schema) and the extension's.
bool is_system_schema(std::string_view schema);

// A trigger that calls audit_fields.stamp(), recognised by name so that a database without the
// extension can be scanned too.
bool is_stamp_trigger(const Trigger& trigger);

// The verdict on one table: findings (none when the table carries the ignore marker), status,
// present/missing columns and trigger state.
TableReport check_table(const Table& table);

struct ScanOptions {
    std::vector<std::string> exclude; // glob.h patterns
};

// Checks every table in scope: partitions (reported through their parent), system schemas and
// excluded tables are dropped. Tables come back sorted by schema, then name.
ScanResult run_scan(const std::vector<Table>& tables, const ScanOptions& options = {});

// Severity of a check id ("AF001" -> Error).
Severity severity_of(std::string_view check_id);

} // namespace audit_fields::scan
