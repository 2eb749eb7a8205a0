#include "options_json.h"

#include "table_options.h"
#include "text_escape.h"

namespace audit_fields {

std::vector<std::string> split_trigger_args(std::string_view bytes) {
    std::vector<std::string> args;
    std::size_t start = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i)
        if (bytes[i] == '\0') {
            args.emplace_back(bytes.substr(start, i - start));
            start = i + 1;
        }
    if (start < bytes.size())
        args.emplace_back(bytes.substr(start));
    return args;
}

std::string trigger_options_json(const std::vector<std::string>& trigger_args) {
    TableOptions options;
    try {
        options = parse_table_options(trigger_args);
    } catch (const OptionError& e) {
        return "{\"error\": " + json_string(e.what()) + "}";
    }
    std::string out =
        "{\"stamp_mode\": " + json_string(to_string(options.policy.mode)) +
        ", \"soft_delete\": " + (options.policy.soft_delete ? "true" : "false") +
        ", \"on_created_change\": " + json_string(to_string(options.policy.on_created_change)) +
        ", \"missing_actor\": " +
        (options.policy.missing_actor == MissingActorPolicy::Setting
             ? std::string("null")
             : json_string(to_string(options.policy.missing_actor))) +
        ", \"columns\": {";
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        const AuditColumn c = kAllAuditColumns[i];
        out += (i == 0 ? "" : ", ") + json_string(default_name(c)) + ": " +
               json_string(options.column_name(c));
    }
    return out + "}}";
}

} // namespace audit_fields
