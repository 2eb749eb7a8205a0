#include "scan_rules.h"

#include "glob.h"
#include "ignore_marker.h"
#include "renamed_columns.h"
#include "sql_text.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>

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
    const CheckInfo* info = find_check(id);
    return info ? info->severity : Severity::Warning;
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

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Where a logical column's physical name came from, when it is not the trigger's own.
enum class NameSource : unsigned char { Trigger, Alias, Suspect };

class TableChecker {
  public:
    TableChecker(const Table& table, const Config& config) : table_(table), config_(config) {
        report_.schema = table.schema;
        report_.table = table.name;
        report_.qualified =
            table.qualified.empty() ? sql::qualified(table.schema, table.name) : table.qualified;
        report_.relkind = table.relkind;
    }

    // Every per-table check; waivers, severities and status come later (finalize()).
    TableReport run() {
        judge_trigger();
        find_columns();
        pick_conventions();
        list_present_and_missing();
        report_.soft_delete = has(AuditColumn::DeletedAt);
        check_af001();
        check_af002();
        check_af003();
        check_af004_af005();
        check_af006();
        check_af007();
        check_af008();
        check_af009();
        check_af011();
        check_af012_child();
        return std::move(report_);
    }

  private:
    const Table& table_;
    const Config& config_;
    TableReport report_;
    std::array<NameSource, kAuditColumnCount> sources_{};
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

    void add(const char* id, std::string column, std::string message, std::string remediation,
             std::string subject = "") {
        Finding f;
        f.subject = std::move(subject);
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
        if (report_.trigger != TriggerState::Enabled) {
            report_.misconfigured_trigger = stamp_->name;
            report_.misconfigured_trigger_sql = trigger_ident();
        }
    }

    const Column* find(std::string_view name, bool any_case) const {
        for (const Column& col : table_.columns)
            if (col.name == name || (any_case && lower(col.name) == name))
                return &col;
        return nullptr;
    }

    bool taken(const Column* col) const {
        return std::find(columns_.begin(), columns_.end(), col) != columns_.end();
    }

    void use(AuditColumn c, const Column* col, NameSource source) {
        columns_[index_of(c)] = col;
        sources_[index_of(c)] = source;
        report_.options.column_names[index_of(c)] = col->name;
        if (source == NameSource::Suspect)
            report_.suspects.emplace_back(col->name, std::string(default_name(c)));
    }

