// The scanner's checks: stable ids, default severity and a one-line title. Every format, the
// configuration and the waiver parser read this list, so a new check is added in one place.
#pragma once
#include "no_postgres.h"

#include <string_view>
#include <vector>

namespace audit_fields::scan {

enum class Severity : unsigned char { Warning, Error };

struct CheckInfo {
    const char* id;    // "AF001"
    Severity severity; // default; the configuration may change it
    const char* title; // "no created_at/updated_at"
    const char* help;  // what the check means and how to fix it, one paragraph
};

const std::vector<CheckInfo>& all_checks();

// nullptr for an id that is not a check.
const CheckInfo* find_check(std::string_view id);

} // namespace audit_fields::scan
