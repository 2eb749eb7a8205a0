// The scanner's configuration: what a team decides once and checks in. The CLI reads it from TOML
// (--config FILE, default .audit-fields.toml), audit_fields.scan(schemas, config jsonb) from a
// JSON object with the same keys:
//
//   fail_on = "error"                      # error | warning | never
//   exclude = ["public.django_*"]          # glob.h patterns
//   [aliases]                              # physical names accepted for a logical audit column
//   created_by = ["created_by_id"]
//   [checks]                               # per-check severity: error | warning | off
//   AF001 = "warning"
//
// Both syntaxes become one JSON tree and are validated by one function, so they cannot accept
// different things. Errors name the key.
#pragma once
#include "no_postgres.h"

#include "scan_checks.h"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace audit_fields::scan {

enum class FailOn : unsigned char { Error, Warning, Never };
enum class CheckLevel : unsigned char { Error, Warning, Off };

std::optional<FailOn> parse_fail_on(std::string_view text);
const char* to_string(FailOn f);
const char* to_string(CheckLevel level);

struct Config {
    std::optional<FailOn> fail_on; // unset: the front end's default
    std::vector<std::string> exclude;
    // Logical column name ("created_by") -> physical names to accept, first match wins.
    std::map<std::string, std::vector<std::string>> aliases;
    std::map<std::string, CheckLevel> checks; // check id -> level; absent = the default
    std::string source;                       // where it came from, for messages ("" = none)
    std::string text;                         // the file as read, for the record

    bool empty() const { return !fail_on && exclude.empty() && aliases.empty() && checks.empty(); }
    // The severity a check's findings get, or nullopt when the check is off.
    std::optional<Severity> severity(std::string_view check_id) const;
};

// A configuration that cannot be accepted; the message names the key ("checks.AF001: ...").
class ConfigError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// A JSON object with the keys above. Throws ConfigError.
Config parse_config_json(const std::string& text);

// The configuration as compact JSON (keys sorted), as recorded in the JSON and SARIF reports.
std::string config_to_json(const Config& config);

} // namespace audit_fields::scan