    // The trigger's names first; for a logical column the table lacks under that name and the
    // trigger does not map explicitly: a configured alias, then a suspected renamed column
    // (AF009) of a type the column could have.
    void find_columns() {
        for (AuditColumn c : kAllAuditColumns)
            if (const Column* col = find(physical(c), false))
                columns_[index_of(c)] = col;
        for (AuditColumn c : kAllAuditColumns) {
            if (has(c) || report_.options.mapped[index_of(c)])
                continue;
            const auto alias = config_.aliases.find(std::string(default_name(c)));
            if (alias != config_.aliases.end()) {
                for (const std::string& name : alias->second) {
                    const Column* col = find(name, false);
                    if (col != nullptr && !taken(col)) {
                        use(c, col, NameSource::Alias);
                        break;
                    }
                }
            }
            if (has(c))
                continue;
            for (std::string_view name : renamed_candidates(c)) {
                const Column* col = find(name, true);
                if (col != nullptr && !taken(col) && !col->generated &&
                    check_column_type(c, col->type).usable) {
                    use(c, col, NameSource::Suspect);
                    break;
                }
            }
        }
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
        check_af007_unmapped();
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

    // A column found through an alias or as a suspect on a table whose trigger exists: the
    // trigger writes only the names in its own arguments, so this one is not stamped.
    void check_af007_unmapped() {
        if (stamp_ == nullptr || !report_.options_valid)
            return;
        for (AuditColumn c : kAllAuditColumns) {
            if (!has(c) || sources_[index_of(c)] == NameSource::Trigger)
                continue;
            add("AF007", physical(c),
                "audit_fields trigger " + sql::quote_ident(stamp_->name) + " does not write " +
                    describe(c) + ": the table was enabled without column_map for it",
                enable_sql());
        }
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

    // AF009: columns taken for audit columns they look like. The scan already judges the table
    // by them (a blind --fix-sql maps them with column_map instead of adding a duplicate); the
    // finding asks a person to confirm.
    void check_af009() {
        for (AuditColumn c : kAllAuditColumns) {
            if (sources_[index_of(c)] != NameSource::Suspect)
                continue;
            const std::string& name = physical(c);
            const std::string logical(default_name(c));
            add("AF009", name,
                "column " + column_ident(*column(c)) + " looks like a renamed " + logical +
                    ": the scan treats it as " + logical +
                    "; confirm with an alias in the configuration or column_map",
                "-- AF009: confirm in .audit-fields.toml: [aliases] " + logical + " = [\"" + name +
                    "\"]\n-- or map it when enabling:\n" + enable_sql());
        }
    }

    // AF011: on a soft-delete table a unique index that also covers deleted rows makes
    // re-creating a deleted row fail. An index that mentions deleted_at (key or predicate
    // "deleted_at IS NULL") was written with soft deletes in mind.
    void check_af011() {
        if (!report_.soft_delete)
            return;
        const std::string deleted = physical(AuditColumn::DeletedAt);
        const std::string live = column_ident(*column(AuditColumn::DeletedAt)) + " IS NULL";
        for (const UniqueIndex& idx : table_.unique_indexes) {
            if (std::find(idx.columns.begin(), idx.columns.end(), deleted) != idx.columns.end())
                continue;
            if (idx.predicate.find(live) != std::string::npos)
                continue;
            std::string keys;
            for (std::size_t i = 0; i < idx.columns.size(); ++i)
                keys += (i == 0 ? "" : ", ") + idx.columns[i];
            add("AF011", "",
                std::string(idx.constraint ? "unique constraint " : "unique index ") +
                    sql::ident(idx.name, idx.quoted_name) +
                    (keys.empty() ? "" : " (" + keys + ")") +
                    " also covers soft-deleted rows: re-creating a deleted row fails",
                af011_advice(idx, live), idx.name);
        }
    }

    // Where "<table> USING ..." starts in pg_get_indexdef()'s "CREATE UNIQUE INDEX <name> ON ...",
    // the name being quoted (or not) by the server; npos when the text has another shape.
    static std::size_t after_index_name(const std::string& def) {
        const std::string create = "CREATE UNIQUE INDEX ";
        if (def.rfind(create, 0) != 0)
            return std::string::npos;
        std::size_t at = create.size();
        if (at < def.size() && def[at] == '"') {
            for (++at; at < def.size(); ++at)
                if (def[at] == '"' && (at + 1 >= def.size() || def[at + 1] != '"'))
                    break;
                else if (def[at] == '"')
                    ++at; // a doubled quote inside the name
            ++at;
        } else {
            at = def.find(' ', at);
        }
        if (at == std::string::npos || def.compare(at, 4, " ON ") != 0)
            return std::string::npos;
        return at + 4;
    }

    std::string af011_advice(const UniqueIndex& idx, const std::string& live) const {
        const std::string& table = report_.qualified;
        std::string out = "-- AF011: not changed automatically (uniqueness changes meaning): "
                          "build a partial index for live rows, then drop the old one:\n";
        const std::size_t on = after_index_name(idx.definition);
        if (on != std::string::npos) {
            std::string rest = idx.definition.substr(on);
            const std::size_t where = rest.find(" WHERE ");
            if (where != std::string::npos)
                rest = rest.substr(0, where);
            const std::string predicate =
                idx.predicate.empty() ? live : "(" + idx.predicate + ") AND " + live;
            out += "-- CREATE UNIQUE INDEX CONCURRENTLY " + sql::quote_ident(idx.name + "_live") +
                   " ON " + rest + " WHERE " + predicate + ";\n";
        } else {
            out += "-- CREATE UNIQUE INDEX CONCURRENTLY ... ON " + table + " (...) WHERE " + live +
                   ";\n";
        }
        out += idx.constraint ? "-- ALTER TABLE " + table + " DROP CONSTRAINT " +
                                    sql::ident(idx.name, idx.quoted_name) + ";"
                              : "-- DROP INDEX CONCURRENTLY " +
                                    (idx.qualified.empty() ? sql::qualified(table_.schema, idx.name)
                                                           : idx.qualified) +
                                    ";";
        return out;
    }

    // AF012, the child's side: a soft-delete table under an ON DELETE CASCADE key. Deleting the
    // parent either fails (soft_delete => true refuses the cascaded delete) or hard-deletes the
    // child's history. Self-references are one table's own affair.
    void check_af012_child() {
        if (!report_.soft_delete)
            return;
        for (const ForeignKey& fk : table_.foreign_keys) {
            if (fk.on_delete != 'c' ||
                (fk.parent_schema == table_.schema && fk.parent_table == table_.name))
                continue;
            const std::string parent = fk.parent_qualified.empty()
                                           ? sql::qualified(fk.parent_schema, fk.parent_table)
                                           : fk.parent_qualified;
            std::string advice = "-- AF012: not changed automatically: soft-delete " + parent +
                                 " too, or stop cascading:\n-- ALTER TABLE " + report_.qualified +
                                 " DROP CONSTRAINT " + sql::ident(fk.name, fk.quoted_name);
            const std::string cascade = "ON DELETE CASCADE";
            std::string def = fk.definition;
            const std::size_t at = def.find(cascade);
            if (at != std::string::npos) {
                def.replace(at, cascade.size(), "ON DELETE RESTRICT");
                advice += ", ADD CONSTRAINT " + sql::ident(fk.name, fk.quoted_name) + " " + def +
                          " NOT VALID;";
            } else {
                advice += ";";
            }
            add("AF012", "",
                "soft-delete table is the child of foreign key " +
                    sql::ident(fk.name, fk.quoted_name) + " ON DELETE CASCADE from " + parent +
                    ": deleting a parent row fails or erases this table's soft-deleted history",
                advice, fk.name);
        }
    }
};

// `missing` lists the columns whose absence is a finding: once AF001, AF002 or AF003 is waived
// or off, its columns are no longer missing (and --fix-sql does not add them).
void drop_waived_missing(TableReport& r) {
    auto active = [&r](const char* id) {
        return std::any_of(r.findings.begin(), r.findings.end(),
                           [id](const Finding& f) { return f.check_id == id; });
    };
    const bool timestamps = active("AF001"), actors = active("AF002"), deletes = active("AF003");
    std::vector<std::string> kept;
    for (const std::string& name : r.missing) {
        const auto c = audit_column_from_name(name);
        const bool is_delete = c == AuditColumn::DeletedAt || c == AuditColumn::DeletedBy ||
                               c == AuditColumn::DeletedByName;
        const bool keep = is_delete                                   ? deletes
                          : c && kind_of(*c) == ColumnKind::Timestamp ? timestamps
                                                                      : actors;
        if (keep)
            kept.push_back(name);
    }
    r.missing = std::move(kept);
}

// Waivers, the configured severities and the status: what turns raw findings into a verdict.
void finalize(TableReport& r, const std::string& comment, const ScanOptions& options,
              const CivilDate& today) {
    const std::vector<Waiver> waivers = parse_waivers(comment);
    for (const Waiver& w : waivers) {
        const WaiverProblem problem = waiver_problem(w, today);
        WaiverState state;
        state.text = w.text;
        state.checks = w.checks;
        state.checks.insert(state.checks.end(), w.unknown_checks.begin(), w.unknown_checks.end());
        state.until = w.until ? w.until->iso() : w.bad_date;
        state.reason = w.reason;
        state.honoured = problem == WaiverProblem::None;
        if (!state.honoured)
            state.problem = describe(w, problem);
        r.waivers.push_back(std::move(state));
        if (problem == WaiverProblem::None && w.whole_table() && r.status != TableStatus::Ignored) {
            r.status = TableStatus::Ignored;
            r.ignore_reason = w.reason;
        }
    }
    if (r.status == TableStatus::Ignored) {
        r.findings.clear();
        return;
    }
    for (const WaiverState& w : r.waivers) {
        if (w.honoured)
            continue;
        Finding f;
        f.check_id = "AF010";
        f.subject = w.text;
        f.schema = r.schema;
        f.table = r.table;
        f.message = "waiver \"" + w.text + "\" " + w.problem + ": it waives nothing";
        f.remediation =
            "-- AF010: give the waiver known check ids, a reason and a future end "
            "date, e.g.\n-- COMMENT ON TABLE " +
            r.qualified + " IS '@audit_fields:ignore AF001 until " +
            CivilDate{today.year + 1, today.month, today.month == 2 ? 28 : today.day}.iso() +
            ": why this table is exempt';";
        r.findings.push_back(std::move(f));
    }
    std::vector<Finding> active;
    for (Finding& f : r.findings) {
        const std::optional<Severity> severity = options.config.severity(f.check_id);
        if (!severity)
            continue;
        f.severity = *severity;
        const Waiver* covering = nullptr;
        for (const Waiver& w : waivers)
            if (!w.whole_table() && waiver_problem(w, today) == WaiverProblem::None &&
                waiver_covers(w, f.check_id)) {
                covering = &w;
                break;
            }
        if (covering != nullptr) {
            f.waiver = covering->reason;
            r.waived.push_back(std::move(f));
        } else {
            active.push_back(std::move(f));
        }
    }
    r.findings = std::move(active);
    drop_waived_missing(r);
    update_status(r);
}

bool excluded(const Table& t, const ScanOptions& options) {
    for (const auto* patterns : {&options.exclude, &options.config.exclude})
        for (const std::string& p : *patterns)
            if (exclude_matches(p, t.schema, t.name))
                return true;
    return false;
}

std::string qualified_name(const TableReport& r) {
    return r.qualified;
}

// AF012, the parent's side: a soft-delete parent whose children are not soft-delete. A
// soft-deleted parent row stays, so nothing cascades and the children keep pointing at it as if
// it were live. One finding per parent, naming the children.
void check_af012_parents(const std::vector<const Table*>& tables,
                         std::vector<TableReport>& reports) {
    std::map<std::pair<std::string, std::string>, std::size_t> by_name;
    for (std::size_t i = 0; i < reports.size(); ++i)
        by_name.emplace(std::make_pair(reports[i].schema, reports[i].table), i);
    std::map<std::size_t, std::vector<std::string>> children;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (reports[i].soft_delete)
            continue;
        for (const ForeignKey& fk : tables[i]->foreign_keys) {
            const auto it = by_name.find({fk.parent_schema, fk.parent_table});
            if (it == by_name.end() || it->second == i || !reports[it->second].soft_delete)
                continue;
            auto& list = children[it->second];
            const std::string child = qualified_name(reports[i]) + " (" + fk.name + ")";
            if (std::find(list.begin(), list.end(), child) == list.end())
                list.push_back(child);
        }
    }
    for (const auto& [parent, list] : children) {
        TableReport& r = reports[parent];
        std::string names;
        for (std::size_t i = 0; i < list.size(); ++i)
            names += (i == 0 ? "" : ", ") + list[i];
        Finding f;
        f.check_id = "AF012";
        f.subject = "children";
        f.severity = severity_of("AF012");
        f.schema = r.schema;
        f.table = r.table;
        f.message = "soft-delete table is referenced by tables that are not soft-delete: " + names +
                    ": their rows keep pointing at soft-deleted rows as if they were live";
        f.remediation = "-- AF012: not changed automatically: give the children deleted_at, "
                        "deleted_by and deleted_by_name (and soft-delete them with the parent), "
                        "or hard-delete in this table";
        r.findings.push_back(std::move(f));
    }
}

// How an actor value must look to fit a column: one family per kind of value.
std::string actor_family(const ColumnTypeInfo& type) {
    if (type.category == 'S')
        return "text";
    if (type.category == 'N')
        return "number";
    return type.base_type;
}

// AF013: every enabled table receives the same audit_fields.actor. Actor columns of different
// families (integer ids here, emails in text there, uuids elsewhere) cannot all get a value of
// the kind they mean to hold. The columns outside the most common family are reported.
void check_af013(const std::vector<const Table*>& tables, std::vector<TableReport>& reports) {
    struct ActorColumn {
        std::size_t report;
        const Column* column;
        std::string family;
    };
    std::vector<ActorColumn> actors;
    std::map<std::string, int> count;
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (reports[i].trigger != TriggerState::Enabled)
            continue;
        for (AuditColumn c :
             {AuditColumn::CreatedBy, AuditColumn::UpdatedBy, AuditColumn::DeletedBy}) {
            const std::string& name = reports[i].options.column_name(c);
            for (const Column& col : tables[i]->columns) {
                if (col.name != name || col.generated || !check_column_type(c, col.type).usable)
                    continue;
                actors.push_back({i, &col, actor_family(col.type)});
                ++count[actors.back().family];
            }
        }
    }
    if (count.size() < 2)
        return;
    std::string majority;
    int best = 0;
    for (const auto& [family, n] : count)
        if (n > best) {
            best = n;
            majority = family;
        }
    std::string example;
    for (const ActorColumn& a : actors)
        if (a.family == majority) {
            example = qualified_name(reports[a.report]) + "." +
                      sql::ident(a.column->name, a.column->quoted_name);
            break;
        }
    for (const ActorColumn& a : actors) {
        if (a.family == majority)
            continue;
        TableReport& r = reports[a.report];
        const std::string col = sql::ident(a.column->name, a.column->quoted_name);
        Finding f;
        f.check_id = "AF013";
        f.severity = severity_of("AF013");
        f.schema = r.schema;
        f.table = r.table;
        f.column = a.column->name;
        f.message = "actor column " + col + " is " + a.column->type.base_type + ", but " +
                    std::to_string(best) + " actor column" + (best == 1 ? "" : "s") +
                    " of enabled tables hold " + majority + " (e.g. " + example +
                    "): one audit_fields.actor cannot suit both";
        f.remediation = "-- AF013: not changed automatically (the conversion rewrites the table): "
                        "give every actor column one kind of value, e.g.\n-- ALTER TABLE " +
                        qualified_name(r) + " ALTER COLUMN " + col + " TYPE " +
                        a.column->type.base_type + " ...;  -- or " +
                        (majority == "number" ? std::string("bigint") : majority) + " USING " +
                        col + "::" + (majority == "number" ? std::string("bigint") : majority);
        r.findings.push_back(std::move(f));
    }
}

} // namespace

