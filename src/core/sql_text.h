// SQL text the scanner writes: quoted names and the statements of a remediation. One place, so a
// finding's remediation in scan() and the --fix-sql migration are the same statements.
#pragma once
#include "no_postgres.h"

#include "table_options.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace audit_fields::sql {

// "name" quoted only where PostgreSQL needs it (upper case, odd characters, keywords).
std::string quote_ident(std::string_view name);
// 'text' with quotes doubled; E'' form when the text holds a backslash, so the literal means the
// same under any standard_conforming_strings.
std::string quote_literal(std::string_view text);
std::string qualified(std::string_view schema, std::string_view table);

// ALTER TABLE s.t ADD COLUMN IF NOT EXISTS a type, ADD COLUMN IF NOT EXISTS b type;
std::string add_columns(std::string_view schema, std::string_view table,
                        const std::vector<std::pair<std::string, std::string>>& name_type);

// SELECT audit_fields.enable('s.t', ...); with every non-default option of `options`, so that
// re-enabling a table keeps its column_map, soft_delete and modes.
std::string enable_call(std::string_view schema, std::string_view table,
                        const TableOptions& options);

std::string drop_trigger(std::string_view schema, std::string_view table, std::string_view trigger);

} // namespace audit_fields::sql
