// SQL text the scanner writes: quoted names and the statements of a remediation. One place, so a
// finding's remediation in scan() and the --fix-sql migration are the same statements.
//
// Quoting: names read from the catalogs arrive quoted by the server (pg_catalog.quote_ident() in
// the catalog queries), which knows its own keywords; this file keeps no keyword list, which
// would be one PostgreSQL version's. quote_ident() below is for the few names that do not come
// from a catalog (a column the migration adds): it always quotes.
#pragma once
#include "no_postgres.h"

#include "table_options.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace audit_fields::sql {

// A name the server did not quote: always "double-quoted" (quotes doubled), which is right under
// every PostgreSQL version, except the nine logical audit column names: plain words that no
// version reserves (an integration test asks the server), written bare for readability.
std::string quote_ident(std::string_view name);
// The server's quoting when there is one, else quote_ident(name).
std::string ident(std::string_view name, std::string_view server_quoted);
// schema.table from unquoted names (for models that did not come from a server).
std::string qualified(std::string_view schema, std::string_view table);
// 'text' with quotes doubled; E'' form when the text holds a backslash, so the literal means the
// same under any standard_conforming_strings.
std::string quote_literal(std::string_view text);

// ALTER TABLE t ADD COLUMN IF NOT EXISTS a type, ...; `table` is quoted SQL, the column names are
// not (they are new, so no catalog quoted them). Adding a nullable column without a default
// changes only the catalog: no table rewrite.
std::string add_columns(std::string_view table,
                        const std::vector<std::pair<std::string, std::string>>& name_type);

// SELECT audit_fields.enable('t', ...); with every non-default option of `options`, so that
// re-enabling a table keeps its column_map, soft_delete, modes and missing_actor. A table that
// has no missing_actor of its own gets `missing_actor` when that is not empty.
std::string enable_call(std::string_view table, const TableOptions& options,
                        std::string_view missing_actor = {});

// DROP TRIGGER trigger ON table; both quoted SQL.
std::string drop_trigger(std::string_view table, std::string_view trigger);

// ALTER TABLE t ALTER COLUMN c TYPE timestamp with time zone; both quoted SQL. With no USING
// clause PostgreSQL converts with timestamp_timestamptz(), which (since PostgreSQL 12) changes
// only the catalog when the session's TimeZone is UTC: no table rewrite. Run it after
// SET LOCAL TimeZone = 'UTC'.
std::string to_timestamptz(std::string_view table, std::string_view column);
// The same conversion for values written in another zone: USING c AT TIME ZONE 'zone', which
// rewrites the table under an exclusive lock.
std::string to_timestamptz_rewrite(std::string_view table, std::string_view column,
                                   std::string_view zone);

} // namespace audit_fields::sql
