// The scanner's plain input and output. Both front ends (the CLI over libpq, scan() over SPI)
// describe the catalogs in these structs and hand them to the one rule engine (scan_rules.h), so
// a finding means the same thing wherever it is reported.
#pragma once
#include "no_postgres.h"

#include "column_types.h"
#include "scan_checks.h"
#include "table_options.h"

#include <string>
#include <utility>
#include <vector>

namespace audit_fields::scan {

struct Column {
    std::string name;
    ColumnTypeInfo type;       // base type, domains resolved (what the rules judge)
    std::string declared_type; // format_type(atttypid, atttypmod): copied by --fix-sql
    bool not_null = false;
    bool generated = false;  // GENERATED ALWAYS AS: the trigger cannot write it
    std::string quoted_name; // as the server's quote_ident() writes it; "" when not from a server
};

struct Trigger {
    std::string name;
    std::string function_schema;
    std::string function_name;
    std::vector<std::string> args;
    bool before = false;
    bool row = false;
    bool on_insert = false;
    bool on_update = false;
    bool on_delete = false;
    bool enabled = true;     // fires in ordinary sessions (tgenabled O or A)
    std::string quoted_name; // as the server's quote_ident() writes it; "" when not from a server
};

// A unique index or constraint other than the primary key (AF011).
struct UniqueIndex {
    std::string name;
    bool constraint = false;          // backs a UNIQUE constraint
    std::vector<std::string> columns; // key columns; empty when any key is an expression
    std::string predicate;            // pg_get_expr(indpred), "" when not partial
    std::string definition;           // pg_get_indexdef()
    std::string quoted_name;          // as the server quotes it; "" when not from a server
    std::string qualified;            // schema.index, quoted by the server
};

// A foreign key of this table (the child) to its parent (AF012).
struct ForeignKey {
    std::string name;
    std::string parent_schema;
    std::string parent_table;
    char on_delete = 'a';    // pg_constraint.confdeltype: a no action, r restrict, c cascade, n, d
    std::string definition;  // pg_get_constraintdef()
    std::string quoted_name; // as the server quotes them; "" when not from a server
    std::string parent_qualified; // parent schema.table
};

struct Table {
    std::string schema;
    std::string name;
    char relkind = 'r'; // 'r' table, 'p' partitioned table
    bool is_partition = false;
    std::string comment;
    std::string qualified; // schema.table quoted by the server; "" when not from a server
    std::vector<Column> columns;
    std::vector<Trigger> triggers;
    std::vector<UniqueIndex> unique_indexes;
    std::vector<ForeignKey> foreign_keys;
};

enum class TableStatus : unsigned char { Ok, Warning, Error, Ignored };
// What enforces the audit columns: no audit_fields trigger, a working one, one that is disabled,
// or one that is enabled but would not stamp every INSERT and UPDATE.
enum class TriggerState : unsigned char { Missing, Enabled, Disabled, Misconfigured };

struct Finding {
    std::string check_id; // AF001..AF013
    Severity severity = Severity::Warning;
    std::string schema;
    std::string table;
    std::string column;  // the physical column concerned, when there is one
    std::string subject; // what else tells two findings of one check apart (index, key, waiver)
    std::string message;
    std::string remediation; // SQL, or a "-- " comment when no statement can fix it
    std::string waiver;      // for a waived finding: the waiver's reason
};

// A waiver found in the table's comment and what became of it (ignore_marker.h).
struct WaiverState {
    std::string text;                // the marker's line
    std::vector<std::string> checks; // empty: the whole table
    std::string until;               // "YYYY-MM-DD" or ""
    std::string reason;
    bool honoured = false;
    std::string problem; // why not, when not honoured
};

// One table's verdict: what the report view, the formatters and --fix-sql read.
struct TableReport {
    std::string schema;
    std::string table;
    std::string qualified; // schema.table as SQL text (quoted by the server)
    char relkind = 'r';
    TableStatus status = TableStatus::Ok;
    TriggerState trigger = TriggerState::Missing;
    std::string ignore_reason;        // set when status is Ignored
    std::vector<std::string> present; // logical audit columns the table has
    std::vector<std::string> missing; // logical audit columns whose absence is a finding
    TableOptions options;             // the audit_fields trigger's configuration (or defaults)
    bool options_valid = true;        // false when the trigger's arguments do not parse
    std::vector<Finding> findings;    // the active ones: they decide status and exit code
    std::vector<Finding> waived;      // covered by an honoured per-check waiver
    std::vector<Finding> baselined;   // matched by --baseline: reported, never failing
    std::vector<WaiverState> waivers;
    // Columns the scan took for an audit column they look like (AF009): physical -> logical.
    std::vector<std::pair<std::string, std::string>> suspects;
    bool soft_delete = false; // has a deleted_at column (under its mapped name)
    // Declared types of the table's existing columns, for --fix-sql's "match the convention".
    std::string timestamp_type;
    std::string actor_type;
    std::string actor_name_type;
    std::string misconfigured_trigger;     // name of a stamp trigger --fix-sql must replace
    std::string misconfigured_trigger_sql; // the same, quoted as SQL (by the server)
};

// One finding recorded by --write-baseline (scan_baseline.h).
struct BaselineEntry {
    std::string fingerprint;
    std::string schema;
    std::string table;
    std::string check_id;
    std::string column;
};

struct ScanSummary {
    int tables = 0;
    int ok = 0;
    int warning = 0;
    int error = 0;
    int ignored = 0;
    int errors = 0;    // error findings
    int warnings = 0;  // warning findings
    int waived = 0;    // findings covered by per-check waivers
    int baselined = 0; // findings matched by the baseline
};

struct ScanResult {
    std::vector<TableReport> tables; // sorted by schema, then table
    ScanSummary summary;
    // Baseline entries that matched nothing any more.
    std::vector<BaselineEntry> stale_baseline;
};

const char* to_string(Severity s);
const char* to_string(TableStatus s);
const char* to_string(TriggerState s);

} // namespace audit_fields::scan
