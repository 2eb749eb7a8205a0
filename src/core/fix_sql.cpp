#include "fix_sql.h"

#include "sql_text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

namespace audit_fields::scan {

namespace {

std::string lower(std::string s);
bool only_comments(const std::string& text);

bool has_finding(const TableReport& r, const char* id) {
    for (const Finding& f : r.findings)
        if (f.check_id == id)
            return true;
    return false;
}

std::string ids(const TableReport& r) {
    std::set<std::string> seen;
    std::string out;
    for (const Finding& f : r.findings)
        if (seen.insert(f.check_id).second)
            out += (out.empty() ? "" : ", ") + f.check_id;
    return out;
}

// The naive timestamp columns (AF005) a conversion would change.
std::vector<std::string> naive_timestamps(const TableReport& r) {
    std::vector<std::string> out;
    for (const Finding& f : r.findings)
        if (f.check_id == "AF005" && !f.column.empty())
            out.push_back(f.column);
    return out;
}

bool converts(const TableReport& r, const FixOptions& o) {
    return !naive_timestamps(r).empty() && (is_utc(o.assume_timezone) || o.allow_rewrite);
}

// New timestamp columns follow the table's convention, in its converted form when the migration
// converts the existing ones ("timestamp(0) without time zone" -> "timestamp(0) with time zone").
std::string timestamp_type(const TableReport& r, const FixOptions& o) {
    std::string type = r.timestamp_type;
    const std::string naive = "without time zone";
    const std::size_t at = type.find(naive);
    if (at != std::string::npos && converts(r, o))
        type.replace(at, naive.size(), "with time zone");
    return type;
}

std::string type_for(const TableReport& r, AuditColumn c, const FixOptions& o) {
    switch (kind_of(c)) {
    case ColumnKind::Timestamp:
        return timestamp_type(r, o);
    case ColumnKind::Actor:
        return r.actor_type;
    case ColumnKind::ActorName:
        return r.actor_name_type;
    }
    return "text";
}

// Whether session_user (what missing_actor 'warn' writes, at most 63 bytes) fits the table's
// actor columns: text-like types only. An integer or uuid actor column would make 'warn' fail
// every write without an actor, the very writers it is meant to keep working.
bool session_user_fits(const TableReport& r) {
    const std::string type = lower(r.actor_type);
    if (type == "text" || type == "name" || type == "citext" || type == "character varying")
        return true;
    const std::string varchar = "character varying(";
    if (type.rfind(varchar, 0) == 0)
        return std::atoi(type.c_str() + varchar.size()) >= 63;
    return false;
}

// The missing_actor a table is enabled with: 'warn' so writers that set no actor keep working
// and are counted; 'allow' (the *_by columns stay NULL) where session_user would not fit; none
// (the setting decides) under --enforce or for a table already enforced.
std::string missing_actor_for(const TableReport& r, const FixOptions& o) {
    if (o.enforce || r.trigger == TriggerState::Enabled)
        return "";
    return session_user_fits(r) ? "warn" : "allow";
}

std::string begin(const FixOptions& o) {
    return "BEGIN;\nSET LOCAL lock_timeout = " + sql::quote_literal(o.lock_timeout) + ";\n";
}

std::string columns_and_trigger(const TableReport& r, const FixOptions& o) {
    std::string out;
    std::vector<std::pair<std::string, std::string>> add;
    for (const std::string& logical : r.missing)
        if (const auto c = audit_column_from_name(logical))
            add.emplace_back(r.options.column_name(*c), type_for(r, *c, o));
    if (!add.empty())
        out += sql::add_columns(r.qualified, add) + "\n";
    if (fix_enables(r)) {
        if (!r.misconfigured_trigger.empty() && r.misconfigured_trigger != "zz_audit_fields")
            out += sql::drop_trigger(r.qualified, r.misconfigured_trigger_sql) + "\n";
        const std::string missing_actor = missing_actor_for(r, o);
        if (missing_actor == "allow")
            out += "-- " + r.actor_type +
                   " actor columns cannot hold session_user, which missing_actor 'warn' writes: "
                   "'allow'\n-- keeps writers without an actor working (their *_by columns stay "
                   "NULL)\n";
        out += sql::enable_call(r.qualified, r.options, missing_actor) + "\n";
    }
    return out.empty() ? out : begin(o) + out + "COMMIT;\n";
}

// Its own transaction: a column a view depends on cannot change type, and that must not keep the
// table's columns and trigger from being fixed.
std::string timestamp_conversion(const TableReport& r, const FixOptions& o) {
    const std::vector<std::string> columns = naive_timestamps(r);
    if (columns.empty())
        return "";
    if (is_utc(o.assume_timezone)) {
        std::string out =
            "-- " + r.qualified +
            ": timestamp columns to timestamptz, stored values read as UTC.\n-- "
            "With TimeZone UTC and no USING clause PostgreSQL changes only the "
            "catalog (no table\n-- rewrite); indexes on these columns are rebuilt "
            "(their operator class changes) while the\n-- table is locked: on a "
            "large table, drop them first and CREATE INDEX CONCURRENTLY afterwards\n" +
            begin(o) + "SET LOCAL TimeZone = 'UTC';\n";
        for (const std::string& c : columns)
            out += sql::to_timestamptz(r.qualified, sql::quote_ident(c)) + "\n";
        return out + "COMMIT;\n";
    }
    const std::string zone = sql::quote_literal(o.assume_timezone);
    std::string out = "-- " + r.qualified +
                      ": timestamp columns to timestamptz, stored values read as " + zone +
                      ".\n-- A zone other than UTC needs USING ... AT TIME ZONE, which REWRITES "
                      "the table under an\n-- exclusive lock";
    const std::string prefix = o.allow_rewrite ? "" : "-- ";
    out += o.allow_rewrite ? " (--allow-rewrite).\n"
                           : ": left commented out (--allow-rewrite emits it).\n";
    // A rewrite can take far longer than lock_timeout; the timeout only bounds the wait for the
    // lock.
    out += prefix + "BEGIN;\n" + prefix +
           "SET LOCAL lock_timeout = " + sql::quote_literal(o.lock_timeout) + ";\n";
    for (const std::string& c : columns)
        out += prefix +
               sql::to_timestamptz_rewrite(r.qualified, sql::quote_ident(c), o.assume_timezone) +
               "\n";
    return out + prefix + "COMMIT;\n";
}

bool only_comments(const std::string& text) {
    if (text.empty())
        return false;
    std::size_t at = 0;
    while (at < text.size()) {
        if (text.compare(at, 2, "--") != 0)
            return false;
        const std::size_t nl = text.find('\n', at);
        at = nl == std::string::npos ? text.size() : nl + 1;
    }
    return true;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r')
            c = ' ';
    return s;
}

} // namespace

bool version_older(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        long x = 0, y = 0;
        for (; i < a.size() && a[i] != '.'; ++i)
            x = x * 10 + (std::isdigit(static_cast<unsigned char>(a[i])) ? a[i] - '0' : 0);
        for (; j < b.size() && b[j] != '.'; ++j)
            y = y * 10 + (std::isdigit(static_cast<unsigned char>(b[j])) ? b[j] - '0' : 0);
        if (x != y)
            return x < y;
        ++i;
        ++j;
    }
    return false;
}

