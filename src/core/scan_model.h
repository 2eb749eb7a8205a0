// The scanner's plain input and output. Both front ends (the CLI over libpq, scan() over SPI)
// describe the catalogs in these structs and hand them to the one rule engine (scan_rules.h), so
// a finding means the same thing wherever it is reported.
#pragma once
#include "no_postgres.h"

#include "column_types.h"
#include "table_options.h"

#include <string>
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

struct Table {
    std::string schema;
    std::string name;
    char relkind = 'r'; // 'r' table, 'p' partitioned table
    bool is_partition = false;
    std::string comment;
    std::string qualified; // schema.table quoted by the server; "" when not from a server
    std::vector<Column> columns;
    std::vector<Trigger> triggers;
};

enum class Severity : unsigned char { Warning, Error };
enum class TableStatus : unsigned char { Ok, Warning, Error, Ignored };
// What enforces the audit columns: no audit_fields trigger, a working one, one that is disabled,
// or one that is enabled but would not stamp every INSERT and UPDATE.
enum class TriggerState : unsigned char { Missing, Enabled, Disabled, Misconfigured };

struct Finding {
    std::string check_id; // AF001..AF008
    Severity severity = Severity::Warning;
    std::string schema;
    std::string table;
    std::string column; // the physical column concerned, when there is one
    std::string message;
    std::string remediation; // SQL, or a "-- " comment when no statement can fix it
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
    std::vector<Finding> findings;
    // Declared types of the table's existing columns, for --fix-sql's "match the convention".
    std::string timestamp_type;
    std::string actor_type;
    std::string actor_name_type;
    std::string misconfigured_trigger; // name of a stamp trigger --fix-sql must replace
};

struct ScanSummary {
    int tables = 0;
    int ok = 0;
    int warning = 0;
    int error = 0;
    int ignored = 0;
    int errors = 0;   // error findings
    int warnings = 0; // warning findings
};

struct ScanResult {
    std::vector<TableReport> tables; // sorted by schema, then table
    ScanSummary summary;
};

const char* to_string(Severity s);
const char* to_string(TableStatus s);
const char* to_string(TriggerState s);

} // namespace audit_fields::scan
