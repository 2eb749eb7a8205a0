// audit_fields.planned_stamp(trigger, table, what, fallback) and
// audit_fields.planned_from_old(trigger, table, what, fallback, old_a, old_b): the values the row
// trigger would write, computed in the plan (planner_stamping.h). The rewrite passes the
// statement's own value as `fallback`, returned where the trigger would not fire: with
// audit_fields.enabled off, and under session_replication_role = replica.
//
// Per row they cost a comparison or two: the call site (fn_extra) keeps the column's type facts,
// the clock converted for the last time read and the actor converted for the last text. Anything
// else (the table's options, the missing-actor policy, conversion errors naming the column) goes
// through the trigger's own code (trigger_cache.h, actor.h, audit_clock.h) on the slow path.
#include "planner_stamping.h"

#include "actor.h"
#include "audit_clock.h"
#include "boundary.h"
#include "settings.h"

extern "C" {
#include "access/relation.h"
}

extern "C" {
PG_FUNCTION_INFO_V1(audit_fields_planned_stamp);
PG_FUNCTION_INFO_V1(audit_fields_planned_from_old);
PGDLLEXPORT Datum audit_fields_planned_stamp(PG_FUNCTION_ARGS);
PGDLLEXPORT Datum audit_fields_planned_from_old(PG_FUNCTION_ARGS);
}

namespace audit_fields::pg {

namespace {

struct PlannedSite {
    Oid trigger_oid;
    Oid relid;
    PlannedCall call;
    Oid typid;
    bool typbyval;
    int16 typlen;
    bool is_timestamptz;
    int32 clock_typmod;
    // The clock as the column's value, for the time and time zone it was converted at.
    bool clock_valid;
    TimestampTz now;
    const void* zone;
    Datum clock;
    // The actor as the column's value, for the setting it came from, while it is unchanged.
    bool actor_valid;
    const char* source;
    uint64 generation;
    Datum actor;
};

[[noreturn]] void refuse_call(const char* why) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("audit_fields: planned_stamp() and planned_from_old() are written by "
                           "planner stamping, not called directly: %s",
                           why)));
}

// The table's audit_fields trigger with this OID, the relation opened (and locked) by the caller.
const Trigger* find_trigger(Relation rel, Oid trigger_oid) {
    const Trigger* trigger = plannable_audit_trigger(rel);
    if (trigger == nullptr || trigger->tgoid != trigger_oid)
        refuse_call("not the table's audit_fields trigger");
    return trigger;
}

void describe_column(PlannedSite* site, const TriggerCache* cache, FunctionCallInfo fcinfo) {
    const ResolvedColumn& col = cache->layout.column(site->call.column);
    if (col.attnum == InvalidAttrNumber || get_fn_expr_rettype(fcinfo->flinfo) != col.typid)
        refuse_call("the column's type does not match");
    site->typid = col.typid;
    site->typbyval = col.typbyval;
    site->typlen = col.typlen;
    site->is_timestamptz = col.is_timestamptz;
    site->clock_typmod = col.clock_typmod;
}

// Set up once per call site, which is once per execution of a prepared statement: from the
// trigger's current cache when there is one, else by opening the table.
PlannedSite* site_of(FunctionCallInfo fcinfo, bool from_old) {
    auto* site = static_cast<PlannedSite*>(fcinfo->flinfo->fn_extra);
    if (site != nullptr)
        return site;
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
        refuse_call("an argument is NULL");
    PlannedSite fresh{};
    fresh.trigger_oid = PG_GETARG_OID(0);
    fresh.relid = PG_GETARG_OID(1);
    if (!decode_planned_call(PG_GETARG_INT32(2), &fresh.call) || needs_old(fresh.call) != from_old)
        refuse_call("unknown column code");
    const TriggerCache* cache = current_trigger_cache(fresh.trigger_oid);
    if (cache != nullptr && cache->relid == fresh.relid) {
        describe_column(&fresh, cache, fcinfo);
    } else {
        Relation rel = relation_open(fresh.relid, AccessShareLock);
        describe_column(&fresh, trigger_cache_of(rel, find_trigger(rel, fresh.trigger_oid)),
                        fcinfo);
        relation_close(rel, NoLock);
    }
    site =
        static_cast<PlannedSite*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(PlannedSite)));
    *site = fresh;
    fcinfo->flinfo->fn_extra = site;
    return site;
}

