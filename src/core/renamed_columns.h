// AF009: names under which applications commonly keep an audit column (Django's created/modified,
// Rails-era created_by_id, MediaWiki-style *_timestamp, ...). A column with such a name stands in
// for the logical column it resembles when the table lacks that column and nothing maps it.
#pragma once
#include "no_postgres.h"

#include "audit_columns.h"

#include <string_view>
#include <vector>

namespace audit_fields::scan {

// The names that suggest `column`, most likely first; compared case-insensitively.
const std::vector<std::string_view>& renamed_candidates(AuditColumn column);

} // namespace audit_fields::scan
