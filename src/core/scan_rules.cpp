#include "scan_rules.h"

#include "glob.h"
#include "ignore_marker.h"
#include "sql_text.h"

#include <algorithm>
#include <cstring>

namespace audit_fields::scan {

const char* to_string(Severity s) {
    return s == Severity::Error ? "error" : "warning";
}

const char* to_string(TableStatus s) {
    switch (s) {
    case TableStatus::Ok:
        return "ok";
    case TableStatus::Warning:
        return "warning";
    case TableStatus::Error:
        return "error";
    case TableStatus::Ignored:
        return "ignored";
    }
    return "ok";
}

const char* to_string(TriggerState s) {
    switch (s) {
    case TriggerState::Missing:
        return "missing";
    case TriggerState::Enabled:
        return "enabled";
    case TriggerState::Disabled:
        return "disabled";
    case TriggerState::Misconfigured:
        return "misconfigured";
    }
    return "missing";
}

Severity severity_of(std::string_view id) {
    if (id == "AF001" || id == "AF004" || id == "AF006" || id == "AF007")
        return Severity::Error;
    return Severity::Warning;
}

bool is_system_schema(std::string_view schema) {
    return schema.substr(0, 3) == "pg_" || schema == "information_schema" ||
           schema == "audit_fields";
}

bool is_stamp_trigger(const Trigger& t) {
    return t.function_schema == "audit_fields" && t.function_name == "stamp";
}

namespace {

constexpr const char* kDefaultTimestampType = "timestamp with time zone";
constexpr const char* kDefaultActorType = "text";

bool stamps_every_row(const Trigger& t) {
    return t.before && t.row && t.on_insert && t.on_update;
}

// What is wrong with a stamp trigger that exists but does not enforce, in words.
std::string trigger_problems(const Trigger& t) {
    std::vector<std::string> problems;
    if (!t.enabled)
        problems.push_back("is disabled");
    if (!t.before)
        problems.push_back("does not fire BEFORE the row is written");
    if (!t.row)
        problems.push_back("fires FOR EACH STATEMENT instead of FOR EACH ROW");
    if (!t.on_insert)
        problems.push_back("does not fire on INSERT");
    if (!t.on_update)
        problems.push_back("does not fire on UPDATE");
    std::string out;
    for (std::size_t i = 0; i < problems.size(); ++i)
        out += (i == 0 ? "" : i + 1 == problems.size() ? " and " : ", ") + problems[i];
    return out;
}

// The type to give a new column so it matches the table's existing audit columns of the same
// kind. A domain is not copied (it may carry a NOT NULL or CHECK a new column on existing rows
// would violate); its base type is, with the type modifier where the declared type has one.
std::string convention_type(const Column& c) {
    std::string declared = c.declared_type;
    std::string without_typmod;
    int depth = 0;
    for (const char ch : declared) {
        if (ch == '(')
            ++depth;
        else if (ch == ')')
            --depth;
        else if (depth == 0)
            without_typmod += ch;
    }
    if (without_typmod == c.type.base_type)
        return declared;
    return c.type.base_type;
}

class TableChecker {
  public:
    explicit TableChecker(const Table& table) : table_(table) {
        report_.schema = table.schema;
        report_.table = table.name;
        report_.qualified =
            table.qualified.empty() ? sql::qualified(table.schema, table.name) : table.qualified;
        report_.relkind = table.relkind;
    }

    TableReport run() {
        judge_trigger();
        find_columns();
        pick_conventions();
        list_present_and_missing();
        if (auto reason = ignore_reason(table_.comment)) {
            report_.status = TableStatus::Ignored;
            report_.ignore_reason = *reason;
            return std::move(report_);
        }
        check_af001();
        check_af002();
        check_af003();
        check_af004_af005();
        check_af006();
        check_af007();
        check_af008();
        report_.status = TableStatus::Ok;
        for (const Finding& f : report_.findings) {
            if (f.severity == Severity::Error)
                report_.status = TableStatus::Error;
            else if (report_.status == TableStatus::Ok)
                report_.status = TableStatus::Warning;
        }
        return std::move(report_);
    }

