// What the rewrite, the planned functions and the proof share: the call codes, the extension's
// function OIDs, which trigger qualifies, the memo of statement decisions and the hooks.
#include "planner_stamping.h"

#include "settings.h"

#include <cstring>

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/pg_trigger.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "parser/analyze.h"
#include "parser/parse_func.h"
}

namespace audit_fields::pg {

namespace {

post_parse_analyze_hook_type previous_post_parse_analyze = nullptr;
bool planned_statements_seen = false;
ExecutorStart_hook_type previous_executor_start = nullptr;

// Looked up by name once, forgotten whenever pg_proc changes (CREATE/DROP EXTENSION among others).
bool oids_valid = false;
AuditFunctionOids oids{InvalidOid, InvalidOid, InvalidOid};

void forget_function_oids(Datum /*arg*/, int /*cache_id*/, uint32 /*hash*/) {
    oids_valid = false;
}

Oid function_oid(const char* name, int nargs, const Oid* types) {
    List* qualified = list_make2(makeString(pstrdup("audit_fields")), makeString(pstrdup(name)));
    return LookupFuncName(qualified, nargs, types, true);
}

// The last decisions, by (policy, shape); compared as bytes.
struct Remembered {
    bool used;
    StampPolicy policy;
    StatementShape shape;
    StatementStamps stamps;
};
constexpr int kRemembered = 8;
Remembered remembered[kRemembered];
int next_slot = 0;

void post_parse_analyze(ParseState* pstate, Query* query, JumbleState* jstate) {
    if (previous_post_parse_analyze != nullptr)
        previous_post_parse_analyze(pstate, query, jstate);
    if (settings.planner_stamping)
        rewrite_for_planner_stamping(query);
}

void executor_start(QueryDesc* query_desc, int eflags) {
    if (previous_executor_start != nullptr)
        previous_executor_start(query_desc, eflags);
    else
        standard_ExecutorStart(query_desc, eflags);
    // Whatever the setting is now: a plan keeps the planned calls it was analysed with, and one
    // that counts a missing actor must not also run the trigger that counts it.
    if (planned_statements_seen && (eflags & EXEC_FLAG_EXPLAIN_ONLY) == 0)
        skip_proven_triggers(query_desc);
}

} // namespace

// Bits 0-3 column, 4-7 value, 8-11 event, 12-15 missing-actor role, 16-24 actor columns.
int32 encode_planned_call(const PlannedCall& call) {
    return static_cast<int32>(index_of(call.column)) | (static_cast<int32>(call.value) << 4) |
           (static_cast<int32>(call.event) << 8) | (static_cast<int32>(call.missing) << 12) |
           (static_cast<int32>(call.actor_columns) << 16);
}

bool decode_planned_call(int32 code, PlannedCall* call) {
    const int32 column = code & 0xF;
    const int32 value = (code >> 4) & 0xF;
    const int32 event = (code >> 8) & 0xF;
    const int32 missing = (code >> 12) & 0xF;
    const int32 actor_columns = (code >> 16) & 0x7FFF;
    if (code < 0 || column >= static_cast<int32>(kAuditColumnCount) ||
        value == static_cast<int32>(PlannedValue::Statement) ||
        value > static_cast<int32>(PlannedValue::Old) ||
        missing > static_cast<int32>(MissingActorRole::Defers) ||
        actor_columns >= (1 << kAuditColumnCount))
        return false;
    if (event != static_cast<int32>(RowEvent::Insert) &&
        event != static_cast<int32>(RowEvent::Update))
        return false;
    call->column = kAllAuditColumns[column];
    call->value = static_cast<PlannedValue>(value);
    call->event = static_cast<RowEvent>(event);
    call->missing = static_cast<MissingActorRole>(missing);
    call->actor_columns = static_cast<uint16>(actor_columns);
    // A stamp is of the column's kind; OLD's value exists on UPDATE only.
    const ColumnKind kind = kind_of(call->column);
    switch (call->value) {
    case PlannedValue::Clock:
        return kind == ColumnKind::Timestamp;
    case PlannedValue::Actor:
        return kind == ColumnKind::Actor;
    case PlannedValue::ActorName:
        return kind == ColumnKind::ActorName;
    case PlannedValue::Old:
        return call->event == RowEvent::Update;
    case PlannedValue::Null:
        return true;
    case PlannedValue::Statement:
        break;
    }
    return false;
}

const AuditFunctionOids& audit_function_oids() {
    if (oids_valid)
        return oids;
    static bool callback_registered = false;
    if (!callback_registered) {
        CacheRegisterSyscacheCallback(PROCOID, forget_function_oids, (Datum)0);
        callback_registered = true;
    }
    AuditFunctionOids found{InvalidOid, InvalidOid, InvalidOid};
    if (OidIsValid(get_namespace_oid("audit_fields", true))) {
        found.stamp = function_oid("stamp", 0, nullptr);
        const Oid stamp_args[] = {INT8OID, ANYELEMENTOID};
        found.planned_stamp = function_oid("planned_stamp", 2, stamp_args);
        const Oid from_old_args[] = {INT8OID, ANYELEMENTOID, ANYELEMENTOID, ANYELEMENTOID};
        found.planned_from_old = function_oid("planned_from_old", 4, from_old_args);
    }
    oids = found;
    oids_valid = true;
    return oids;
}

Oid trigger_table(Oid trigger_oid) {
    Relation triggers = table_open(TriggerRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_trigger_oid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(trigger_oid));
    SysScanDesc scan = systable_beginscan(triggers, TriggerOidIndexId, true, nullptr, 1, &key);
    const HeapTuple tuple = systable_getnext(scan);
    const Oid relid = HeapTupleIsValid(tuple)
                          ? reinterpret_cast<Form_pg_trigger>(GETSTRUCT(tuple))->tgrelid
                          : InvalidOid;
    systable_endscan(scan);
    table_close(triggers, AccessShareLock);
    return relid;
}

const Trigger* plannable_audit_trigger(Relation rel) {
    const TriggerDesc* triggers = rel->trigdesc;
    const AuditFunctionOids& functions = audit_function_oids();
    if (triggers == nullptr || !OidIsValid(functions.stamp) ||
        !OidIsValid(functions.planned_stamp) || !OidIsValid(functions.planned_from_old))
        return nullptr;
    const Trigger* found = nullptr;
    for (int i = 0; i < triggers->numtriggers; ++i) {
        const Trigger* t = &triggers->triggers[i];
        if (t->tgfoid != functions.stamp)
            continue;
        if (found != nullptr)
            return nullptr;
        found = t;
    }
    if (found == nullptr || found->tgenabled != TRIGGER_FIRES_ON_ORIGIN ||
        found->tgqual != nullptr || !TRIGGER_FOR_ROW(found->tgtype) ||
        !TRIGGER_FOR_BEFORE(found->tgtype))
        return nullptr;
    return found;
}

bool only_before_row_trigger(const TriggerDesc* triggers, Oid mine, RowEvent event) {
    const int16 type = event == RowEvent::Insert ? TRIGGER_TYPE_INSERT : TRIGGER_TYPE_UPDATE;
    for (int i = 0; i < triggers->numtriggers; ++i) {
        const Trigger* t = &triggers->triggers[i];
        if (t->tgoid != mine &&
            TRIGGER_TYPE_MATCHES(t->tgtype, TRIGGER_TYPE_ROW, TRIGGER_TYPE_BEFORE, type))
            return false;
    }
    return true;
}

StatementStamps statement_stamps(const StampPolicy& policy, const StatementShape& shape) {
    static_assert(std::has_unique_object_representations_v<StatementShape>,
                  "shapes are compared with memcmp");
    for (const Remembered& r : remembered)
        if (r.used && memcmp(&r.shape, &shape, sizeof(shape)) == 0 &&
            memcmp(&r.policy, &policy, sizeof(policy)) == 0)
            return r.stamps;
    Remembered& slot = remembered[next_slot];
    next_slot = (next_slot + 1) % kRemembered;
    slot.used = false;
    slot.policy = policy;
    slot.shape = shape;
    slot.stamps = plan_statement_stamps(policy, shape);
    slot.used = true;
    return slot.stamps;
}

void note_planned_statement() {
    planned_statements_seen = true;
}

void install_planner_stamping() {
    previous_post_parse_analyze = post_parse_analyze_hook;
    post_parse_analyze_hook = post_parse_analyze;
    previous_executor_start = ExecutorStart_hook;
    ExecutorStart_hook = executor_start;
}

} // namespace audit_fields::pg
