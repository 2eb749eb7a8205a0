// audit_fields.stamp(): the BEFORE ROW trigger. The rules themselves are in core/stamp_rules.cpp;
// this file gathers the facts about the row, asks decide(), and applies the answer by forming the
// returned row once (heap_form_tuple). No SPI and no catalog access on the INSERT/UPDATE path: all
// of that was resolved once into the StampPlan.
#include <algorithm>

#include "actor.h"
#include "audit_clock.h"
#include "boundary.h"
#include "foreign_key_cascade.h"
#include "partition_move.h"
#include "settings.h"
#include "soft_delete.h"
#include "stamp_plan.h"

extern "C" {
PG_FUNCTION_INFO_V1(audit_fields_stamp);
PGDLLEXPORT Datum audit_fields_stamp(PG_FUNCTION_ARGS);
}

namespace audit_fields::pg {

namespace {

struct RowValues {
    Datum new_value[kAuditColumnCount];
    Datum old_value[kAuditColumnCount];
};

RowEvent row_event(const TriggerData* td) {
    if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
        return RowEvent::Insert;
    if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
        return RowEvent::Update;
    return RowEvent::Delete;
}

const TriggerData* trigger_data(FunctionCallInfo fcinfo) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("audit_fields.stamp() must be called as a trigger")));
    const auto* td = reinterpret_cast<const TriggerData*>(fcinfo->context);
    const bool usable = TRIGGER_FIRED_BEFORE(td->tg_event) && TRIGGER_FIRED_FOR_ROW(td->tg_event) &&
                        !TRIGGER_FIRED_BY_TRUNCATE(td->tg_event);
    if (!usable)
        ereport(ERROR,
                (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                 errmsg("audit_fields: trigger \"%s\" on table \"%s\" must be BEFORE INSERT OR "
                        "UPDATE [OR DELETE] ... FOR EACH ROW",
                        td->tg_trigger->tgname, qualified_name(td->tg_relation)),
                 errhint("Use audit_fields.enable() to create the trigger.")));
    return td;
}

// The row the trigger would return if it changed nothing.
HeapTuple unchanged_row(const TriggerData* td) {
    return TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
}

// Reads the audit columns through the trigger's slots: slot_getattr deforms each tuple once, up
// to the last audit column, where heap_getattr would walk the tuple again for every column.
RowFacts gather_facts(const StampPlan* plan, RowEvent event, TupleTableSlot* new_slot,
                      TupleTableSlot* old_slot, RowValues* values) {
    RowFacts facts;
    facts.event = event;
    for (AuditColumn c : kAllAuditColumns) {
        const std::size_t i = index_of(c);
        const ResolvedColumn& col = plan->columns[i];
        ColumnFacts& f = facts.columns[i];
        if (col.attnum == InvalidAttrNumber)
            continue;
        f.present = true;
        values->new_value[i] = slot_getattr(new_slot, col.attnum, &f.new_null);
        if (old_slot == nullptr)
            continue;
        values->old_value[i] = slot_getattr(old_slot, col.attnum, &f.old_null);
        f.changed = f.new_null != f.old_null ||
                    (!f.new_null && !datumIsEqual(values->new_value[i], values->old_value[i],
                                                  col.typbyval, col.typlen));
    }
    return facts;
}

[[noreturn]] void reject_created_change(const StampPlan* plan, Relation rel, AuditColumn column) {
    const char* name = column_name(rel, plan->column(column));
    ereport(ERROR, (errcode(ERRCODE_CHECK_VIOLATION),
                    errmsg("audit_fields: column \"%s\" of table \"%s\" cannot be changed", name,
                           qualified_name(rel)),
                    errdetail("The table was enabled with on_created_change => 'reject'; created_* "
                              "columns keep the values written at INSERT.")));
}

[[noreturn]] void reject_delete_without_deleted_at(Relation rel, const Trigger* trigger) {
    ereport(ERROR,
            (errcode(ERRCODE_UNDEFINED_COLUMN),
             errmsg("audit_fields: cannot soft-delete from table \"%s\": its deleted_at column "
                    "is gone",
                    qualified_name(rel)),
             errdetail("Trigger \"%s\" has soft_delete => true; the row is kept rather than "
                       "deleted for good.",
                       trigger->tgname),
             errhint("Add the deleted_at column back, or run audit_fields.enable() without "
                     "soft_delete to allow DELETE.")));
}

// now() is the transaction's start: a transaction that began before another one wrote the row
// would stamp an updated_at earlier than the row's created_at or last updated_at. A row's stamps
// never go backwards, so the clock is raised to the latest OLD stamp of the same type.
Datum not_before_old_stamps(const StampPlan* plan, const RowFacts& facts, const RowValues& values,
                            const ResolvedColumn& col, Datum clock) {
    Timestamp latest = DatumGetTimestamp(clock);
    for (AuditColumn c : {AuditColumn::CreatedAt, AuditColumn::UpdatedAt}) {
        const std::size_t i = index_of(c);
        if (!facts.columns[i].present || facts.columns[i].old_null ||
            plan->columns[i].is_timestamptz != col.is_timestamptz)
            continue;
        latest = std::max(latest, DatumGetTimestamp(values.old_value[i]));
    }
    return TimestampGetDatum(latest);
}