  private:
    const Table& table_;
    TableReport report_;
    const Trigger* stamp_ = nullptr; // the enforcing trigger, or the one judged as broken
    std::string options_error_;
    std::array<const Column*, kAuditColumnCount> columns_{};

    const Column* column(AuditColumn c) const { return columns_[index_of(c)]; }
    bool has(AuditColumn c) const { return column(c) != nullptr; }
    const std::string& physical(AuditColumn c) const { return report_.options.column_name(c); }
    std::string trigger_ident() const { return sql::ident(stamp_->name, stamp_->quoted_name); }
    static std::string column_ident(const Column& c) { return sql::ident(c.name, c.quoted_name); }

    // "updated_at", or "\"modified\" (updated_at)" when column_map renamed it.
    std::string describe(AuditColumn c) const {
        if (physical(c) == default_name(c))
            return std::string(default_name(c));
        return "\"" + physical(c) + "\" (" + std::string(default_name(c)) + ")";
    }

    std::string list(const std::vector<AuditColumn>& cols) const {
        std::string out;
        for (std::size_t i = 0; i < cols.size(); ++i)
            out += (i == 0 ? "" : ", ") + describe(cols[i]);
        return out;
    }

    void add(const char* id, std::string column, std::string message, std::string remediation) {
        Finding f;
        f.check_id = id;
        f.severity = severity_of(id);
        f.schema = table_.schema;
        f.table = table_.name;
        f.column = std::move(column);
        f.message = std::move(message);
        f.remediation = std::move(remediation);
        report_.findings.push_back(std::move(f));
    }

    // An enabled, well-formed stamp trigger wins; otherwise the first stamp trigger is the one
    // reported (and its arguments still tell which column names the table was meant to use).
    void judge_trigger() {
        for (const Trigger& t : table_.triggers) {
            if (!is_stamp_trigger(t))
                continue;
            if (t.enabled && stamps_every_row(t)) {
                stamp_ = &t;
                break;
            }
            if (stamp_ == nullptr)
                stamp_ = &t;
        }
        if (stamp_ == nullptr) {
            report_.trigger = TriggerState::Missing;
            return;
        }
        try {
            report_.options = parse_table_options(stamp_->args);
        } catch (const OptionError& e) {
            report_.options_valid = false;
            options_error_ = e.what();
        }
        if (!report_.options_valid || !stamps_every_row(*stamp_))
            report_.trigger = TriggerState::Misconfigured;
        else if (!stamp_->enabled)
            report_.trigger = TriggerState::Disabled;
        else
            report_.trigger = TriggerState::Enabled;
        if (report_.trigger != TriggerState::Enabled)
            report_.misconfigured_trigger = stamp_->name;
    }

    void find_columns() {
        for (AuditColumn c : kAllAuditColumns)
            for (const Column& col : table_.columns)
                if (col.name == physical(c))
                    columns_[index_of(c)] = &col;
    }

    void pick_conventions() {
        report_.timestamp_type = kDefaultTimestampType;
        report_.actor_type = kDefaultActorType;
        report_.actor_name_type = kDefaultActorType;
        bool ts = false, actor = false, name = false;
        for (AuditColumn c : kAllAuditColumns) {
            const Column* col = column(c);
            if (col == nullptr || col->generated || !check_column_type(c, col->type).usable)
                continue;
            switch (kind_of(c)) {
            case ColumnKind::Timestamp:
                if (!ts)
                    report_.timestamp_type = convention_type(*col);
                ts = true;
                break;
            case ColumnKind::Actor:
                if (!actor)
                    report_.actor_type = convention_type(*col);
                actor = true;
                break;
            case ColumnKind::ActorName:
                if (!name)
                    report_.actor_name_type = convention_type(*col);
                name = true;
                break;
            }
        }
    }

    std::vector<AuditColumn> missing_timestamps() const {
        std::vector<AuditColumn> out;
        for (AuditColumn c : {AuditColumn::CreatedAt, AuditColumn::UpdatedAt})
            if (!has(c))
                out.push_back(c);
        return out;
    }

    std::vector<AuditColumn> missing_actors() const {
        std::vector<AuditColumn> out;
        for (AuditColumn c : {AuditColumn::CreatedBy, AuditColumn::CreatedByName,
                              AuditColumn::UpdatedBy, AuditColumn::UpdatedByName})
            if (!has(c))
                out.push_back(c);
        return out;
    }

