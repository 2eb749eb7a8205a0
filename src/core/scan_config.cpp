#include "scan_config.h"

#include "audit_columns.h"
#include "scan_config_json.h"

namespace audit_fields::scan {

std::optional<FailOn> parse_fail_on(std::string_view text) {
    if (text == "error")
        return FailOn::Error;
    if (text == "warning")
        return FailOn::Warning;
    if (text == "never")
        return FailOn::Never;
    return std::nullopt;
}

const char* to_string(FailOn f) {
    switch (f) {
    case FailOn::Error:
        return "error";
    case FailOn::Warning:
        return "warning";
    case FailOn::Never:
        return "never";
    }
    return "error";
}

const char* to_string(CheckLevel level) {
    switch (level) {
    case CheckLevel::Error:
        return "error";
    case CheckLevel::Warning:
        return "warning";
    case CheckLevel::Off:
        return "off";
    }
    return "off";
}

std::optional<Severity> Config::severity(std::string_view check_id) const {
    const auto it = checks.find(std::string(check_id));
    if (it != checks.end()) {
        switch (it->second) {
        case CheckLevel::Error:
            return Severity::Error;
        case CheckLevel::Warning:
            return Severity::Warning;
        case CheckLevel::Off:
            return std::nullopt;
        }
    }
    const CheckInfo* info = find_check(check_id);
    return info ? info->severity : Severity::Warning;
}

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& what) {
    throw ConfigError((source.empty() ? "" : source + ": ") + (key.empty() ? "" : key + ": ") +
                      what);
}

std::string type_name(const nlohmann::json& v) {
    return v.is_string()    ? "a string"
           : v.is_array()   ? "an array"
           : v.is_object()  ? "a table"
           : v.is_boolean() ? "a boolean"
           : v.is_number()  ? "a number"
                            : "null";
}

// A string or an array of non-empty strings.
std::vector<std::string> string_list(const nlohmann::json& v, const std::string& source,
                                     const std::string& key) {
    std::vector<std::string> out;
    if (v.is_string()) {
        out.push_back(v.get<std::string>());
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string())
                fail(source, key + "[" + std::to_string(i) + "]",
                     "expected a string, got " + type_name(v[i]));
            out.push_back(v[i].get<std::string>());
        }
    } else {
        fail(source, key, "expected an array of strings, got " + type_name(v));
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        if (out[i].empty())
            fail(source, key + "[" + std::to_string(i) + "]", "must not be empty");
    return out;
}

std::string string_value(const nlohmann::json& v, const std::string& source,
                         const std::string& key) {
    if (!v.is_string())
        fail(source, key, "expected a string, got " + type_name(v));
    return v.get<std::string>();
}

} // namespace

Config config_from_json(const nlohmann::json& tree, const std::string& source) {
    Config c;
    c.source = source;
    if (tree.is_null())
        return c;
    if (!tree.is_object())
        fail(source, "",
             "expected a table of settings (fail_on, exclude, aliases, checks), got " +
                 type_name(tree));
    for (const auto& [key, value] : tree.items()) {
        if (key == "fail_on") {
            const std::string v = string_value(value, source, key);
            c.fail_on = parse_fail_on(v);
            if (!c.fail_on)
                fail(source, key, "\"" + v + "\" is not error, warning or never");
        } else if (key == "exclude") {
            c.exclude = string_list(value, source, key);
        } else if (key == "aliases") {
            if (!value.is_object())
                fail(source, key,
                     "expected a table of logical column = [names], got " + type_name(value));
            for (const auto& [logical, names] : value.items()) {
                const std::string k = "aliases." + logical;
                if (!audit_column_from_name(logical))
                    fail(source, k,
                         "not an audit column (expected one of " +
                             std::string(all_logical_names()) + ")");
                c.aliases[logical] = string_list(names, source, k);
            }
        } else if (key == "checks") {
            if (!value.is_object())
                fail(source, key,
                     "expected a table of check id = \"error\"|\"warning\"|\"off\", got " +
                         type_name(value));
            for (const auto& [id, level] : value.items()) {
                const std::string k = "checks." + id;
                if (!find_check(id))
                    fail(source, k, "unknown check (expected AF001 to AF013)");
                const std::string v = string_value(level, source, k);
                if (v == "error")
                    c.checks[id] = CheckLevel::Error;
                else if (v == "warning")
                    c.checks[id] = CheckLevel::Warning;
                else if (v == "off")
                    c.checks[id] = CheckLevel::Off;
                else
                    fail(source, k, "\"" + v + "\" is not error, warning or off");
            }
        } else {
            fail(source, key, "unknown key (expected fail_on, exclude, aliases or checks)");
        }
    }
    return c;
}

nlohmann::json config_json(const Config& c) {
    nlohmann::json out = nlohmann::json::object();
    out["fail_on"] = c.fail_on ? nlohmann::json(to_string(*c.fail_on)) : nlohmann::json();
    out["exclude"] = c.exclude;
    out["aliases"] = nlohmann::json::object();
    for (const auto& [logical, names] : c.aliases)
        out["aliases"][logical] = names;
    out["checks"] = nlohmann::json::object();
    for (const auto& [id, level] : c.checks)
        out["checks"][id] = to_string(level);
    return out;
}

Config parse_config_json(const std::string& text) {
    nlohmann::json tree;
    try {
        tree = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError(std::string("config: not valid JSON: ") + e.what());
    }
    Config c = config_from_json(tree, "config");
    c.text = text;
    return c;
}

std::string config_to_json(const Config& config) {
    return config_json(config).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace audit_fields::scan
