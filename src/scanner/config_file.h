// The CLI's configuration file: TOML, read with toml++ and converted to the JSON tree the core
// validates (core/scan_config_json.h), so a file and scan(schemas, config jsonb) accept exactly
// the same settings.
#pragma once

#include "core/scan_config.h"

#include <string>

namespace audit_fields::cli {

inline constexpr const char* kDefaultConfigFile = ".audit-fields.toml";

// TOML text to a Config; `source` names the file in messages. Throws scan::ConfigError with the
// line and column of a syntax error, or the key of a bad setting.
scan::Config parse_config_toml(const std::string& text, const std::string& source);

// --config FILE (must exist), else .audit-fields.toml in the working directory when present,
// else an empty configuration. Throws scan::ConfigError.
scan::Config load_config(const std::string& explicit_path, bool no_config);

} // namespace audit_fields::cli
