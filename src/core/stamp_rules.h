// The trigger's whole decision table, mirroring SPEC.md "What the trigger guarantees".
// Pure and allocation-free: the extension gathers facts about the row, calls decide(), and
// applies the actions. Every rule the trigger follows is in stamp_rules.cpp and nowhere else.
#pragma once
#include "no_postgres.h"

#include "audit_columns.h"
#include "table_options.h"

#include <array>

namespace audit_fields {

enum class RowEvent : unsigned char { Insert, Update, Delete };

// What happens to one column of the row the trigger returns.
enum class Action : unsigned char {
    Keep,         // leave NEW's value
    SetClock,     // the configured clock (audit_fields.clock)
    SetActor,     // audit_fields.actor, converted to the column's type
    SetActorName, // audit_fields.actor_name (falls back to the actor)
    RestoreOld,   // OLD's value (UPDATE only)
    SetNull,
    // UPDATE of a row whose created_at/updated_at (same type as this column) is later than the
    // clock: that latest OLD stamp, so a row's stamps never go backwards.
    SetLatestOldStamp,
};

enum class Outcome : unsigned char {
    WriteRow,            // INSERT/UPDATE proceeds with the actions applied
    RejectCreatedChange, // UPDATE changed a created_* column and on_created_change = reject
    SoftDelete,          // DELETE becomes an UPDATE that sets deleted_at
    SkipDelete,          // DELETE of an already soft-deleted row: nothing happens
    AllowDelete,         // DELETE proceeds (soft_delete is off)
    RejectDelete,        // soft_delete is on but deleted_at was dropped: refuse, never hard-delete
    RejectCascadeDelete, // soft_delete is on and a foreign key's ON DELETE CASCADE issued the
                         // DELETE: keeping the row would leave it pointing at a deleted parent
};

// Facts about one audit column of the row. For INSERT only present and new_null matter.
struct ColumnFacts {
    bool present = false;  // the table has this column
    bool new_null = false; // NEW (or, for DELETE, the row) holds NULL
    bool old_null = false; // OLD holds NULL (UPDATE)
    bool changed = false;  // NEW differs from OLD (UPDATE)
    // Timestamp columns, UPDATE: OLD's created_at or updated_at of the same type is later than the
    // clock (a transaction that began before the row was last written).
    bool clock_behind_old = false;
};

struct RowFacts {
    RowEvent event = RowEvent::Insert;
    bool foreign_key_cascade = false; // DELETE issued by a foreign key's ON DELETE CASCADE
    // The DELETE or INSERT half of an UPDATE that moves the row to another partition: the UPDATE
    // half already stamped it.
    bool partition_move = false;
    std::array<ColumnFacts, kAuditColumnCount> columns{};

    ColumnFacts& operator[](AuditColumn c) { return columns[index_of(c)]; }
    const ColumnFacts& operator[](AuditColumn c) const { return columns[index_of(c)]; }
};

struct StampDecision {
    Outcome outcome = Outcome::WriteRow;
    std::array<Action, kAuditColumnCount> actions{};      // all Keep by default
    AuditColumn rejected_column = AuditColumn::CreatedAt; // for RejectCreatedChange

    Action action(AuditColumn c) const { return actions[index_of(c)]; }
    bool modifies_row() const;
    // True when applying the actions needs audit_fields.actor (the missing-actor policy applies).
    bool needs_actor() const;
};

StampDecision decide(const StampPolicy& policy, const RowFacts& row) noexcept;

} // namespace audit_fields
