// --exclude patterns: shell-style globs ('*' any run of characters, '?' one character, '\' makes
// the next character literal) matched against "schema.table". A pattern without a '.' matches
// the table name in every schema, so `--exclude 'tmp_*'` does what one expects.
#pragma once
#include "no_postgres.h"

#include <string_view>

namespace audit_fields {

bool glob_match(std::string_view pattern, std::string_view text);

// Whether `pattern` excludes schema.table (see above).
bool exclude_matches(std::string_view pattern, std::string_view schema, std::string_view table);

} // namespace audit_fields
