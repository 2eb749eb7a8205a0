#include "trigger_cache.h"

#include "blob_hash.h"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/partition.h"
#include "catalog/pg_trigger.h"
#include "utils/fmgroids.h"
}

namespace audit_fields::pg {

namespace {

struct CacheEntry {
    Oid trigger_oid; // hash key
    bool valid;      // false: rebuild on next use; removed by the next sweep if not used again
    Oid relid;
    uint32 namespace_hash; // the table's schema, as pg_namespace's syscache hashes it
    TriggerCache* cache;   // nullptr until built
};

// The trigger's FmgrInfo lives as long as the statement's result relation: fn_extra remembers the
// cache for the next rows without a hash lookup, for as long as no entry went stale (epoch).
struct CallSite {
    Oid trigger_oid;
    uint64 epoch;
    TriggerCache* cache;
};

HTAB* entries = nullptr;
// Bumped whenever an entry goes stale, so every CallSite looks its cache up again.
uint64 epoch = 1;
// Trigger calls running in this backend. An error skips end_trigger_call(), so the count is
// reset at the end of every transaction; until then it is too high, which only delays freeing.
int running_calls = 0;
bool sweep_pending = false;
// Caches replaced while a call might still use them, linked through retired_next, freed by the
// next sweep.
TriggerCache* retired = nullptr;

void free_cache(TriggerCache* cache) {
    if (cache->soft_delete.plan != nullptr) {
        SPIPlanPtr plan = cache->soft_delete.plan;
        cache->soft_delete.plan = nullptr;
        SPI_freeplan(plan);
    }
    MemoryContextDelete(cache->memory);
}

void retire(TriggerCache* cache) {
    cache->retired_next = retired;
    retired = cache;
    sweep_pending = true;
}

// Frees replaced caches and removes stale entries (their tables were altered or dropped; one that
// is used again is simply rebuilt). Only while no trigger call is running.
void sweep() {
    sweep_pending = false;
    while (retired != nullptr) {
        TriggerCache* cache = retired;
        retired = cache->retired_next; // unlinked before anything that could fail
        free_cache(cache);
    }
    if (entries == nullptr)
        return;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, entries);
    while (auto* entry = static_cast<CacheEntry*>(hash_seq_search(&status))) {
        if (entry->valid)
            continue;
        TriggerCache* cache = entry->cache;
        hash_search(entries, &entry->trigger_oid, HASH_REMOVE, nullptr); // allowed mid-scan
        if (cache != nullptr)
            free_cache(cache);
    }
}

// Bumps the epoch even for an entry that is not valid: it may be being rebuilt right now, and
// lookup() keeps the rebuilt cache only if no invalidation arrived during the build.
void mark_stale(CacheEntry* entry) {
    ++epoch;
    if (!entry->valid)
        return;
    entry->valid = false;
    sweep_pending = true;
}

void invalidate_relation(Datum /*arg*/, Oid relid) {
    if (entries == nullptr)
        return;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, entries);
    while (auto* entry = static_cast<CacheEntry*>(hash_seq_search(&status)))
        if (relid == InvalidOid || entry->relid == relid)
            mark_stale(entry);
}

// The soft delete's text names the table's schema, and renaming a schema touches none of its
// tables' relcache entries: entries in that schema only (hash 0 means every schema).
void invalidate_schema(Datum /*arg*/, int /*cache_id*/, uint32 hash) {
    if (entries == nullptr)
        return;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, entries);
    while (auto* entry = static_cast<CacheEntry*>(hash_seq_search(&status)))
        if (hash == 0 || entry->namespace_hash == hash)
            mark_stale(entry);
}

void reset_running_calls(XactEvent event, void* /*arg*/) {
    switch (event) {
    case XACT_EVENT_COMMIT:
    case XACT_EVENT_ABORT:
    case XACT_EVENT_PARALLEL_COMMIT:
    case XACT_EVENT_PARALLEL_ABORT:
    case XACT_EVENT_PREPARE:
        running_calls = 0;
        break;
    default:
        break;
    }
}

void ensure_hash() {
    if (entries == nullptr)
        entries = create_blob_hash("audit_fields trigger caches", 64, sizeof(Oid),
                                   sizeof(CacheEntry), CacheMemoryContext);
}

