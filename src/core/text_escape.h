// Escaping for the report formats: JSON strings and XML text/attributes. Table names and comments
// come from users, so every byte that would change the document's structure is escaped.
#pragma once
#include "no_postgres.h"

#include <string>
#include <string_view>

namespace audit_fields {

// A JSON string literal, quotes included.
std::string json_string(std::string_view s);

// Text safe inside an XML element or a double-quoted attribute. Control characters that XML 1.0
// cannot carry at all are replaced by '?'.
std::string xml_escape(std::string_view s);

// Element content: as xml_escape(), but line breaks stay literal (only attribute values need
// them as character references), so failure bodies stay readable in the raw file.
std::string xml_text(std::string_view s);

} // namespace audit_fields