bool is_utc(const std::string& zone) {
    static const std::set<std::string> utc = {"utc",  "etc/utc",  "gmt",       "etc/gmt",
                                              "uct",  "etc/uct",  "universal", "etc/universal",
                                              "zulu", "etc/zulu", "greenwich", "etc/greenwich",
                                              "gmt0", "etc/gmt0"};
    return utc.count(lower(zone)) > 0;
}

// enable() refuses a column it cannot stamp (AF004) and cannot be given options it would have to
// guess (unparseable trigger arguments): such tables get a comment instead.
bool fix_enables(const TableReport& r) {
    if (r.status == TableStatus::Ignored || r.findings.empty())
        return false;
    if (!r.options_valid || has_finding(r, "AF004"))
        return false;
    // An enabled trigger is re-created only to map a column the scan took for a renamed audit
    // column (AF009): column_map, never a duplicate column.
    return r.trigger != TriggerState::Enabled || !r.suspects.empty();
}

std::string fix_table(const TableReport& r, const FixOptions& o) {
    if (r.status == TableStatus::Ignored || r.findings.empty())
        return "";
    std::string out = "-- " + r.qualified + ": " + ids(r) + "\n";
    out += columns_and_trigger(r, o);
    if (!fix_enables(r) && r.trigger != TriggerState::Enabled)
        out += "-- not enabled: " +
               std::string(has_finding(r, "AF004")
                               ? "audit_fields.enable() refuses the column type(s) below until "
                                 "they are changed"
                               : "the existing trigger's arguments must be corrected by hand") +
               "\n";
    // Columns taken for renamed audit columns are mapped above; a person should still confirm.
    if (fix_enables(r))
        for (const auto& [physical, logical] : r.suspects)
            out += "-- AF009: " + sql::quote_ident(physical) + " taken for " + logical +
                   " (column_map above); confirm with an alias in the configuration\n";
    // Advice of the findings no statement fixes: remediations that are comments through and
    // through (AF005 is converted below; AF009 is mapped above).
    for (const Finding& f : r.findings)
        if (f.check_id != "AF005" && f.check_id != "AF009" && only_comments(f.remediation))
            out += f.remediation + "\n";
    return out + timestamp_conversion(r, o);
}