    // AF003 goes both ways: a soft-delete timestamp without who deleted, or the reverse.
    std::vector<AuditColumn> missing_delete_columns() const {
        std::vector<AuditColumn> out;
        if (has(AuditColumn::DeletedAt)) {
            for (AuditColumn c : {AuditColumn::DeletedBy, AuditColumn::DeletedByName})
                if (!has(c))
                    out.push_back(c);
        } else if (has(AuditColumn::DeletedBy) || has(AuditColumn::DeletedByName)) {
            out.push_back(AuditColumn::DeletedAt);
        }
        return out;
    }

    void list_present_and_missing() {
        for (AuditColumn c : kAllAuditColumns)
            if (has(c))
                report_.present.emplace_back(default_name(c));
        for (const auto& group : {missing_timestamps(), missing_actors(), missing_delete_columns()})
            for (AuditColumn c : group)
                report_.missing.emplace_back(default_name(c));
    }

    std::string type_for(AuditColumn c) const {
        switch (kind_of(c)) {
        case ColumnKind::Timestamp:
            return report_.timestamp_type;
        case ColumnKind::Actor:
            return report_.actor_type;
        case ColumnKind::ActorName:
            return report_.actor_name_type;
        }
        return kDefaultActorType;
    }

    std::string add_columns_sql(const std::vector<AuditColumn>& cols) const {
        std::vector<std::pair<std::string, std::string>> name_type;
        for (AuditColumn c : cols)
            name_type.emplace_back(physical(c), type_for(c));
        return sql::add_columns(report_.qualified, name_type);
    }

    std::string enable_sql() const {
        std::string out;
        if (stamp_ != nullptr && report_.trigger != TriggerState::Enabled &&
            stamp_->name != "zz_audit_fields")
            out = sql::drop_trigger(report_.qualified, trigger_ident()) + "\n";
        return out + sql::enable_call(report_.qualified, report_.options);
    }

    void check_af001() {
        const auto missing = missing_timestamps();
        if (missing.empty())
            return;
        add("AF001", "",
            missing.size() == 2
                ? "table has neither " + describe(missing[0]) + " nor " + describe(missing[1]) +
                      ": nothing records when rows are created or changed"
                : "table has no " + describe(missing[0]) + " column",
            add_columns_sql(missing));
    }

    void check_af002() {
        const auto missing = missing_actors();
        if (missing.empty())
            return;
        add("AF002", "",
            "table lacks actor columns " + list(missing) + ": rows do not record who wrote them",
            add_columns_sql(missing));
    }

    void check_af003() {
        const auto missing = missing_delete_columns();
        if (missing.empty())
            return;
        if (has(AuditColumn::DeletedAt))
            add("AF003", physical(AuditColumn::DeletedAt),
                describe(AuditColumn::DeletedAt) + " without " + list(missing) +
                    ": soft deletes do not record who deleted the row",
                add_columns_sql(missing));
        else
            add("AF003", "",
                "deleted_by columns without " + describe(AuditColumn::DeletedAt) +
                    ": nothing records when a row was deleted",
                add_columns_sql(missing));
    }

    void check_af004_af005() {
        for (AuditColumn c : kAllAuditColumns) {
            const Column* col = column(c);
            if (col == nullptr)
                continue;
            if (col->generated) {
                add("AF004", col->name,
                    "column " + describe(c) + " is a generated column; the trigger cannot write it",
                    "-- AF004: cannot be fixed automatically: drop the generation expression or "
                    "map " +
                        std::string(default_name(c)) + " to another column with column_map");
                continue;
            }
            const TypeVerdict verdict = check_column_type(c, col->type);
            if (!verdict.usable) {
                add("AF004", col->name, "column " + describe(c) + " " + verdict.reason,
                    "-- AF004: cannot be fixed automatically (existing values need a "
                    "conversion you choose), e.g.\n-- ALTER TABLE " +
                        report_.qualified + " ALTER COLUMN " + column_ident(*col) + " TYPE " +
                        type_for(c) + " USING ...;");
                continue;
            }
            if (kind_of(c) == ColumnKind::Timestamp && is_timestamp_without_time_zone(col->type))
                add("AF005", col->name,
                    "column " + describe(c) +
                        " is timestamp without time zone: its values depend on the writer's "
                        "TimeZone setting",
                    "-- AF005: decide which zone the stored values are in. If UTC, this changes "
                    "only the catalog (no table rewrite):\n-- SET LOCAL TimeZone = 'UTC'; " +
                        sql::to_timestamptz(report_.qualified, column_ident(*col)) +
                        "\n-- (another zone: USING ... AT TIME ZONE 'zone', which rewrites the "
                        "table; audit-fields-scan --fix-sql --assume-timezone)");
        }
    }

