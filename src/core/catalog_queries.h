// How both front ends read the catalogs: three set-based queries (tables with their unique
// indexes and foreign keys, columns, audit_fields triggers), never one per table, and the
// conversion of their text rows into the scanner's model. The CLI runs them over libpq,
// audit_fields.scan() over SPI; each takes one parameter, $1 text[]: the schemas to scan, or NULL
// for all.
#pragma once
#include "no_postgres.h"

#include "scan_model.h"

#include <vector>

namespace audit_fields::scan {

// Result columns, in order:
//   tables:   oid, schema, name, relkind, is_partition (t/f), comment, unique indexes other
//             than the primary key (json array or NULL), foreign keys (json array or NULL),
//             schema.table quoted
//   columns:  table oid, name, base type, base typcategory, declared type, not null (t/f),
//             generated (t/f), name quoted
//   triggers: table oid, name, function schema, function name, tgtype, tgenabled, tgargs (hex),
//             name quoted
// Names are quoted by the server (quote_ident), which knows its own keywords: a name that is a
// keyword only in a later version (system_user, reserved from PostgreSQL 16) is quoted exactly
// when the server the SQL is generated for needs it.
extern const char* const kTablesQuery;
extern const char* const kColumnsQuery;
extern const char* const kTriggersQuery;

// Rows as text, row-major, nullptr for NULL; valid for the duration of the call.
struct RowSet {
    int rows = 0;
    int columns = 0;
    const char* const* cells = nullptr;
    const char* at(int row, int column) const { return cells[row * columns + column]; }
};

// Throws std::runtime_error on rows of the wrong shape.
std::vector<Table> tables_from_rows(const RowSet& tables, const RowSet& columns,
                                    const RowSet& triggers);

// pg_trigger.tgargs, hex-encoded, into its NUL-separated arguments.
std::vector<std::string> decode_trigger_args(const char* hex);

} // namespace audit_fields::scan