std::string fix_migration(const ScanResult& result, const FixOptions& o) {
    std::string body;
    int tables = 0, enabled = 0, added = 0, naive = 0, converted = 0;
    for (const TableReport& r : result.tables) {
        const std::string fix = fix_table(r, o);
        if (fix.empty())
            continue;
        ++tables;
        enabled += fix_enables(r) ? 1 : 0;
        added += static_cast<int>(r.missing.size());
        const int n = static_cast<int>(naive_timestamps(r).size());
        naive += n;
        converted += converts(r, o) ? n : 0;
        body += "\n" + fix;
    }
    std::string out = "-- audit_fields migration generated by audit-fields-scan --fix-sql";
    if (!o.database.empty())
        out += " for database " + one_line(o.database);
    out += "\n";
    if (tables == 0)
        return out + "-- Nothing to fix.\n";
    const std::string timeout = sql::quote_literal(o.lock_timeout);
    out += "--\n-- What it changes (" + std::to_string(tables) +
           (tables == 1 ? " table" : " tables") + "):\n";
    if (added > 0)
        out += "--   * adds " + std::to_string(added) +
               " audit columns, nullable and without a default (existing rows have no record of\n"
               "--     who created or changed them); only the catalog changes, no table rewrite;\n";
    if (converted > 0)
        out +=
            "--   * converts " + std::to_string(converted) +
            " timestamp columns to timestamptz, reading the stored values as " +
            sql::quote_literal(o.assume_timezone) +
            (is_utc(o.assume_timezone)
                 ? "\n--     (--assume-timezone): no table rewrite (only the catalog changes), but "
                   "indexes on\n--     those columns are rebuilt;\n"
                 : " (--assume-timezone);\n--     this REWRITES those tables (--allow-rewrite);\n");
    if (naive > converted)
        out += "--   * leaves " + std::to_string(naive - converted) +
               " timestamp columns as they are: converting from " +
               sql::quote_literal(o.assume_timezone) +
               " rewrites the table (see the comments; --allow-rewrite);\n";
    if (enabled > 0)
        out += "--   * enables the audit_fields trigger on " + std::to_string(enabled) +
               (enabled == 1 ? " table" : " tables") + " (existing options kept)" +
               (o.enforce ? ",\n--     under the audit_fields.missing_actor setting.\n"
                          : ",\n--     with missing_actor => 'warn' (or 'allow' where the actor "
                            "columns cannot hold\n--     session_user: integer, uuid...).\n");
    out += "-- What writers must do:\n";
    if (enabled > 0) {
        if (o.enforce)
            out += "--   * set the actor BEFORE this is applied (SELECT audit_fields.set_actor($1, "
                   "$2) in each\n"
                   "--     transaction): a write without one fails if audit_fields.missing_actor "
                   "is 'reject';\n";
        else
            out +=
                "--   * nothing at once: a write that sets no actor still succeeds, records "
                "session_user,\n"
                "--     raises a WARNING and is counted in audit_fields.missing_actor_report;\n"
                "--   * then set the actor in every writer (SELECT audit_fields.set_actor($1, $2) "
                "in each\n"
                "--     transaction) and, once that report stays empty, enforce it: re-enable "
                "with\n"
                "--     missing_actor => 'reject' (or generate this file again with --enforce);\n";
        out +=
            "--   * the server now writes the audit columns: values a writer sends for them are\n"
            "--     replaced (stamp_mode 'force'), and created_* never change after INSERT;\n";
    }
    if (converted > 0)
        out += "--   * timestamps a writer sends without a zone are now read in its session's "
               "TimeZone,\n"
               "--     which must therefore be " +
               sql::quote_literal(o.assume_timezone) + ";\n";
    out += "--   * nothing else: no column is dropped or renamed, no row is changed.\n"
           "-- Safe on a live database: each table is its own transaction with lock_timeout = " +
           timeout +
           ". A table\n-- another transaction is using fails after that long, alone, and is "
           "rolled back; the others go on.\n-- Every statement is idempotent: run the file "
           "again to finish (or rescan and generate it again).\n"
           "-- Review, then apply with: psql -f <this file>   (without ON_ERROR_STOP, so that a "
           "busy table\n-- does not stop the tables after it)\n";
    if (enabled > 0 && !o.extension_installed)
        out += "\nCREATE EXTENSION IF NOT EXISTS audit_fields;\n";
    else if (enabled > 0 && !o.extension_version.empty() &&
             version_older(o.extension_version, kFixNeedsExtensionVersion))
        out += std::string("\n-- audit_fields ") + o.extension_version +
               " is installed; enable(..., missing_actor) needs " + kFixNeedsExtensionVersion +
               "\nALTER EXTENSION audit_fields UPDATE;\n";
    return out + body;
}

} // namespace audit_fields::scan