    void check_af006() {
        if (report_.trigger != TriggerState::Missing)
            return;
        std::vector<AuditColumn> present;
        for (AuditColumn c : kAllAuditColumns)
            if (has(c))
                present.push_back(c);
        if (present.empty())
            return;
        add("AF006", "",
            (present.size() == 1 ? "audit column " + list(present) + " is"
                                 : "audit columns " + list(present) + " are") +
                " not enforced: no audit_fields trigger on the table, so every code path must "
                "fill " +
                (present.size() == 1 ? "it" : "them") + " by hand",
            enable_sql());
    }

    void check_af007() {
        if (report_.trigger != TriggerState::Disabled &&
            report_.trigger != TriggerState::Misconfigured)
            return;
        if (!report_.options_valid) {
            add("AF007", "",
                "audit_fields trigger " + trigger_ident() +
                    " has arguments the trigger rejects: " + options_error_,
                "-- AF007: cannot be fixed automatically: re-run audit_fields.enable() on " +
                    report_.qualified + " with the intended options");
            return;
        }
        add("AF007", "",
            "audit_fields trigger " + trigger_ident() + " " + trigger_problems(*stamp_) +
                ": the audit columns are not enforced",
            enable_sql());
    }

    // AF008: created_at or updated_at accepts NULL and no working audit_fields trigger fills
    // it, so a code path that forgets the column stores NULL. deleted_at is exempt: NULL is
    // its meaning ("not deleted"). With an enabled trigger the column is always written on
    // INSERT and UPDATE, so nullability no longer matters.
    void check_af008() {
        if (report_.trigger == TriggerState::Enabled)
            return;
        for (AuditColumn c : {AuditColumn::CreatedAt, AuditColumn::UpdatedAt}) {
            const Column* col = column(c);
            if (col == nullptr || col->not_null || col->generated ||
                !check_column_type(c, col->type).usable)
                continue;
            add("AF008", col->name,
                "column " + describe(c) +
                    " is nullable and not enforced: a writer that forgets it stores NULL",
                report_.options_valid ? enable_sql()
                                      : "-- AF008: fix the trigger first (see AF007)");
        }
    }
};

} // namespace

TableReport check_table(const Table& table) {
    return TableChecker(table).run();
}

ScanResult run_scan(const std::vector<Table>& tables, const ScanOptions& options) {
    ScanResult result;
    for (const Table& t : tables) {
        if (t.is_partition || is_system_schema(t.schema))
            continue;
        const bool excluded =
            std::any_of(options.exclude.begin(), options.exclude.end(), [&t](const std::string& p) {
                return exclude_matches(p, t.schema, t.name);
            });
        if (excluded)
            continue;
        result.tables.push_back(check_table(t));
    }
    std::sort(result.tables.begin(), result.tables.end(),
              [](const TableReport& a, const TableReport& b) {
                  return a.schema != b.schema ? a.schema < b.schema : a.table < b.table;
              });
    ScanSummary& s = result.summary;
    for (const TableReport& r : result.tables) {
        ++s.tables;
        switch (r.status) {
        case TableStatus::Ok:
            ++s.ok;
            break;
        case TableStatus::Warning:
            ++s.warning;
            break;
        case TableStatus::Error:
            ++s.error;
            break;
        case TableStatus::Ignored:
            ++s.ignored;
            break;
        }
        for (const Finding& f : r.findings)
            ++(f.severity == Severity::Error ? s.errors : s.warnings);
    }
    return result;
}

} // namespace audit_fields::scan
