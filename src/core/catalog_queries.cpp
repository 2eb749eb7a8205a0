#include "catalog_queries.h"

#include "options_json.h"
#include "table_scope.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace audit_fields::scan {

// The tables in scope (table_scope.h, shared with enable_schema() and auto_enable).
#define AF_SCOPE_RELS                                                                              \
    "rels AS ("                                                                                    \
    " SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition"                             \
    " FROM pg_catalog.pg_class c"                                                                  \
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"                                    \
    " WHERE " AF_TABLE_SCOPE_PREDICATE                                                             \
    "   AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[])))"

// Triggers calling audit_fields.stamp, found by name: the extension may not be installed.
#define AF_STAMP_TRIGGERS                                                                          \
    "stamp AS ("                                                                                   \
    " SELECT t.* , pn.nspname AS fn_schema, p.proname AS fn_name"                                  \
    " FROM pg_catalog.pg_trigger t"                                                                \
    " JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid"                                               \
    " JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace"                                  \
    " WHERE NOT t.tgisinternal AND p.proname = 'stamp' AND pn.nspname = 'audit_fields')"

// Unique indexes other than primary keys (AF011) and foreign keys (AF012), aggregated per table
// as JSON in grouped CTEs: still one set-based query, and the SQL front end reads the same three
// result sets as before.
#define AF_UNIQUE_INDEXES                                                                          \
    "uidx AS ("                                                                                    \
    " SELECT i.indrelid AS relid, pg_catalog.json_agg(pg_catalog.json_build_object("               \
    "   'name', ic.relname, 'quoted', pg_catalog.quote_ident(ic.relname),"                         \
    "   'qualified', pg_catalog.quote_ident(rels.nspname) || '.' ||"                               \
    "                pg_catalog.quote_ident(ic.relname),"                                          \
    "   'constraint', EXISTS (SELECT FROM pg_catalog.pg_constraint con"                            \
    "                         WHERE con.conindid = i.indexrelid AND con.contype = 'u'),"           \
    "   'columns', CASE WHEN i.indexprs IS NULL THEN (SELECT pg_catalog.json_agg(a.attname"        \
    "       ORDER BY k.ord) FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[])"                   \
    "       WITH ORDINALITY k(attnum, ord)"                                                        \
    "       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"     \
    "       WHERE k.ord <= i.indnkeyatts) END,"                                                    \
    "   'predicate', pg_catalog.pg_get_expr(i.indpred, i.indrelid),"                               \
    "   'definition', pg_catalog.pg_get_indexdef(i.indexrelid)) ORDER BY ic.relname) AS list"      \
    " FROM pg_catalog.pg_index i"                                                                  \
    " JOIN rels ON rels.oid = i.indrelid"                                                          \
    " JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"                                        \
    " WHERE i.indisunique AND NOT i.indisprimary"                                                  \
    " GROUP BY i.indrelid)"

// Partitions' clones of a key (conparentid <> 0) are reported through the parent's key.
#define AF_FOREIGN_KEYS                                                                            \
    "fks AS ("                                                                                     \
    " SELECT con.conrelid AS relid, pg_catalog.json_agg(pg_catalog.json_build_object("             \
    "   'name', con.conname, 'quoted', pg_catalog.quote_ident(con.conname),"                       \
    "   'parent_schema', pn.nspname, 'parent_table', pc.relname,"                                  \
    "   'parent_qualified', pg_catalog.quote_ident(pn.nspname) || '.' ||"                          \
    "                       pg_catalog.quote_ident(pc.relname),"                                   \
    "   'on_delete', con.confdeltype,"                                                             \
    "   'definition', pg_catalog.pg_get_constraintdef(con.oid)) ORDER BY con.conname) AS list"     \
    " FROM pg_catalog.pg_constraint con"                                                           \
    " JOIN rels ON rels.oid = con.conrelid"                                                        \
    " JOIN pg_catalog.pg_class pc ON pc.oid = con.confrelid"                                       \
    " JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"                                 \
    " WHERE con.contype = 'f' AND con.conparentid = 0"                                             \
    " GROUP BY con.conrelid)"

const char* const kTablesQuery =
    "WITH " AF_SCOPE_RELS ", " AF_UNIQUE_INDEXES ", " AF_FOREIGN_KEYS
    " SELECT rels.oid, rels.nspname, rels.relname, rels.relkind, rels.relispartition,"
    "        d.description, uidx.list, fks.list,"
    "        pg_catalog.quote_ident(rels.nspname) || '.' || "
    "pg_catalog.quote_ident(rels.relname)"
    " FROM rels"
    " LEFT JOIN pg_catalog.pg_description d ON d.objoid = rels.oid"
    "   AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0"
    " LEFT JOIN uidx ON uidx.relid = rels.oid"
    " LEFT JOIN fks ON fks.relid = rels.oid";

