// Waivers in a table's comment: "@audit_fields:ignore [CHECKS] [until DATE][:] REASON".
//
//   @audit_fields:ignore written only by the nightly ETL             whole table, no end
//   @audit_fields:ignore AF001,AF008 until 2027-03-31: append-only   those checks, through that day
//
// The marker may sit anywhere in the comment (several markers may), but must stand alone
// ("@audit_fields:ignored" does not count); the reason is the rest of the marker's line. A waiver
// is honoured only with a reason, before its end date and naming known checks; otherwise it
// waives nothing and the scanner reports AF010. This is the one parser of the marker: the
// scanner, the report view, enable_schema() and auto_enable all call it.
#pragma once
#include "no_postgres.h"

#include "civil_date.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace audit_fields::scan {

inline constexpr std::string_view kIgnoreMarker = "@audit_fields:ignore";

struct Waiver {
    std::vector<std::string> checks; // empty: the whole table
    std::vector<std::string> unknown_checks;
    std::optional<CivilDate> until; // last day it is honoured
    std::string bad_date;           // the text after "until" when it is not a date
    std::string reason;
    std::size_t reason_offset = 0; // where the reason starts in the comment
    std::string text;              // the marker's line as written, for messages

    bool whole_table() const { return checks.empty() && unknown_checks.empty(); }
};

enum class WaiverProblem : unsigned char { None, NoReason, Expired, UnknownCheck, BadDate };

// Every marker in the comment, in order.
std::vector<Waiver> parse_waivers(std::string_view comment);

// Why the waiver is not honoured on `today`, or None.
WaiverProblem waiver_problem(const Waiver& waiver, const CivilDate& today);

// "has no reason", "expired on 2024-01-31", ... for AF010's message.
std::string describe(const Waiver& waiver, WaiverProblem problem);

// Whether an honoured waiver covers the check (a whole-table waiver covers all).
bool waiver_covers(const Waiver& waiver, std::string_view check_id);

// The reason of an honoured whole-table waiver on `today`; nullopt when the table is not ignored.
std::optional<std::string> ignore_reason(std::string_view comment, const CivilDate& today);
std::optional<std::string> ignore_reason(std::string_view comment); // today = today_utc()

// The same verdict as plain data, for callers that must not hold C++ objects (the SQL side
// runs it between PostgreSQL calls). Never throws.
struct WaiverVerdict {
    bool marked;                 // the comment carries at least one marker
    bool ignores_table;          // an honoured whole-table waiver: leave the table alone
    bool has_invalid;            // a marker that is not honoured (AF010)
    std::uint32_t waived_checks; // bit n set: honoured waiver for AF0nn (n in 1..31)
    std::size_t reason_offset;   // the whole-table waiver's reason: comment[offset, +length)
    std::size_t reason_length;
};
WaiverVerdict waiver_verdict(const char* comment, std::size_t length, int today_year,
                             int today_month, int today_day) noexcept;

} // namespace audit_fields::scan
