// audit_fields.stamp(): the BEFORE ROW trigger. The rules are in core/stamp_rules.cpp; this file
// gathers the facts about the row, asks decide(), and applies the answer. No SPI and no catalog
// access on the INSERT/UPDATE path: that was resolved once into the TriggerCache.
//
// What one row costs, and why:
// - Facts come from the tuples' null bitmaps where that is enough. A value is read only when the
//   decision depends on it (an audit column the UPDATE may have changed, OLD's stamps for the
//   never-backwards clock), through the trigger's slots, which deform each tuple at most once.
// - An audit column that is not in tg_updatedcols holds OLD's value (when no other BEFORE UPDATE
//   trigger ran first): it is neither read nor compared, and OLD's stamps are read from NEW.
// - decide() runs once per distinct set of facts (DecisionMemo), the actor is converted once per
//   distinct text, the clock once per distinct time.
// - A row that already holds what the decision writes (defaults, or the client sent exactly those
//   values) is returned as it is: no new tuple. Otherwise the new row is formed once, from NEW's
//   deformed values with the stamped columns replaced.
#include <cstring>
#include <type_traits>

#include "actor.h"
#include "audit_clock.h"
#include "boundary.h"
#include "foreign_key_cascade.h"
#include "partition_move.h"
#include "row_builder.h"
#include "settings.h"
#include "soft_delete.h"
#include "trigger_cache.h"

extern "C" {
PG_FUNCTION_INFO_V1(audit_fields_stamp);
PGDLLEXPORT Datum audit_fields_stamp(PG_FUNCTION_ARGS);
}

namespace audit_fields::pg {

namespace {

using C = AuditColumn;

// One row's tuples and slots. NEW is the row to be written (for DELETE: the row deleted).
struct Row {
    RowEvent event;
    Relation rel;
    TupleDesc desc;
    HeapTuple new_tuple;
    TupleTableSlot* new_slot;
    HeapTuple old_tuple; // UPDATE only
    TupleTableSlot* old_slot;
    const Bitmapset* updated_columns; // UPDATE: tg_updatedcols, nullptr when not known
    // UPDATE: no audit column can differ between OLD and NEW (the statement sets none of them)
    bool audit_columns_untouched;
};

// audit_fields.clock, read at most once per row and only when a stamp or a fact needs it.
struct Clock {
    bool read = false;
    TimestampTz now = 0;

