// --fix-sql: a reviewable migration that fixes every finding a statement can fix, for psql
// -v ON_ERROR_STOP=1. New audit columns are added (nullable: existing rows have no record of who
// or when, and inventing one would be a lie), then the table is enabled with its existing
// options. What needs a human decision (type conversions, broken trigger arguments, time zones)
// is written as a comment with the reason.
#pragma once
#include "no_postgres.h"

#include "scan_model.h"

#include <string>

namespace audit_fields::scan {

struct FixContext {
    std::string database;
    bool extension_installed = true; // else the migration starts with CREATE EXTENSION
};

// The statements for one table, "" when nothing is to be done (ok or ignored tables). Comments
// explain what is left undone.
std::string fix_table(const TableReport& report);

// Whether fix_table() calls audit_fields.enable() for this table.
bool fix_enables(const TableReport& report);

// The whole migration: header, one transaction, every table with findings.
std::string fix_migration(const ScanResult& result, const FixContext& context);

} // namespace audit_fields::scan