// Forms the returned row in one step from the slot's already deformed values, with the
// header fields heap_modify_tuple would carry over.
HeapTuple apply_actions(StampPlan* plan, const StampDecision& decision, const RowFacts& facts,
                        TupleTableSlot* new_slot, HeapTuple new_row, Relation rel,
                        const RowValues& values) {
    ActorText actor{nullptr, nullptr};
    if (decision.needs_actor())
        actor = current_actor_text(plan, rel, facts.event);
    const TupleDesc desc = RelationGetDescr(rel);
    slot_getallattrs(new_slot);
    Datum* row_values = static_cast<Datum*>(palloc(desc->natts * sizeof(Datum)));
    bool* row_nulls = static_cast<bool*>(palloc(desc->natts * sizeof(bool)));
    memcpy(row_values, new_slot->tts_values, desc->natts * sizeof(Datum));
    memcpy(row_nulls, new_slot->tts_isnull, desc->natts * sizeof(bool));
    bool have_now = false;
    TimestampTz now = 0;

    for (AuditColumn c : kAllAuditColumns) {
        const std::size_t i = index_of(c);
        const Action action = decision.actions[i];
        if (action == Action::Keep)
            continue;
        const ResolvedColumn& col = plan->columns[i];
        Datum value = (Datum)0;
        bool null = false;
        switch (action) {
        case Action::SetClock:
            if (!have_now) {
                now = audit_now();
                have_now = true;
            }
            value = clock_datum(now, col.is_timestamptz, col.clock_typmod);
            if (facts.event == RowEvent::Update)
                value = not_before_old_stamps(plan, facts, values, col, value);
            break;
        case Action::SetActor:
        case Action::SetActorName: {
            const char* text = action == Action::SetActor ? actor.actor : actor.name;
            null = text == nullptr;
            if (!null)
                value = actor_datum(plan, c, text, rel);
            break;
        }
        case Action::RestoreOld:
            value = values.old_value[i];
            null = facts.columns[i].old_null;
            break;
        case Action::SetNull:
            null = true;
            break;
        case Action::Keep:
            break;
        }
        row_values[col.attnum - 1] = value;
        row_nulls[col.attnum - 1] = null;
    }
    HeapTuple result = heap_form_tuple(desc, row_values, row_nulls);
    result->t_data->t_ctid = new_row->t_data->t_ctid;
    result->t_self = new_row->t_self;
    result->t_tableOid = new_row->t_tableOid;
    return result;
}

// The plan is found once per statement: the trigger's FmgrInfo lives as long as the statement's
// result relation, so fn_extra keeps the pointer (hash entries are never freed, only invalidated).
StampPlan* plan_for_call(FunctionCallInfo fcinfo, Relation rel, const Trigger* trigger) {
    auto* plan = static_cast<StampPlan*>(fcinfo->flinfo->fn_extra);
    if (plan == nullptr || plan->trigger_oid != trigger->tgoid || !plan->valid) {
        plan = stamp_plan_for(rel, trigger);
        fcinfo->flinfo->fn_extra = plan;
    }
    return plan;
}

Datum stamp(FunctionCallInfo fcinfo) {
    const TriggerData* td = trigger_data(fcinfo);
    HeapTuple passthrough = unchanged_row(td);
    if (!settings.enabled)
        return PointerGetDatum(passthrough);

    Relation rel = td->tg_relation;
    const TupleDesc desc = RelationGetDescr(rel);
    StampPlan* plan = plan_for_call(fcinfo, rel, td->tg_trigger);
    const RowEvent event = row_event(td);

    if (event == RowEvent::Insert && take_partition_move_insert(plan, passthrough, desc))
        return PointerGetDatum(passthrough);
    if (event == RowEvent::Delete && is_partition_move_delete(plan, td->tg_trigtuple))
        return PointerGetDatum(passthrough);

    const bool update = event == RowEvent::Update;
    HeapTuple old_row = update ? td->tg_trigtuple : nullptr;
    TupleTableSlot* new_slot = update ? td->tg_newslot : td->tg_trigslot;
    TupleTableSlot* old_slot = update ? td->tg_trigslot : nullptr;
    RowValues values;
    RowFacts facts = gather_facts(plan, event, new_slot, old_slot, &values);
    if (event == RowEvent::Delete && plan->policy.soft_delete)
        facts.foreign_key_cascade = deleted_by_foreign_key_cascade(rel);
    const StampDecision decision = decide(plan->policy, facts);

    switch (decision.outcome) {
    case Outcome::AllowDelete:
        return PointerGetDatum(passthrough);
    case Outcome::SkipDelete:
        return PointerGetDatum(nullptr);
    case Outcome::SoftDelete:
        soft_delete_row(plan, rel, td->tg_trigtuple);
        return PointerGetDatum(nullptr);
    case Outcome::RejectCreatedChange:
        reject_created_change(plan, rel, decision.rejected_column);
    case Outcome::RejectDelete:
        reject_delete_without_deleted_at(rel, td->tg_trigger);
    case Outcome::RejectCascadeDelete:
        reject_cascaded_delete(rel);
    case Outcome::WriteRow:
        break;
    }

    HeapTuple result = passthrough;
    if (decision.modifies_row())
        result = apply_actions(plan, decision, facts, new_slot, passthrough, rel, values);
    if (event == RowEvent::Update)
        note_partition_update(plan, old_row, result, desc);
    return PointerGetDatum(result);
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_stamp(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.stamp",
                                     [fcinfo] { return audit_fields::pg::stamp(fcinfo); });
}
