#include <new>

#include "stamp_plan.h"

extern "C" {
#include "catalog/partition.h"
}

namespace audit_fields::pg {

namespace {

HTAB* plans = nullptr;

void invalidate_plans(Datum /*arg*/, Oid relid) {
    if (plans == nullptr)
        return;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, plans);
    while (auto* plan = static_cast<StampPlan*>(hash_seq_search(&status)))
        if (relid == InvalidOid || plan->relid == relid)
            plan->valid = false;
}

// The plan holds names derived from the schema (the soft delete's query text); renaming a schema
// does not touch its tables' relcache entries, so it invalidates every plan.
void invalidate_plans_on_schema_change(Datum arg, int /*cache_id*/, uint32 /*hash*/) {
    invalidate_plans(arg, InvalidOid);
}

void ensure_hash() {
    if (plans != nullptr)
        return;
    HASHCTL ctl;
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = sizeof(Oid);
    ctl.entrysize = sizeof(StampPlan);
    ctl.hcxt = CacheMemoryContext;
    plans =
        hash_create("audit_fields stamp plans", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
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

void prepare_actor_inputs(StampPlan* plan) {
    for (AuditColumn c : kAllAuditColumns) {
        const std::size_t i = index_of(c);
        ActorColumnCache& cache = plan->actors[i];
        memset(&cache, 0, sizeof(cache));
        if (kind_of(c) == ColumnKind::Timestamp || !plan->has(c))
            continue;
        Oid input_function;
        getTypeInputInfo(plan->columns[i].typid, &input_function, &cache.ioparam);
        fmgr_info_cxt(input_function, &cache.input, plan->memory);
    }
}

void rebuild(StampPlan* plan, Relation rel, const Trigger* trigger) {
    // soft_delete_plan/query are left alone: they live outside plan->memory and survive rebuilds
    // while the query text is unchanged, because a rebuild can happen inside the very UPDATE that
    // plan is executing (the soft delete re-enters this trigger).
    if (plan->memory != nullptr)
        MemoryContextDelete(plan->memory);
    plan->memory = nullptr;
    plan->valid = false;
    plan->relid = RelationGetRelid(rel);
    plan->memory =
        AllocSetContextCreate(CacheMemoryContext, "audit_fields stamp plan", ALLOCSET_SMALL_SIZES);

    PlainOptions options;
    parse_trigger_options(rel, trigger, &options);
    plan->policy = options.policy;
    resolve_columns(rel, options, false, plan->columns);
    prepare_actor_inputs(plan);
    plan->soft_delete_text = nullptr; // it lived in the deleted memory context
    plan->partition_root = InvalidOid;
    if (rel->rd_rel->relispartition) {
        List* ancestors = get_partition_ancestors(RelationGetRelid(rel));
        plan->partition_root = llast_oid(ancestors);
        list_free(ancestors);
    }
    plan->valid = true;
}

} // namespace

StampPlan* stamp_plan_for(Relation rel, const Trigger* trigger) {
    ensure_hash();
    bool found;
    auto* plan = static_cast<StampPlan*>(hash_search(plans, &trigger->tgoid, HASH_ENTER, &found));
    if (!found) {
        const Oid key = plan->trigger_oid;
        plan = new (plan) StampPlan{}; // dynahash hands out raw memory: value-initialise it
        plan->trigger_oid = key;
    }
    if (!plan->valid)
        rebuild(plan, rel, trigger);
    return plan;
}

void register_stamp_plan_invalidation() {
    CacheRegisterRelcacheCallback(invalidate_plans, (Datum)0);
    CacheRegisterSyscacheCallback(NAMESPACEOID, invalidate_plans_on_schema_change, (Datum)0);
}

} // namespace audit_fields::pg
