#include "sql_text.h"

#include "text_escape.h"

#include <algorithm>
#include <iterator>

namespace audit_fields::sql {

namespace {

// PostgreSQL's reserved words plus the non-reserved ones that cannot be column or table names, of
// every major the project supports (test/integration/quote_ident_keywords_test.cpp checks the list
// against the server's pg_get_keywords() on each major CI tests). Quoting a word that did not need
// it is harmless, so the list errs on the side of quoting.
constexpr std::string_view kKeywords[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user", // reserved from PostgreSQL 16 on
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
};

bool is_keyword(std::string_view s) {
    return std::find(std::begin(kKeywords), std::end(kKeywords), s) != std::end(kKeywords);
}

bool is_plain_identifier(std::string_view s) {
    if (s.empty())
        return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (const char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$'))
            return false;
    return !is_keyword(s);
}

} // namespace

std::string quote_ident(std::string_view name) {
    if (is_plain_identifier(name))
        return std::string(name);
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
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

std::string qualified(std::string_view schema, std::string_view table) {
    return quote_ident(schema) + "." + quote_ident(table);
}

std::string add_columns(std::string_view schema, std::string_view table,
                        const std::vector<std::pair<std::string, std::string>>& name_type) {
    std::string out = "ALTER TABLE " + qualified(schema, table);
    for (std::size_t i = 0; i < name_type.size(); ++i) {
        out += i == 0 ? "\n    " : ",\n    ";
        out += "ADD COLUMN IF NOT EXISTS " + quote_ident(name_type[i].first) + " " +
               name_type[i].second;
    }
    return out + ";";
}

std::string enable_call(std::string_view schema, std::string_view table,
                        const TableOptions& options) {
    std::string out = "SELECT audit_fields.enable(" + quote_literal(qualified(schema, table));
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
    return out + ");";
}

std::string drop_trigger(std::string_view schema, std::string_view table,
                         std::string_view trigger) {
    return "DROP TRIGGER " + quote_ident(trigger) + " ON " + qualified(schema, table) + ";";
}

} // namespace audit_fields::sql
