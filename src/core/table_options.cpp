#include "table_options.h"

#include <string_view>

namespace audit_fields {

namespace {

bool parse_bool(std::string_view key, std::string_view value) {
    if (value == "true" || value == "on" || value == "yes" || value == "1" || value == "t")
        return true;
    if (value == "false" || value == "off" || value == "no" || value == "0" || value == "f")
        return false;
    throw OptionError("invalid value \"" + std::string(value) + "\" for option \"" +
                      std::string(key) + "\": expected true or false");
}

StampMode parse_mode(std::string_view value) {
    if (value == "force")
        return StampMode::Force;
    if (value == "fill")
        return StampMode::Fill;
    if (value == "fill_on_insert")
        return StampMode::FillOnInsert;
    throw OptionError("invalid value \"" + std::string(value) +
                      "\" for option \"stamp_mode\": expected force, fill or fill_on_insert");
}

// "setting" is accepted as the explicit spelling of the default (follow audit_fields.missing_actor)
// so that a configuration can be written back unchanged; enable() passes NULL for it.
MissingActorPolicy parse_missing_actor(std::string_view value) {
    if (value == "setting")
        return MissingActorPolicy::Setting;
    if (value == "reject")
        return MissingActorPolicy::Reject;
    if (value == "warn")
        return MissingActorPolicy::Warn;
    if (value == "session_user")
        return MissingActorPolicy::SessionUser;
    if (value == "allow")
        return MissingActorPolicy::Allow;
    throw OptionError("invalid value \"" + std::string(value) +
                      "\" for option \"missing_actor\": expected reject, warn, session_user or "
                      "allow");
}

CreatedChange parse_created_change(std::string_view value) {
    if (value == "restore")
        return CreatedChange::Restore;
    if (value == "reject")
        return CreatedChange::Reject;
    throw OptionError("invalid value \"" + std::string(value) +
                      "\" for option \"on_created_change\": expected restore or reject");
}

void check_physical_names_distinct(const TableOptions& options) {
    for (std::size_t i = 0; i < kAuditColumnCount; ++i)
        for (std::size_t j = i + 1; j < kAuditColumnCount; ++j)
            if (options.column_names[i] == options.column_names[j])
                throw OptionError("column \"" + options.column_names[i] + "\" is mapped to both " +
                                  std::string(default_name(kAllAuditColumns[i])) + " and " +
                                  std::string(default_name(kAllAuditColumns[j])));
}

} // namespace

TableOptions::TableOptions() {
    for (AuditColumn c : kAllAuditColumns)
        column_names[index_of(c)] = std::string(default_name(c));
}

TableOptions parse_table_options(const std::vector<std::string>& items) {
    TableOptions options;
    std::array<bool, kAuditColumnCount + 4> seen{};
    for (const std::string& item : items) {
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
            throw OptionError("invalid option \"" + item + "\": expected key=value");
        const std::string_view key(item.data(), eq);
        const std::string_view value(item.data() + eq + 1, item.size() - eq - 1);

        std::size_t slot;
        if (key == "stamp_mode") {
            options.policy.mode = parse_mode(value);
            slot = kAuditColumnCount;
        } else if (key == "on_created_change") {
            options.policy.on_created_change = parse_created_change(value);
            slot = kAuditColumnCount + 1;
        } else if (key == "soft_delete") {
            options.policy.soft_delete = parse_bool(key, value);
            slot = kAuditColumnCount + 2;
        } else if (key == "missing_actor") {
            options.policy.missing_actor = parse_missing_actor(value);
            slot = kAuditColumnCount + 3;
        } else if (auto column = audit_column_from_name(key)) {
            if (value.empty())
                throw OptionError("empty column name for \"" + std::string(key) + "\"");
            slot = index_of(*column);
            options.column_names[slot] = std::string(value);
            options.mapped[slot] = true;
        } else {
            throw OptionError("unknown option \"" + std::string(key) +
                              "\": expected stamp_mode, soft_delete, on_created_change, "
                              "missing_actor or one of " +
                              all_logical_names());
        }
        if (seen[slot])
            throw OptionError("option \"" + std::string(key) + "\" is given more than once");
        seen[slot] = true;
    }
    check_physical_names_distinct(options);
    return options;
}

std::vector<std::string> format_trigger_args(const TableOptions& options) {
    std::vector<std::string> args;
    args.push_back(std::string("stamp_mode=") + to_string(options.policy.mode));
    args.push_back(std::string("soft_delete=") + (options.policy.soft_delete ? "true" : "false"));
    args.push_back(std::string("on_created_change=") + to_string(options.policy.on_created_change));
    // Only when the table has its own policy: tables that follow the setting keep the arguments
    // they had before the option existed, so their dumps and trigger definitions do not change.
    if (options.policy.missing_actor != MissingActorPolicy::Setting)
        args.push_back(std::string("missing_actor=") + to_string(options.policy.missing_actor));
    for (AuditColumn c : kAllAuditColumns)
        if (options.column_name(c) != default_name(c))
            args.push_back(std::string(default_name(c)) + "=" + options.column_name(c));
    return args;
}

const char* to_string(StampMode mode) {
    switch (mode) {
    case StampMode::Force:
        return "force";
    case StampMode::Fill:
        return "fill";
    case StampMode::FillOnInsert:
        return "fill_on_insert";
    }
    return "?";
}

const char* to_string(MissingActorPolicy policy) {
    switch (policy) {
    case MissingActorPolicy::Setting:
        return "setting";
    case MissingActorPolicy::Reject:
        return "reject";
    case MissingActorPolicy::Warn:
        return "warn";
    case MissingActorPolicy::SessionUser:
        return "session_user";
    case MissingActorPolicy::Allow:
        return "allow";
    }
    return "?";
}

const char* to_string(CreatedChange change) {
    return change == CreatedChange::Restore ? "restore" : "reject";
}

} // namespace audit_fields
