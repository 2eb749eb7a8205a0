// The configuration's one validator, over a JSON tree. The TOML reader of the CLI converts its
// document to this tree first, so both syntaxes accept exactly the same configurations.
#pragma once
#include "no_postgres.h"

#include "scan_config.h"

#include <nlohmann/json.hpp>

namespace audit_fields::scan {

// `source` names the file (or "config") in error messages. Throws ConfigError.
Config config_from_json(const nlohmann::json& tree, const std::string& source);

nlohmann::json config_json(const Config& config);

} // namespace audit_fields::scan
