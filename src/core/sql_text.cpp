#include "sql_text.h"

#include "text_escape.h"

namespace audit_fields::sql {

std::string quote_ident(std::string_view name) {
    if (audit_column_from_name(name))
        return std::string(name);
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

std::string ident(std::string_view name, std::string_view server_quoted) {
    return server_quoted.empty() ? quote_ident(name) : std::string(server_quoted);
}

std::string qualified(std::string_view schema, std::string_view table) {
    return quote_ident(schema) + "." + quote_ident(table);
}

std::string quote_literal(std::string_view text) {
    const bool backslash = text.find('\\') != std::string_view::npos;
    std::string out = backslash ? "E'" : "'";
    for (const char c : text) {
        if (c == '\'' || (backslash && c == '\\'))
            out += c;
        out += c;
    }
    return out + '\'';
}

std::string add_columns(std::string_view table,
                        const std::vector<std::pair<std::string, std::string>>& name_type) {
    std::string out = "ALTER TABLE " + std::string(table);
    for (std::size_t i = 0; i < name_type.size(); ++i) {
        out += i == 0 ? "\n    " : ",\n    ";
        out += "ADD COLUMN IF NOT EXISTS " + quote_ident(name_type[i].first) + " " +
               name_type[i].second;
    }
    return out + ";";
}

std::string enable_call(std::string_view table, const TableOptions& options,
                        std::string_view missing_actor) {
    std::string out = "SELECT audit_fields.enable(" + quote_literal(table);
    std::string map;
    for (AuditColumn c : kAllAuditColumns) {
        if (options.column_name(c) == default_name(c))
            continue;
        map += map.empty() ? "{" : ", ";
        map += json_string(default_name(c)) + ": " + json_string(options.column_name(c));
    }
    if (!map.empty())
        out += ", column_map => " + quote_literal(map + "}");
    if (options.policy.soft_delete)
        out += ", soft_delete => true";
    if (options.policy.mode != StampMode::Force)
        out += std::string(", stamp_mode => '") + to_string(options.policy.mode) + "'";
    if (options.policy.on_created_change != CreatedChange::Restore)
        out += std::string(", on_created_change => '") +
               to_string(options.policy.on_created_change) + "'";
    if (options.policy.missing_actor != MissingActorPolicy::Setting)
        out += std::string(", missing_actor => '") + to_string(options.policy.missing_actor) + "'";
    else if (!missing_actor.empty())
        out += ", missing_actor => " + quote_literal(missing_actor);
    return out + ");";
}

std::string drop_trigger(std::string_view table, std::string_view trigger) {
    return "DROP TRIGGER IF EXISTS " + std::string(trigger) + " ON " + std::string(table) + ";";
}

std::string to_timestamptz(std::string_view table, std::string_view column) {
    return "ALTER TABLE " + std::string(table) + " ALTER COLUMN " + std::string(column) +
           " TYPE timestamp with time zone;";
}

std::string to_timestamptz_rewrite(std::string_view table, std::string_view column,
                                   std::string_view zone) {
    return "ALTER TABLE " + std::string(table) + " ALTER COLUMN " + std::string(column) +
           " TYPE timestamp with time zone USING " + std::string(column) + " AT TIME ZONE " +
           quote_literal(zone) + ";";
}

} // namespace audit_fields::sql
