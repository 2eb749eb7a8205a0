// Planner stamping (audit_fields.planner_stamping): the stamps computed in the plan itself, so a
// statement whose plan provably writes every stamp needs no row trigger. Three parts:
// - planner_rewrite.cpp, at parse analysis: puts calls of audit_fields.planned_stamp() and
//   planned_from_old() into the target lists of INSERT, UPDATE, ON CONFLICT DO UPDATE and MERGE;
// - planned_values.cpp: those two functions, which compute the value the trigger would write;
// - planner_proof.cpp, at executor start: takes the trigger out of the statement's copy of the
//   table's trigger list, per event, when the final plan provably writes what it would.
// What each statement must write comes from plan_statement_stamps() (core/statement_stamps.h),
// which asks decide(): there is one decision table.
#pragma once

#include "trigger_cache.h" // first: it brings the core headers before pg.h

#include "core/statement_stamps.h"

#include "pg.h"

namespace audit_fields::pg {

// What a planned actor call does when no actor is set. The trigger records a missing actor once
// per row; a statement that skips the trigger must do the same, one that keeps it must not.
enum class MissingActorRole : unsigned char {
    Counts,  // the table's policy, and this call records the miss (one per row and statement)
    Follows, // the table's policy, nothing recorded
    Defers,  // the statement's own value: the trigger, which still runs, decides and records
};

// The "what" argument of planned_stamp() and planned_from_old().
struct PlannedCall {
    AuditColumn column;
    PlannedValue value; // not Statement
    RowEvent event;     // Insert or Update
    MissingActorRole missing;
    // The actor columns this statement's plan stamps for the event, as bits of index_of(): a
    // conversion error names the first of them in logical order, as the trigger's does.
    uint16 actor_columns;
};
int32 encode_planned_call(const PlannedCall& call);
bool decode_planned_call(int32 code, PlannedCall* call);

// The planned functions' first argument: the trigger's OID and the call's code in one int8, so a
// planned call evaluates two or four arguments per row, not four or six.
inline int64 planned_call_key(Oid trigger_oid, const PlannedCall& call) {
    return static_cast<int64>((static_cast<uint64>(trigger_oid) << 32) |
                              static_cast<uint32>(encode_planned_call(call)));
}
inline bool split_planned_call_key(int64 key, Oid* trigger_oid, PlannedCall* call) {
    *trigger_oid = static_cast<Oid>(static_cast<uint64>(key) >> 32);
    return decode_planned_call(static_cast<int32>(static_cast<uint64>(key) & 0xFFFFFFFFu), call);
}

// The table a trigger is on (pg_trigger), InvalidOid if there is no such trigger.
Oid trigger_table(Oid trigger_oid);

// planned_from_old() computes the values that need OLD (UPDATE's clock, OLD's value);
// planned_stamp() the others.
inline bool needs_old(const PlannedCall& call) {
    return call.value == PlannedValue::Old ||
           (call.value == PlannedValue::Clock && call.event == RowEvent::Update);
}

// The extension's functions in this database; InvalidOid where it is not installed.
struct AuditFunctionOids {
    Oid stamp;
    Oid planned_stamp;
    Oid planned_from_old;
};
const AuditFunctionOids& audit_function_oids();

// The table's audit_fields trigger when planner stamping may rely on it: the only one, BEFORE ROW,
// firing in ordinary sessions, without a WHEN clause. nullptr otherwise (a trigger created by
// hand in another shape raises its own error when it fires).
const Trigger* plannable_audit_trigger(Relation rel);

// No BEFORE ROW trigger but `mine` fires on this event (INSERT or UPDATE): another one could
// change an audit column after the plan wrote it.
bool only_before_row_trigger(const TriggerDesc* triggers, Oid mine, RowEvent event);

// plan_statement_stamps(), remembered for the shapes this backend saw last (a prepared one-row
// statement asks once per execution).
StatementStamps statement_stamps(const StampPolicy& policy, const StatementShape& shape);

// From _PG_init, only while shared_preload_libraries is processed.
void install_planner_stamping();

// Called by the rewrite when it plans a statement: until then this backend holds no plan that
// could leave the trigger out, and executor start does not look (a server that preloads the
// library with the setting off pays nothing per statement).
void note_planned_statement();

// planner_rewrite.cpp / planner_proof.cpp
void rewrite_for_planner_stamping(Query* query);
void skip_proven_triggers(QueryDesc* query_desc);

} // namespace audit_fields::pg
