// --fix-sql: a reviewable migration that fixes every finding a statement can fix, safe to apply
// to a live database:
//   * one transaction per table under SET LOCAL lock_timeout, so a table some long transaction
//     is using fails fast and alone, and every statement is idempotent, so running the file again
//     finishes what failed;
//   * nothing rewrites a table: new audit columns are nullable without a default (existing rows
//     have no record of who or when, and inventing one would be a lie), and timestamp columns are
//     converted to timestamptz with SET LOCAL TimeZone = 'UTC' and no USING clause, which changes
//     only the catalog. Values written in another zone need a rewrite: commented out unless
//     allow_rewrite;
//   * tables are enabled with their existing options and missing_actor => 'warn' (unless
//     enforce), so a writer that does not set the actor yet keeps working.
// What needs a human decision (unusable types, broken trigger arguments) is a comment with the
// reason.
#pragma once
#include "no_postgres.h"

#include "scan_model.h"

#include <string>

namespace audit_fields::scan {

struct FixOptions {
    std::string database;
    bool extension_installed = true;     // else the migration starts with CREATE EXTENSION
    std::string extension_version;       // installed version; older than 1.2 is updated first
    std::string lock_timeout = "5s";     // SET LOCAL lock_timeout in every table's transaction
    bool enforce = false;                // enable under the missing_actor setting instead of 'warn'
    std::string assume_timezone = "UTC"; // the zone naive timestamps were written in
    bool allow_rewrite = false; // emit (not comment out) conversions that rewrite the table
};

// The first version whose enable() takes missing_actor, which the migration passes.
inline constexpr const char* kFixNeedsExtensionVersion = "1.2";

// Whether version a ("1.10") is older than version b ("1.2"), part by part as numbers.
bool version_older(const std::string& a, const std::string& b);

// Whether PostgreSQL converts timestamp to timestamptz in this zone without rewriting the table
// (a zone with a fixed offset of zero: UTC and its aliases).
bool is_utc(const std::string& zone);

// The statements for one table, "" when nothing is to be done (ok or ignored tables): its own
// transaction(s), with comments for what is left undone.
std::string fix_table(const TableReport& report, const FixOptions& options = {});

// Whether fix_table() calls audit_fields.enable() for this table.
bool fix_enables(const TableReport& report);

// The whole migration: a header saying what it changes and what writers must do, then every
// table with findings.
std::string fix_migration(const ScanResult& result, const FixOptions& options);

} // namespace audit_fields::scan