// The trigger does nothing in these sessions, so neither do its planned values.
bool trigger_would_fire() {
    return settings.enabled && SessionReplicationRole != SESSION_REPLICATION_ROLE_REPLICA;
}

// audit_fields.clock = 'clock' reads the time once per row in the trigger, so every stamp of a
// row agrees (created_at = updated_at on INSERT). A row's planned clock calls come one after the
// other, one per column: a reading is shared until a column asks a second time, which starts the
// next row.
struct RowClock {
    Oid trigger_oid;
    RowEvent event;
    uint16 columns; // read since the reading, as bits of index_of()
    TimestampTz reading;
};
RowClock row_clock{InvalidOid, RowEvent::Insert, 0, 0};

TimestampTz clock_for_row(const PlannedSite* site) {
    if (clock_source() != ClockSource::Clock)
        return audit_now();
    const uint16 column = static_cast<uint16>(1u << index_of(site->call.column));
    if (row_clock.trigger_oid != site->trigger_oid || row_clock.event != site->call.event ||
        (row_clock.columns & column) != 0) {
        row_clock = {site->trigger_oid, site->call.event, 0, audit_now()};
    }
    row_clock.columns |= column;
    return row_clock.reading;
}

Datum clock_of(PlannedSite* site) {
    const TimestampTz now = clock_for_row(site);
    if (!site->clock_valid || site->now != now || site->zone != session_timezone) {
        site->clock = clock_datum(now, site->is_timestamptz, site->clock_typmod);
        site->now = now;
        site->zone = session_timezone;
        site->clock_valid = true;
    }
    return site->clock;
}

// The setting a set actor's text comes from (the name falls back to the actor, as in the
// trigger); nullptr when no actor is set.
const char* actor_source(const PlannedSite* site) {
    if (settings.actor == nullptr || settings.actor[0] == '\0')
        return nullptr;
    if (site->call.value == PlannedValue::ActorName && settings.actor_name != nullptr &&
        settings.actor_name[0] != '\0')
        return settings.actor_name;
    return settings.actor;
}

// Remembers a set actor's value in the call site's memory: the cache's copy may be replaced
// during the statement.
Datum remember_actor(FunctionCallInfo fcinfo, PlannedSite* site, const char* text,
                     uint64 generation, Datum converted) {
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    const Datum kept = datumCopy(converted, site->typbyval, site->typlen);
    MemoryContextSwitchTo(old);
    if (site->actor_valid && !site->typbyval)
        pfree(DatumGetPointer(site->actor));
    site->actor_valid = false;
    // Only a set actor is remembered: a missing one is counted and warned about on every row.
    if (text == actor_source(site)) {
        site->actor = kept;
        site->source = text;
        site->generation = generation;
        site->actor_valid = true;
    }
    return kept;
}

// A set actor that the trigger's cache already converted for this column (the usual case for a
// prepared statement's next execution): no table to open. nullptr when the slow path must run.
bool actor_from_cache(FunctionCallInfo fcinfo, PlannedSite* site, Datum* value) {
    const char* text = actor_source(site);
    TriggerCache* cache = text != nullptr ? current_trigger_cache(site->trigger_oid) : nullptr;
    if (cache == nullptr || cache->relid != site->relid)
        return false;
    const ActorValue& known = cache->actors[index_of(site->call.column)];
    const uint64 generation = actor_text_generation();
    if (known.text == nullptr || known.source != text || known.generation != generation)
        return false;
    verify_actor_setter();
    *value = remember_actor(fcinfo, site, text, generation, known.value);
    return true;
}