void update_status(TableReport& r) {
    if (r.status == TableStatus::Ignored)
        return;
    r.status = TableStatus::Ok;
    for (const Finding& f : r.findings) {
        if (f.severity == Severity::Error)
            r.status = TableStatus::Error;
        else if (r.status == TableStatus::Ok)
            r.status = TableStatus::Warning;
    }
}

TableReport check_table(const Table& table, const ScanOptions& options) {
    TableReport r = TableChecker(table, options.config).run();
    finalize(r, table.comment, options, options.today ? *options.today : today_utc());
    return r;
}

ScanSummary summarize(const std::vector<TableReport>& tables) {
    ScanSummary s;
    for (const TableReport& r : tables) {
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
        s.waived += static_cast<int>(r.waived.size());
        s.baselined += static_cast<int>(r.baselined.size());
    }
    return s;
}

ScanResult run_scan(const std::vector<Table>& tables, const ScanOptions& options) {
    std::vector<const Table*> in_scope;
    for (const Table& t : tables)
        if (table_in_scope(t.schema, t.relkind, t.is_partition) && !excluded(t, options))
            in_scope.push_back(&t);
    std::sort(in_scope.begin(), in_scope.end(), [](const Table* a, const Table* b) {
        return a->schema != b->schema ? a->schema < b->schema : a->name < b->name;
    });
    ScanResult result;
    result.tables.reserve(in_scope.size());
    for (const Table* t : in_scope)
        result.tables.push_back(TableChecker(*t, options.config).run());
    check_af012_parents(in_scope, result.tables);
    check_af013(in_scope, result.tables);
    const CivilDate today = options.today ? *options.today : today_utc();
    for (std::size_t i = 0; i < in_scope.size(); ++i)
        finalize(result.tables[i], in_scope[i]->comment, options, today);
    result.summary = summarize(result.tables);
    return result;
}

} // namespace audit_fields::scan
