// The scanner's core, called from scan_functions.cpp with plain data (boundary.h, rule 2).
// scan_run() turns the catalog rows into findings with the C++ rule engine and keeps the result
// in an opaque heap object; the accessors hand out plain pointers into it and never allocate, so
// the PostgreSQL side can build tuples (and raise errors) while no C++ object lives in its frames.
// Nothing here includes PostgreSQL headers or calls PostgreSQL.
#pragma once

#include "core/catalog_queries.h"

#include <cstddef>

namespace audit_fields::pg {

struct ScanHandle;

// config_json: the configuration as a JSON object (scan(schemas, config jsonb)), nullptr for
// none; it is validated by the core's parser, the one the CLI's TOML goes through too.
// nullptr (and the reason in error) on failure; *bad_config tells a configuration the user wrote
// wrong from an internal failure.
ScanHandle* scan_run(const scan::RowSet& tables, const scan::RowSet& columns,
                     const scan::RowSet& triggers, const char* config_json, char* error,
                     std::size_t error_len, bool* bad_config) noexcept;
void scan_free(ScanHandle* handle) noexcept;

struct PlainFinding {
    const char* schema;
    const char* table;
    const char* check_id;
    const char* severity;
    const char* message;
    const char* remediation;
};

struct PlainTableReport {
    const char* schema;
    const char* table;
    const char* kind;
    const char* status;
    const char* trigger;
    const char* ignore_reason; // nullptr unless ignored
    const char* const* present;
    int npresent;
    const char* const* missing;
    int nmissing;
    const char* const* checks; // distinct check ids, in order of first finding
    int nchecks;
    int nfindings;
};

int scan_finding_count(const ScanHandle* handle) noexcept;
PlainFinding scan_finding(const ScanHandle* handle, int index) noexcept;
int scan_table_count(const ScanHandle* handle) noexcept;
PlainTableReport scan_table(const ScanHandle* handle, int index) noexcept;

} // namespace audit_fields::pg
