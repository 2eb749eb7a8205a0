// audit_fields.planned_stamp(key, fallback) and
// audit_fields.planned_from_old(key, fallback, old_a, old_b): the values the row trigger would
// write, computed in the plan (planner_stamping.h). The key names the trigger and the call
// (planned_call_key()). The rewrite passes the statement's own value as `fallback`, returned
// where the trigger would not fire: with audit_fields.enabled off, and under
// session_replication_role = replica.
//
// Per row they cost a comparison or two (fast_value(), before any C++/PostgreSQL boundary is
// set up): the call site (fn_extra) keeps the column's type facts, the clock converted for the
// last time read and the actor converted while the settings stay the same. Anything else (the
// table's options, the missing-actor policy, conversion errors naming the column) goes through the
// trigger's own code (trigger_cache.h, actor.h, audit_clock.h) on the slow path.
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

constexpr int kFallbackArg = 1;
constexpr int kOldArgs[] = {2, 3}; // planned_from_old(): OLD's stamps, or OLD's value and NULL

struct PlannedSite {
    Oid trigger_oid;
    Oid relid;
    PlannedCall call;
    bool from_old;
    bool typbyval;
    int16 typlen;
    bool is_timestamptz;
    int32 clock_typmod;
    // The clock as the column's value, for the time and time zone it was converted at.
    bool clock_valid;
    TimestampTz now;
    const void* zone;
    Datum clock;
    // The actor as the column's value, while the settings stay as they were
    // (actor_text_generation() changes with any change to the actor, its name or who may set it).
    bool actor_valid;
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

// The trigger's cache, opening its table only when the cache is not current.
template <typename Use> void with_trigger_cache(Oid trigger_oid, Oid relid, Use&& use) {
    TriggerCache* cache = current_trigger_cache(trigger_oid);
    if (cache != nullptr && (relid == InvalidOid || cache->relid == relid)) {
        use(cache, static_cast<Relation>(nullptr));
        return;
    }
    if (relid == InvalidOid)
        relid = trigger_table(trigger_oid);
    if (relid == InvalidOid)
        refuse_call("not the table's audit_fields trigger");
    Relation rel = relation_open(relid, AccessShareLock);
    use(trigger_cache_of(rel, find_trigger(rel, trigger_oid)), rel);
    relation_close(rel, NoLock);
}

// Set up once per call site, which is once per execution of a prepared statement.
PlannedSite* site_of(FunctionCallInfo fcinfo, bool from_old) {
    auto* site = static_cast<PlannedSite*>(fcinfo->flinfo->fn_extra);
    if (site != nullptr)
        return site;
    if (PG_ARGISNULL(0))
        refuse_call("the key is NULL");
    PlannedSite fresh{};
    if (!split_planned_call_key(PG_GETARG_INT64(0), &fresh.trigger_oid, &fresh.call) ||
        needs_old(fresh.call) != from_old)
        refuse_call("unknown column code");
    fresh.from_old = from_old;
    with_trigger_cache(fresh.trigger_oid, InvalidOid, [&](TriggerCache* cache, Relation) {
        const ResolvedColumn& col = cache->layout.column(fresh.call.column);
        if (col.attnum == InvalidAttrNumber || get_fn_expr_rettype(fcinfo->flinfo) != col.typid)
            refuse_call("the column's type does not match");
        fresh.relid = cache->relid;
        fresh.typbyval = col.typbyval;
        fresh.typlen = col.typlen;
        fresh.is_timestamptz = col.is_timestamptz;
        fresh.clock_typmod = col.clock_typmod;
    });
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

// UPDATE's clock: never earlier than OLD's created_at/updated_at of the same type (old_a, old_b),
// as the trigger's SetLatestOldStamp.
Datum clock_after_old(FunctionCallInfo fcinfo, Datum clock) {
    bool have_latest = false;
    Timestamp latest = 0;
    for (int arg : kOldArgs) {
        if (PG_ARGISNULL(arg))
            continue;
        const Timestamp old = PG_GETARG_TIMESTAMP(arg);
        if (!have_latest || old > latest)
            latest = old;
        have_latest = true;
    }
    return have_latest && DatumGetTimestamp(clock) < latest ? TimestampGetDatum(latest) : clock;
}

bool actor_is_set() {
    return settings.actor != nullptr && settings.actor[0] != '\0';
}

// Remembers a set actor's value in the call site's memory: the cache's copy may be replaced
// during the statement. A missing actor is not remembered: it is counted and warned about on
// every row, and the value written instead (session_user) is copied into the row's own memory,
// which the executor resets for the next row (in the call site's, every row would add a copy).
Datum remember_actor(FunctionCallInfo fcinfo, PlannedSite* site, uint64 generation,
                     Datum converted) {
    if (!actor_is_set())
        return datumCopy(converted, site->typbyval, site->typlen);
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    const Datum kept = datumCopy(converted, site->typbyval, site->typlen);
    MemoryContextSwitchTo(old);
    if (site->actor_valid && !site->typbyval)
        pfree(DatumGetPointer(site->actor));
    site->actor_valid = true;
    site->actor = kept;
    site->generation = generation;
    return kept;
}

// The trigger's own missing-actor policy, setter check and conversion.
Datum actor_of(FunctionCallInfo fcinfo, PlannedSite* site) {
    if (site->call.missing == MissingActorRole::Defers && !actor_is_set()) {
        fcinfo->isnull = PG_ARGISNULL(kFallbackArg);
        return PG_GETARG_DATUM(kFallbackArg);
    }
    Datum result = (Datum)0;
    bool null = false;
    with_trigger_cache(site->trigger_oid, site->relid, [&](TriggerCache* cache, Relation rel) {
        // A set actor the trigger's cache already converted for this column, as it is after the
        // first execution of a prepared statement: no table to open.
        const ActorValue& known = cache->actors[index_of(site->call.column)];
        const uint64 generation = actor_text_generation();
        const char* source = site->call.value == PlannedValue::ActorName &&
                                     settings.actor_name != nullptr &&
                                     settings.actor_name[0] != '\0'
                                 ? settings.actor_name
                                 : settings.actor;
        if (rel == nullptr && actor_is_set() && known.text != nullptr && known.source == source &&
            known.generation == generation) {
            verify_actor_setter();
            result = remember_actor(fcinfo, site, generation, known.value);
            return;
        }
        bool opened = false;
        if (rel == nullptr) {
            rel = relation_open(site->relid, AccessShareLock);
            opened = true;
        }
        const ActorText actor = current_actor_text(cache, rel, site->call.event,
                                                   site->call.missing == MissingActorRole::Counts);
        const char* text = site->call.value == PlannedValue::Actor ? actor.actor : actor.name;
        if (text == nullptr) {
            null = true;
        } else {
            // The trigger converts in logical column order: the columns before this one first,
            // so a value that fits none of them is reported for the same column.
            for (AuditColumn earlier : kAllAuditColumns) {
                if (earlier == site->call.column)
                    break;
                if ((site->call.actor_columns & (1u << index_of(earlier))) != 0)
                    (void)actor_datum(
                        cache, earlier,
                        kind_of(earlier) == ColumnKind::Actor ? actor.actor : actor.name, rel);
            }
            result = remember_actor(fcinfo, site, generation,
                                    actor_datum(cache, site->call.column, text, rel));
        }
        if (opened)
            relation_close(rel, NoLock);
    });
    fcinfo->isnull = null;
    return result;
}

Datum planned_value(FunctionCallInfo fcinfo, bool from_old) {
    if (!trigger_would_fire()) {
        fcinfo->isnull = PG_ARGISNULL(kFallbackArg);
        return PG_GETARG_DATUM(kFallbackArg);
    }
    PlannedSite* site = site_of(fcinfo, from_old);
    switch (site->call.value) {
    case PlannedValue::Clock:
        return from_old ? clock_after_old(fcinfo, clock_of(site)) : clock_of(site);
    case PlannedValue::Null:
        fcinfo->isnull = true;
        return (Datum)0;
    case PlannedValue::Old:
        fcinfo->isnull = PG_ARGISNULL(kOldArgs[0]);
        return PG_GETARG_DATUM(kOldArgs[0]);
    case PlannedValue::Actor:
    case PlannedValue::ActorName:
        if (site->actor_valid && site->generation == actor_text_generation())
            return site->actor;
        return actor_of(fcinfo, site);
    case PlannedValue::Statement:
        break;
    }
    refuse_call("unknown column code");
}

// Every row after a call site's first: the value it computed, while the clock and the settings
// read the same. Raises nothing and calls into nothing that could.
inline bool fast_value(FunctionCallInfo fcinfo, Datum* value) {
    const auto* site = static_cast<const PlannedSite*>(fcinfo->flinfo->fn_extra);
    if (site == nullptr || !trigger_would_fire())
        return false;
    switch (site->call.value) {
    case PlannedValue::Clock: {
        const ClockSource source = clock_source();
        if (source == ClockSource::Clock || !site->clock_valid || site->zone != session_timezone)
            return false;
        const TimestampTz now = source == ClockSource::Transaction
                                    ? GetCurrentTransactionStartTimestamp()
                                    : GetCurrentStatementStartTimestamp();
        if (now != site->now)
            return false;
        *value = site->from_old ? clock_after_old(fcinfo, site->clock) : site->clock;
        return true;
    }
    case PlannedValue::Actor:
    case PlannedValue::ActorName:
        if (!site->actor_valid || site->generation != actor_text_generation())
            return false;
        *value = site->actor;
        return true;
    default:
        return false;
    }
}

template <bool FromOld> Datum planned_entry(FunctionCallInfo fcinfo, const char* where) {
    Datum value;
    if (fast_value(fcinfo, &value))
        return value;
    begin_trigger_call();
    value = guarded(where, [fcinfo] { return planned_value(fcinfo, FromOld); });
    end_trigger_call();
    return value;
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_planned_stamp(PG_FUNCTION_ARGS) {
    return audit_fields::pg::planned_entry<false>(fcinfo, "audit_fields.planned_stamp");
}

Datum audit_fields_planned_from_old(PG_FUNCTION_ARGS) {
    return audit_fields::pg::planned_entry<true>(fcinfo, "audit_fields.planned_from_old");
}