void parse_trigger_options(Relation rel, const Trigger* trigger, PlainOptions* options) {
    char error[kMessageLen];
    if (!parse_options(trigger->tgargs, trigger->tgnargs, options, error, sizeof(error)))
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                 errmsg("audit_fields: invalid argument to trigger \"%s\" on table \"%s\": %s",
                        trigger->tgname, qualified_name(rel), error),
                 errhint("Create the trigger with audit_fields.enable() rather than by hand.")));
}

void prepare_actor_inputs(TriggerCache* cache) {
    for (AuditColumn c : kAllAuditColumns) {
        if (kind_of(c) == ColumnKind::Timestamp || !cache->layout.has(c))
            continue;
        ActorValue& actor = cache->actors[index_of(c)];
        Oid input_function;
        getTypeInputInfo(cache->layout.column(c).typid, &input_function, &actor.ioparam);
        fmgr_info_cxt(input_function, &actor.input, cache->memory);
    }
}

void order_by_attnum(ColumnLayout* layout) {
    layout->present = 0;
    for (AuditColumn c : kAllAuditColumns) {
        if (!layout->has(c))
            continue;
        int i = layout->present++;
        for (; i > 0 && layout->column(layout->by_attnum[i - 1]).attnum > layout->column(c).attnum;
             --i)
            layout->by_attnum[i] = layout->by_attnum[i - 1];
        layout->by_attnum[i] = c;
    }
}

// True when no BEFORE UPDATE row trigger sorts before this one (triggers fire in name order).
bool first_before_update_trigger(Relation rel, const Trigger* trigger) {
    const TriggerDesc* desc = rel->trigdesc;
    if (desc == nullptr)
        return false;
    for (int i = 0; i < desc->numtriggers; ++i) {
        const Trigger& t = desc->triggers[i];
        if (t.tgoid == trigger->tgoid)
            return true;
        if (TRIGGER_TYPE_MATCHES(t.tgtype, TRIGGER_TYPE_ROW, TRIGGER_TYPE_BEFORE,
                                 TRIGGER_TYPE_UPDATE))
            return false;
    }
    return false;
}

// The table whose trigger this one was cloned from, following pg_trigger.tgparentid up to the
// trigger that enable() created; the trigger's own table when it is not a clone.
Oid enabled_table(Relation rel, const Trigger* trigger) {
    Oid relid = RelationGetRelid(rel);
    if (!trigger->tgisclone)
        return relid;
    Relation triggers = table_open(TriggerRelationId, AccessShareLock);
    for (Oid next = trigger->tgoid; OidIsValid(next);) {
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_trigger_oid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(next));
        SysScanDesc scan = systable_beginscan(triggers, TriggerOidIndexId, true, nullptr, 1, &key);
        HeapTuple tuple = systable_getnext(scan);
        next = InvalidOid;
        if (HeapTupleIsValid(tuple)) {
            const auto* row = reinterpret_cast<Form_pg_trigger>(GETSTRUCT(tuple));
            relid = row->tgrelid;
            next = row->tgparentid;
        }
        systable_endscan(scan);
    }
    table_close(triggers, AccessShareLock);
    return relid;
}

// "UPDATE ONLY schema.table SET deleted_at = $1 WHERE ctid = $2". The operator is
// schema-qualified so the caller's search_path cannot pick another "=".
const char* soft_delete_text(Relation rel, const ColumnLayout& layout) {
    const char* column = column_name(rel, layout.column(AuditColumn::DeletedAt));
    const char* table = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                                   RelationGetRelationName(rel));
    return psprintf("UPDATE ONLY %s SET %s = $1 WHERE ctid OPERATOR(pg_catalog.=) $2", table,
                    quote_identifier(column));
}