    TimestampTz get() {
        if (!read) {
            now = audit_now();
            read = true;
        }
        return now;
    }
};

// Values gathered with the facts, used when the actions are applied.
struct Gathered {
    // UPDATE: the latest OLD created_at/updated_at per timestamp type (0: timestamp, 1:
    // timestamptz)
    bool have_latest[2];
    Timestamp latest[2];
};

RowEvent row_event(const TriggerData* td) {
    if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
        return RowEvent::Insert;
    if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
        return RowEvent::Update;
    return RowEvent::Delete;
}

// The trigger must be BEFORE ROW on INSERT, UPDATE or DELETE (audit_fields.enable() creates it so).
const TriggerData* check_trigger_shape(FunctionCallInfo fcinfo) {
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

Row row_of(const TriggerData* td) {
    Row row;
    row.event = row_event(td);
    row.rel = td->tg_relation;
    row.desc = RelationGetDescr(td->tg_relation);
    const bool update = row.event == RowEvent::Update;
    row.new_tuple = update ? td->tg_newtuple : td->tg_trigtuple;
    row.new_slot = update ? td->tg_newslot : td->tg_trigslot;
    row.old_tuple = update ? td->tg_trigtuple : nullptr;
    row.old_slot = update ? td->tg_trigslot : nullptr;
    row.updated_columns = update ? td->tg_updatedcols : nullptr;
    row.audit_columns_untouched = false;
    return row;
}

// heap_attisnull() without the call: the tuple's null bitmap, for the columns it has.
inline bool is_null(HeapTuple tuple, AttrNumber attnum, TupleDesc desc) {
    if (unlikely(attnum > HeapTupleHeaderGetNatts(tuple->t_data)))
        return heap_attisnull(tuple, attnum, desc); // added later: the column's missing value
    return HeapTupleHasNulls(tuple) && att_isnull(attnum - 1, tuple->t_data->t_bits);
}

Datum new_value(const Row& row, AttrNumber attnum) {
    bool null;
    return slot_getattr(row.new_slot, attnum, &null);
}

// Equal as stored values. A varlena's header may be short or long for the same text, and a
// toasted or compressed value is never taken for equal (the row is then formed anew, which is
// always correct).
bool same_value(const ResolvedColumn& col, Datum a, Datum b) {
    if (col.typbyval)
        return a == b;
    if (col.typlen > 0)
        return memcmp(DatumGetPointer(a), DatumGetPointer(b), col.typlen) == 0;
    if (col.typlen == -1) {
        const auto* x = reinterpret_cast<const varlena*>(DatumGetPointer(a));
        const auto* y = reinterpret_cast<const varlena*>(DatumGetPointer(b));
        if ((VARATT_IS_EXTENDED(x) && !VARATT_IS_SHORT(x)) ||
            (VARATT_IS_EXTENDED(y) && !VARATT_IS_SHORT(y)))
            return false;
        const Size n = VARSIZE_ANY_EXHDR(x);
        return n == VARSIZE_ANY_EXHDR(y) && memcmp(VARDATA_ANY(x), VARDATA_ANY(y), n) == 0;
    }
    return datumIsEqual(a, b, col.typbyval, col.typlen);
}

bool known_unchanged(const TriggerCache* cache, const Row& row, AttrNumber attnum) {
    if (row.audit_columns_untouched)
        return true;
    return cache->updated_columns_exact && row.updated_columns != nullptr &&
           !bms_is_member(attnum - FirstLowInvalidHeapAttributeNumber, row.updated_columns);
}

void gather_column_facts(const TriggerCache* cache, const Row& row, RowFacts* facts) {
    const int stored = HeapTupleHeaderGetNatts(row.new_tuple->t_data);
    const bits8* nulls = HeapTupleHasNulls(row.new_tuple) ? row.new_tuple->t_data->t_bits : nullptr;
    for (int i = 0; i < cache->layout.present; ++i) {
        const AuditColumn c = cache->layout.by_attnum[i];
        const ResolvedColumn& col = cache->layout.column(c);
        ColumnFacts& f = (*facts)[c];
        f.present = true;
        f.new_null = col.attnum > stored ? heap_attisnull(row.new_tuple, col.attnum, row.desc)
                                         : nulls != nullptr && att_isnull(col.attnum - 1, nulls);
        if (row.event != RowEvent::Update)
            continue;
        if (known_unchanged(cache, row, col.attnum)) {
            f.old_null = f.new_null;
            continue;
        }
        f.old_null = is_null(row.old_tuple, col.attnum, row.desc);
        if (f.new_null || f.old_null) {
            f.changed = f.new_null != f.old_null;
            continue;
        }
        bool null;
        const Datum old_value = slot_getattr(row.old_slot, col.attnum, &null);
        f.changed = !same_value(col, new_value(row, col.attnum), old_value);
    }
}

// The clock as a value of the column's type, converted once per distinct time and time zone.
inline Datum clock_value(TriggerCache* cache, AuditColumn c, TimestampTz now) {
    ClockValue& clock = cache->clocks[index_of(c)];
    if (clock.valid && clock.now == now && clock.zone == session_timezone)
        return clock.value;
    const ResolvedColumn& col = cache->layout.column(c);
    clock.value = clock_datum(now, col.is_timestamptz, col.clock_typmod);
    clock.now = now;
    clock.zone = session_timezone;
    clock.valid = true;
    return clock.value;
}

// UPDATE: the latest of OLD's created_at and updated_at, per timestamp type, and for each stamp
// the clock would write, whether the clock is behind it. A column the statement did not touch is
// read from NEW, which the row is formed from anyway, so OLD is not deformed for it.
void gather_clock_facts(TriggerCache* cache, const Row& row, Clock* clock, RowFacts* facts,
                        Gathered* gathered) {
    for (AuditColumn c : {C::CreatedAt, C::UpdatedAt}) {
        const ResolvedColumn& col = cache->layout.column(c);
        if (col.attnum == InvalidAttrNumber || (*facts)[c].old_null)
            continue;
        bool null = false;
        const Datum old_value = (*facts)[c].changed || !known_unchanged(cache, row, col.attnum)
                                    ? slot_getattr(row.old_slot, col.attnum, &null)
                                    : new_value(row, col.attnum);
        const int type = col.is_timestamptz ? 1 : 0;
        const Timestamp value = DatumGetTimestamp(old_value);
        if (!gathered->have_latest[type] || value > gathered->latest[type])
            gathered->latest[type] = value;
        gathered->have_latest[type] = true;
    }
    for (AuditColumn c : {C::UpdatedAt, C::DeletedAt}) {
        const ResolvedColumn& col = cache->layout.column(c);
        const int type = col.is_timestamptz ? 1 : 0;
        if (col.attnum == InvalidAttrNumber || !gathered->have_latest[type])
            continue;
        (*facts)[c].clock_behind_old =
            DatumGetTimestamp(clock_value(cache, c, clock->get())) < gathered->latest[type];
    }
}

// By value: applying the decision can run other code (an actor type's input function) that
// re-enters this trigger and overwrites the memo.
DecisionMemo decide_once(TriggerCache* cache, const RowFacts& facts) {
    static_assert(std::has_unique_object_representations_v<RowFacts>,
                  "RowFacts is compared with memcmp");
    DecisionMemo& memo = cache->memo[static_cast<int>(facts.event)];
    if (!memo.valid || memcmp(&memo.facts, &facts, sizeof(RowFacts)) != 0) {
        memo.valid = false;
        memo.facts = facts;
        memo.decision = decide(cache->policy, facts);
        memo.modifies_row = memo.decision.modifies_row();
        memo.needs_actor = memo.decision.needs_actor();
        memo.writes = 0;
        for (int i = 0; i < cache->layout.present; ++i)
            if (memo.decision.action(cache->layout.by_attnum[i]) != Action::Keep)
                memo.write_order[memo.writes++] = cache->layout.by_attnum[i];
        memo.actor_writes = 0;
        for (AuditColumn c : kAllAuditColumns) {
            const Action a = memo.decision.action(c);
            if (a == Action::SetActor || a == Action::SetActorName)
                memo.actor_order[memo.actor_writes++] = c;
        }
        memo.valid = true;
    }
    return memo;
}

[[noreturn]] void reject_created_change(const TriggerCache* cache, Relation rel,
                                        AuditColumn column) {
    const char* name = column_name(rel, cache->layout.column(column));
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

// The value one action writes.
ColumnValue replacement_for(TriggerCache* cache, const Row& row, AuditColumn c, Action action,
                            const ActorText& actor, Clock* clock, const Gathered& gathered) {
    const ResolvedColumn& col = cache->layout.column(c);
    ColumnValue r{col.attnum, false, (Datum)0, static_cast<Size>(col.typlen > 0 ? col.typlen : 0)};
    switch (action) {
    case Action::SetClock:
        r.value = clock_value(cache, c, clock->get());
        break;
    case Action::SetLatestOldStamp:
        r.value = TimestampGetDatum(gathered.latest[col.is_timestamptz ? 1 : 0]);
        break;
    case Action::SetActor:
    case Action::SetActorName: {
        const char* text = action == Action::SetActor ? actor.actor : actor.name;
        r.null = text == nullptr;
        if (!r.null) {
            const ActorValue& known = cache->actors[index_of(c)]; // converted by convert_actors()
            r.value = known.value;
            r.size = known.size;
        }
        break;
    }
    case Action::RestoreOld:
        r.value = slot_getattr(row.old_slot, col.attnum, &r.null);
        if (!r.null)
            r.size = datumGetSize(r.value, col.typbyval, col.typlen);
        break;
    case Action::SetNull:
        r.null = true;
        break;
    case Action::Keep:
        break;
    }
    return r;
}

// Converts the actor for every column that takes it, in the columns' logical order (which one's
// error a client sees first); a text converted before, unchanged since, costs one comparison.
void convert_actors(TriggerCache* cache, const Row& row, const DecisionMemo& decided,
                    const ActorText& actor) {
    const uint64 generation = actor_text_generation();
    for (int i = 0; i < decided.actor_writes; ++i) {
        const AuditColumn c = decided.actor_order[i];
        const char* text =
            decided.decision.action(c) == Action::SetActor ? actor.actor : actor.name;
        const ActorValue& known = cache->actors[index_of(c)];
        if (text != nullptr &&
            !(known.text != nullptr && known.source == text && known.generation == generation))
            (void)actor_datum(cache, c, text, row.rel);
    }
}

// The row the decision asks for: NEW itself when it already holds every value the actions write,
// else a copy of NEW with those columns replaced (row_builder.h).
HeapTuple apply_actions(TriggerCache* cache, const Row& row, const DecisionMemo& decided,
                        const RowFacts& facts, Clock* clock, const Gathered& gathered) {
    ActorText actor{nullptr, nullptr};
    if (decided.needs_actor) {
        actor = current_actor_text(cache, row.rel, row.event);
        convert_actors(cache, row, decided, actor);
    }
    ColumnValue replacements[kAuditColumnCount];
    bool differs = false;
    for (int i = 0; i < decided.writes; ++i) {
        const AuditColumn c = decided.write_order[i];
        const ColumnValue r =
            replacement_for(cache, row, c, decided.decision.action(c), actor, clock, gathered);
        replacements[i] = r;
        if (differs)
            continue;
        const bool holds_null = facts[c].new_null;
        differs = r.null != holds_null || (!r.null && !same_value(cache->layout.column(c), r.value,
                                                                  new_value(row, r.attnum)));
    }
    if (!differs)
        return row.new_tuple;
    return replace_columns(row.desc, row.new_tuple, replacements, decided.writes);
}

Datum stamp(FunctionCallInfo fcinfo) {
    const TriggerData* td = check_trigger_shape(fcinfo);
    Row row = row_of(td);
    if (!settings.enabled)
        return PointerGetDatum(row.new_tuple);
    TriggerCache* cache = trigger_cache_for(fcinfo, row.rel, td->tg_trigger);
    row.audit_columns_untouched = row.event == RowEvent::Update && cache->updated_columns_exact &&
                                  row.updated_columns != nullptr &&
                                  !bms_overlap(row.updated_columns, cache->audit_columns);

    RowFacts facts;
    facts.event = row.event;
    gather_column_facts(cache, row, &facts);
    Gathered gathered{};
    Clock clock;
    switch (row.event) {
    case RowEvent::Insert:
        facts.partition_move = OidIsValid(cache->partition_root) &&
                               take_partition_move_insert(cache, row.new_tuple, row.desc);
        break;
    case RowEvent::Update:
        gather_clock_facts(cache, row, &clock, &facts, &gathered);
        break;
    case RowEvent::Delete:
        facts.partition_move =
            OidIsValid(cache->partition_root) && is_partition_move_delete(cache, row.new_tuple);
        if (cache->policy.soft_delete && !facts.partition_move)
            facts.foreign_key_cascade = deleted_by_foreign_key_cascade(row.rel);
        break;
    }
    const DecisionMemo decided = decide_once(cache, facts);
    const StampDecision& decision = decided.decision;

    switch (decision.outcome) {
    case Outcome::AllowDelete:
        return PointerGetDatum(row.new_tuple);
    case Outcome::SkipDelete:
        return PointerGetDatum(nullptr);
    case Outcome::SoftDelete:
        soft_delete_row(cache, row.rel, row.new_tuple);
        return PointerGetDatum(nullptr);
    case Outcome::RejectCreatedChange:
        reject_created_change(cache, row.rel, decision.rejected_column);
    case Outcome::RejectDelete:
        reject_delete_without_deleted_at(row.rel, td->tg_trigger);
    case Outcome::RejectCascadeDelete:
        reject_cascaded_delete(row.rel);
    case Outcome::WriteRow:
        break;
    }

    HeapTuple result = row.new_tuple;
    if (decided.modifies_row)
        result = apply_actions(cache, row, decided, facts, &clock, gathered);
    if (row.event == RowEvent::Update)
        note_partition_update(cache, row.old_tuple, result, row.desc);
    return PointerGetDatum(result);
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_stamp(PG_FUNCTION_ARGS) {
    audit_fields::pg::begin_trigger_call();
    const Datum result = audit_fields::pg::guarded(
        "audit_fields.stamp", [fcinfo] { return audit_fields::pg::stamp(fcinfo); });
    audit_fields::pg::end_trigger_call();
    return result;
}