// Every column of the tables in scope: column_map, configured aliases and suspected renamed
// columns (AF009) may name any of them. Domains are resolved to their base type, through domains
// over domains.
const char* const kColumnsQuery =
    "WITH RECURSIVE dom(oid, base) AS ("
    " SELECT t.oid, t.typbasetype FROM pg_catalog.pg_type t WHERE t.typtype = 'd'"
    " UNION ALL"
    " SELECT dom.oid, t.typbasetype FROM dom"
    " JOIN pg_catalog.pg_type t ON t.oid = dom.base AND t.typtype = 'd'),"
    " base AS (SELECT dom.oid, dom.base FROM dom"
    "  JOIN pg_catalog.pg_type t ON t.oid = dom.base AND t.typtype <> 'd'),"
    " " AF_SCOPE_RELS
    " SELECT a.attrelid, a.attname, pg_catalog.format_type(bt.oid, NULL), bt.typcategory,"
    "        pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated <> '',"
    "        pg_catalog.quote_ident(a.attname)"
    " FROM rels"
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = rels.oid AND a.attnum > 0"
    "   AND NOT a.attisdropped"
    " LEFT JOIN base ON base.oid = a.atttypid"
    " JOIN pg_catalog.pg_type bt ON bt.oid = coalesce(base.base, a.atttypid)"
    " ORDER BY a.attrelid, a.attnum";

const char* const kTriggersQuery =
    "WITH " AF_SCOPE_RELS ", " AF_STAMP_TRIGGERS
    " SELECT stamp.tgrelid, stamp.tgname, stamp.fn_schema, stamp.fn_name, stamp.tgtype,"
    "        stamp.tgenabled, pg_catalog.encode(stamp.tgargs, 'hex'),"
    "        pg_catalog.quote_ident(stamp.tgname)"
    " FROM stamp JOIN rels ON rels.oid = stamp.tgrelid"
    " ORDER BY stamp.tgrelid, stamp.tgname";

#undef AF_UNIQUE_INDEXES
#undef AF_FOREIGN_KEYS
#undef AF_SCOPE_RELS
#undef AF_STAMP_TRIGGERS

