// Planner stamping's side of the decision table: what a whole INSERT or UPDATE statement must write
// into each audit column so that the row trigger, run on any row the statement can produce, would
// change nothing. There is no second decision table here: every answer comes from decide(), asked
// about every row the statement's shape allows.
#pragma once
#include "no_postgres.h"

#include "stamp_rules.h"

#include <array>
#include <cstdint>

namespace audit_fields {

// What a statement is known to put into one audit column, before any trigger runs.
enum class StatementValue : unsigned char {
    Absent,    // the table has no such column
    Old,       // UPDATE: the statement leaves the column as it was (OLD's value)
    Null,      // a NULL constant (INSERT: also a column with no default)
    NotNull,   // a non-NULL constant
    Unknown,   // anything else: a parameter, a source column, a non-constant default
    Clock,     // planned stamping's clock (UPDATE: never earlier than OLD's stamps)
    Actor,     // planned stamping's actor
    ActorName, // planned stamping's actor name
};

// What the plan writes into one column.
enum class PlannedValue : unsigned char {
    Statement, // the statement's own value, unchanged
    Clock,
    Actor,
    ActorName,
    Null,
    Old, // UPDATE: OLD's value
};

struct StatementShape {
    RowEvent event = RowEvent::Insert; // Insert or Update
    std::array<StatementValue, kAuditColumnCount> columns{};

    StatementValue& operator[](AuditColumn c) { return columns[index_of(c)]; }
    StatementValue operator[](AuditColumn c) const { return columns[index_of(c)]; }
};

struct StatementStamps {
    // False when the trigger's answer depends on row values the statement does not fix (or some
    // row would be rejected): the statement is then left to the trigger.
    bool planned = false;
    std::array<PlannedValue, kAuditColumnCount> values{};

    PlannedValue value(AuditColumn c) const { return values[index_of(c)]; }
    // True when every column keeps the statement's own value: the trigger would change no row.
    bool writes_nothing() const;
};

// The rows a shape allows are enumerated up to this many; a shape with more (an UPDATE assigning
// most audit columns from parameters, as some ORMs send) is left to the trigger.
inline constexpr std::uint32_t kMaxEnumeratedRows = 1u << 14;

// The value each column must get. On the final plan (planned values in the shape), writes_nothing()
// is the proof that the trigger would leave every row unchanged.
StatementStamps plan_statement_stamps(const StampPolicy& policy, const StatementShape& shape);

} // namespace audit_fields