// Builds a complete cache in a new memory context. Until it is complete the context belongs to
// the caller's (per-row) context, so an error frees it with everything in it.
TriggerCache* build(Relation rel, const Trigger* trigger) {
    MemoryContext memory = AllocSetContextCreate(CurrentMemoryContext, "audit_fields trigger cache",
                                                 ALLOCSET_SMALL_SIZES);
    MemoryContext caller = MemoryContextSwitchTo(memory);
    auto* cache = static_cast<TriggerCache*>(palloc0(sizeof(TriggerCache)));
    cache->trigger_oid = trigger->tgoid;
    cache->relid = RelationGetRelid(rel);
    cache->memory = memory;

    PlainOptions options;
    parse_trigger_options(rel, trigger, &options);
    cache->policy = options.policy;
    resolve_columns(rel, options, false, cache->layout.columns);
    order_by_attnum(&cache->layout);
    for (const ResolvedColumn& col : cache->layout.columns)
        if (col.attnum != InvalidAttrNumber)
            cache->audit_columns = bms_add_member(cache->audit_columns,
                                                  col.attnum - FirstLowInvalidHeapAttributeNumber);
    prepare_actor_inputs(cache);
    cache->partition_root = InvalidOid;
    if (rel->rd_rel->relispartition) {
        List* ancestors = get_partition_ancestors(RelationGetRelid(rel));
        cache->partition_root = llast_oid(ancestors);
        list_free(ancestors);
    }
    cache->enabled_relid = enabled_table(rel, trigger);
    cache->updated_columns_exact = first_before_update_trigger(rel, trigger);
    if (cache->policy.soft_delete && cache->layout.has(AuditColumn::DeletedAt))
        cache->soft_delete.text = soft_delete_text(rel, cache->layout);

    MemoryContextSwitchTo(caller);
    MemoryContextSetParent(memory, CacheMemoryContext);
    return cache;
}

TriggerCache* lookup(Relation rel, const Trigger* trigger, bool* settled) {
    ensure_hash();
    bool found;
    auto* entry =
        static_cast<CacheEntry*>(hash_search(entries, &trigger->tgoid, HASH_ENTER, &found));
    if (!found) { // every field set before anything can fail: callbacks read them
        entry->valid = false;
        entry->cache = nullptr;
        entry->relid = RelationGetRelid(rel);
        entry->namespace_hash = 0;
    }
    *settled = true;
    if (entry->valid)
        return entry->cache;

    const uint64 before = epoch;
    TriggerCache* fresh = build(rel, trigger);
    // The build may have processed invalidations; `entry` stays where it is (nothing is removed
    // while a call runs). One for this trigger would have found it not yet valid: the next call
    // rebuilds again rather than trust a cache built from what may just have changed.
    TriggerCache* previous = entry->cache;
    entry->cache = fresh;
    entry->relid = RelationGetRelid(rel);
    entry->namespace_hash =
        GetSysCacheHashValue1(NAMESPACEOID, ObjectIdGetDatum(RelationGetNamespace(rel)));
    entry->valid = epoch == before;
    *settled = entry->valid;
    if (previous != nullptr)
        retire(previous);
    return fresh;
}

} // namespace

TriggerCache* trigger_cache_for(FunctionCallInfo fcinfo, Relation rel, const Trigger* trigger) {
    auto* site = static_cast<CallSite*>(fcinfo->flinfo->fn_extra);
    if (site != nullptr && site->epoch == epoch && site->trigger_oid == trigger->tgoid)
        return site->cache;
    if (sweep_pending && running_calls == 1)
        sweep();
    bool settled;
    TriggerCache* cache = lookup(rel, trigger, &settled);
    if (site == nullptr) {
        site = static_cast<CallSite*>(
            MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallSite)));
        fcinfo->flinfo->fn_extra = site;
    }
    site->trigger_oid = trigger->tgoid;
    site->epoch = settled ? epoch : 0; // 0: look up again on the next row
    site->cache = cache;
    return cache;
}

TriggerCache* trigger_cache_of(Relation rel, const Trigger* trigger) {
    bool settled;
    return lookup(rel, trigger, &settled);
}

TriggerCache* current_trigger_cache(Oid trigger_oid) {
    if (entries == nullptr)
        return nullptr;
    auto* entry = static_cast<CacheEntry*>(hash_search(entries, &trigger_oid, HASH_FIND, nullptr));
    return entry != nullptr && entry->valid ? entry->cache : nullptr;
}

void begin_trigger_call() {
    ++running_calls;
}

void end_trigger_call() {
    if (running_calls > 0)
        --running_calls;
}

void register_trigger_cache_callbacks() {
    CacheRegisterRelcacheCallback(invalidate_relation, (Datum)0);
    CacheRegisterSyscacheCallback(NAMESPACEOID, invalidate_schema, (Datum)0);
    RegisterXactCallback(reset_running_calls, nullptr);
}

} // namespace audit_fields::pg
