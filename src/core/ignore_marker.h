// "@audit_fields:ignore <reason>" in a table's comment takes the table out of the scan, with the
// reason shown in every report. The marker may sit anywhere in the comment; the reason is the rest
// of that line.
#pragma once
#include "no_postgres.h"

#include <optional>
#include <string>
#include <string_view>

namespace audit_fields::scan {

inline constexpr std::string_view kIgnoreMarker = "@audit_fields:ignore";

// The reason ("" when none was written) if the comment carries the marker; nullopt otherwise.
// The marker must stand alone: "@audit_fields:ignored" or "x@audit_fields:ignore" do not count.
std::optional<std::string> ignore_reason(std::string_view comment);

} // namespace audit_fields::scan