namespace {

// pg_trigger.tgtype bits (catalog/pg_trigger.h), repeated here because the core must not include
// server headers. They are part of the on-disk catalog format and do not change.
constexpr int kTriggerRow = 1 << 0;
constexpr int kTriggerBefore = 1 << 1;
constexpr int kTriggerInsert = 1 << 2;
constexpr int kTriggerDelete = 1 << 3;
constexpr int kTriggerUpdate = 1 << 4;
constexpr int kTriggerInstead = 1 << 6;

std::string text(const char* s) {
    return s ? std::string(s) : std::string();
}
bool flag(const char* s) {
    return s && (s[0] == 't' || s[0] == 'T');
}

void expect_columns(const RowSet& set, int columns, const char* what) {
    if (set.rows > 0 && set.columns != columns)
        throw std::runtime_error(std::string("catalog query for ") + what + " returned " +
                                 std::to_string(set.columns) + " columns, expected " +
                                 std::to_string(columns));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string json_text(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<UniqueIndex> unique_indexes_from_json(const char* cell) {
    std::vector<UniqueIndex> out;
    if (cell == nullptr)
        return out;
    try {
        for (const nlohmann::json& j : nlohmann::json::parse(cell)) {
            UniqueIndex idx;
            idx.name = json_text(j, "name");
            idx.quoted_name = json_text(j, "quoted");
            idx.qualified = json_text(j, "qualified");
            idx.constraint = j.value("constraint", false);
            if (j.contains("columns") && j["columns"].is_array())
                for (const nlohmann::json& c : j["columns"])
                    idx.columns.push_back(c.get<std::string>());
            idx.predicate = json_text(j, "predicate");
            idx.definition = json_text(j, "definition");
            out.push_back(std::move(idx));
        }
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(std::string("catalog query for unique indexes: ") + e.what());
    }
    return out;
}

std::vector<ForeignKey> foreign_keys_from_json(const char* cell) {
    std::vector<ForeignKey> out;
    if (cell == nullptr)
        return out;
    try {
        for (const nlohmann::json& j : nlohmann::json::parse(cell)) {
            ForeignKey fk;
            fk.name = json_text(j, "name");
            fk.parent_schema = json_text(j, "parent_schema");
            fk.parent_table = json_text(j, "parent_table");
            fk.quoted_name = json_text(j, "quoted");
            fk.parent_qualified = json_text(j, "parent_qualified");
            const std::string action = json_text(j, "on_delete");
            fk.on_delete = action.empty() ? 'a' : action[0];
            fk.definition = json_text(j, "definition");
            out.push_back(std::move(fk));
        }
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(std::string("catalog query for foreign keys: ") + e.what());
    }
    return out;
}

} // namespace

std::vector<std::string> decode_trigger_args(const char* hex) {
    std::string bytes;
    if (hex == nullptr)
        return {};
    for (const char* p = hex; p[0] != '\0' && p[1] != '\0'; p += 2) {
        const int hi = hex_value(p[0]), lo = hex_value(p[1]);
        if (hi < 0 || lo < 0)
            throw std::runtime_error("trigger arguments are not hex-encoded");
        bytes += static_cast<char>(hi * 16 + lo);
    }
    return split_trigger_args(bytes);
}

std::vector<Table> tables_from_rows(const RowSet& tables, const RowSet& columns,
                                    const RowSet& triggers) {
    expect_columns(tables, 9, "tables");
    expect_columns(columns, 8, "columns");
    expect_columns(triggers, 8, "triggers");

    std::vector<Table> out;
    out.reserve(static_cast<std::size_t>(tables.rows));
    std::unordered_map<std::string, std::size_t> by_oid;
    by_oid.reserve(static_cast<std::size_t>(tables.rows));
    for (int r = 0; r < tables.rows; ++r) {
        Table t;
        t.schema = text(tables.at(r, 1));
        t.name = text(tables.at(r, 2));
        const char* kind = tables.at(r, 3);
        t.relkind = kind && kind[0] ? kind[0] : 'r';
        t.is_partition = flag(tables.at(r, 4));
        t.comment = text(tables.at(r, 5));
        t.unique_indexes = unique_indexes_from_json(tables.at(r, 6));
        t.foreign_keys = foreign_keys_from_json(tables.at(r, 7));
        t.qualified = text(tables.at(r, 8));
        by_oid.emplace(text(tables.at(r, 0)), out.size());
        out.push_back(std::move(t));
    }
    for (int r = 0; r < columns.rows; ++r) {
        const auto it = by_oid.find(text(columns.at(r, 0)));
        if (it == by_oid.end())
            continue; // created between the queries' snapshots; the next scan sees it
        Column c;
        c.name = text(columns.at(r, 1));
        c.type.base_type = text(columns.at(r, 2));
        const char* category = columns.at(r, 3);
        c.type.category = category && category[0] ? category[0] : 'X';
        c.declared_type = text(columns.at(r, 4));
        c.not_null = flag(columns.at(r, 5));
        c.generated = flag(columns.at(r, 6));
        c.quoted_name = text(columns.at(r, 7));
        out[it->second].columns.push_back(std::move(c));
    }
    for (int r = 0; r < triggers.rows; ++r) {
        const auto it = by_oid.find(text(triggers.at(r, 0)));
        if (it == by_oid.end())
            continue;
        Trigger t;
        t.name = text(triggers.at(r, 1));
        t.function_schema = text(triggers.at(r, 2));
        t.function_name = text(triggers.at(r, 3));
        const int type = std::atoi(triggers.at(r, 4) ? triggers.at(r, 4) : "0");
        t.row = (type & kTriggerRow) != 0;
        t.before = (type & kTriggerBefore) != 0 && (type & kTriggerInstead) == 0;
        t.on_insert = (type & kTriggerInsert) != 0;
        t.on_update = (type & kTriggerUpdate) != 0;
        t.on_delete = (type & kTriggerDelete) != 0;
        // 'O' (origin/local) and 'A' (always) fire in ordinary sessions; 'R' fires only under
        // session_replication_role = replica and 'D' never.
        const char* enabled = triggers.at(r, 5);
        t.enabled = enabled && (enabled[0] == 'O' || enabled[0] == 'A');
        t.args = decode_trigger_args(triggers.at(r, 6));
        t.quoted_name = text(triggers.at(r, 7));
        out[it->second].triggers.push_back(std::move(t));
    }
    return out;
}

} // namespace audit_fields::scan