// Slow path: the trigger's own missing-actor policy and conversion.
Datum actor_slow(FunctionCallInfo fcinfo, PlannedSite* site) {
    Datum cached;
    if (actor_from_cache(fcinfo, site, &cached))
        return cached;
    if (site->call.missing == MissingActorRole::Defers && actor_source(site) == nullptr) {
        fcinfo->isnull = PG_ARGISNULL(3);
        return PG_GETARG_DATUM(3);
    }
    Relation rel = relation_open(site->relid, AccessShareLock);
    TriggerCache* cache = trigger_cache_of(rel, find_trigger(rel, site->trigger_oid));
    const ActorText actor = current_actor_text(cache, rel, site->call.event,
                                               site->call.missing == MissingActorRole::Counts);
    const char* text = site->call.value == PlannedValue::Actor ? actor.actor : actor.name;
    if (text == nullptr) {
        relation_close(rel, NoLock);
        fcinfo->isnull = true;
        return (Datum)0;
    }
    const uint64 generation = actor_text_generation();
    // The trigger converts in logical column order: the columns before this one first, so a value
    // that fits none of them is reported for the same column.
    for (AuditColumn earlier : kAllAuditColumns) {
        if (earlier == site->call.column)
            break;
        if ((site->call.actor_columns & (1u << index_of(earlier))) != 0)
            (void)actor_datum(cache, earlier,
                              kind_of(earlier) == ColumnKind::Actor ? actor.actor : actor.name,
                              rel);
    }
    const Datum converted = actor_datum(cache, site->call.column, text, rel);
    relation_close(rel, NoLock);
    return remember_actor(fcinfo, site, text, generation, converted);
}

// UPDATE's clock: never earlier than OLD's created_at/updated_at of the same type (old_a, old_b),
// as the trigger's SetLatestOldStamp.
Datum clock_after_old(FunctionCallInfo fcinfo, Datum clock) {
    bool have_latest = false;
    Timestamp latest = 0;
    for (int arg : {4, 5}) {
        if (PG_ARGISNULL(arg))
            continue;
        const Timestamp old = PG_GETARG_TIMESTAMP(arg);
        if (!have_latest || old > latest)
            latest = old;
        have_latest = true;
    }
    return have_latest && DatumGetTimestamp(clock) < latest ? TimestampGetDatum(latest) : clock;
}

Datum planned_value(FunctionCallInfo fcinfo, bool from_old) {
    if (!trigger_would_fire()) {
        fcinfo->isnull = PG_ARGISNULL(3);
        return PG_GETARG_DATUM(3);
    }
    PlannedSite* site = site_of(fcinfo, from_old);
    switch (site->call.value) {
    case PlannedValue::Clock:
        return from_old ? clock_after_old(fcinfo, clock_of(site)) : clock_of(site);
    case PlannedValue::Null:
        fcinfo->isnull = true;
        return (Datum)0;
    case PlannedValue::Old:
        fcinfo->isnull = PG_ARGISNULL(4);
        return PG_GETARG_DATUM(4);
    case PlannedValue::Actor:
    case PlannedValue::ActorName:
        if (site->actor_valid && site->generation == actor_text_generation() &&
            site->source == actor_source(site))
            return site->actor;
        return actor_slow(fcinfo, site);
    case PlannedValue::Statement:
        break;
    }
    refuse_call("unknown column code");
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_planned_stamp(PG_FUNCTION_ARGS) {
    audit_fields::pg::begin_trigger_call();
    const Datum result = audit_fields::pg::guarded("audit_fields.planned_stamp", [fcinfo] {
        return audit_fields::pg::planned_value(fcinfo, false);
    });
    audit_fields::pg::end_trigger_call();
    return result;
}

Datum audit_fields_planned_from_old(PG_FUNCTION_ARGS) {
    audit_fields::pg::begin_trigger_call();
    const Datum result = audit_fields::pg::guarded("audit_fields.planned_from_old", [fcinfo] {
        return audit_fields::pg::planned_value(fcinfo, true);
    });
    audit_fields::pg::end_trigger_call();
    return result;
}
