// Calendar dates (proleptic Gregorian, no time of day, no zone) for waivers' "until" dates.
#pragma once
#include "no_postgres.h"

#include <optional>
#include <string>
#include <string_view>

namespace audit_fields {

struct CivilDate {
    int year = 1970;
    int month = 1;
    int day = 1;

    int compare(const CivilDate& other) const;
    bool operator<(const CivilDate& o) const { return compare(o) < 0; }
    bool operator>(const CivilDate& o) const { return compare(o) > 0; }
    bool operator==(const CivilDate& o) const { return compare(o) == 0; }
    std::string iso() const; // "2027-03-31"
};

// Exactly YYYY-MM-DD naming a real day (2027-02-30 is rejected); nullopt otherwise.
std::optional<CivilDate> parse_iso_date(std::string_view text);

// Today in UTC: a waiver ends at the same moment for every machine running the scan.
CivilDate today_utc();

} // namespace audit_fields
