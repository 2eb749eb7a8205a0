#include "config_file.h"

#include "core/scan_config_json.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace audit_fields::cli {

namespace {

// TOML values as JSON. Dates and times have no JSON form; they become strings, and the validator
// rejects them where a setting wants something else, naming the key.
nlohmann::json to_json(const toml::node& node) {
    if (const auto* table = node.as_table()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, value] : *table)
            out[std::string(key.str())] = to_json(value);
        return out;
    }
    if (const auto* array = node.as_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const toml::node& value : *array)
            out.push_back(to_json(value));
        return out;
    }
    if (const auto* s = node.as_string())
        return s->get();
    if (const auto* i = node.as_integer())
        return i->get();
    if (const auto* f = node.as_floating_point())
        return f->get();
    if (const auto* b = node.as_boolean())
        return b->get();
    std::ostringstream text;
    node.visit([&text](const auto& v) { text << v; });
    return text.str();
}

} // namespace

scan::Config parse_config_toml(const std::string& text, const std::string& source) {
    toml::table doc;
    try {
        doc = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        const auto& at = e.source().begin;
        throw scan::ConfigError(source + ":" + std::to_string(at.line) + ":" +
                                std::to_string(at.column) + ": " + std::string(e.description()));
    }
    scan::Config config = scan::config_from_json(to_json(doc), source);
    config.text = text;
    return config;
}

scan::Config load_config(const std::string& explicit_path, bool no_config) {
    if (no_config)
        return {};
    std::string path = explicit_path;
    if (path.empty()) {
        struct stat st {};
        if (stat(kDefaultConfigFile, &st) != 0)
            return {};
        path = kDefaultConfigFile;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw scan::ConfigError("cannot read configuration " + path);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw scan::ConfigError("cannot read configuration " + path);
    return parse_config_toml(text.str(), path);
}

} // namespace audit_fields::cli
