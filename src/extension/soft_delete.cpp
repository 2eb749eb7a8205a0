#include "soft_delete.h"

#include "actor.h"
#include "audit_clock.h"
#include "missing_actor_report.h"

namespace audit_fields::pg {

namespace {

// The query text depends only on the table's names, so it is made once per plan (re)build, in the
// plan's memory, instead of for every deleted row.
const char* soft_delete_query(StampPlan* plan, Relation rel) {
    if (plan->soft_delete_text != nullptr)
        return plan->soft_delete_text;
    const char* column = column_name(rel, plan->column(AuditColumn::DeletedAt));
    const char* table = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                                   RelationGetRelationName(rel));
    // The operator is schema-qualified so the caller's search_path cannot pick another "=".
    MemoryContext old = MemoryContextSwitchTo(plan->memory);
    plan->soft_delete_text =
        psprintf("UPDATE ONLY %s SET %s = $1 WHERE ctid OPERATOR(pg_catalog.=) $2", table,
                 quote_identifier(column));
    MemoryContextSwitchTo(old);
    return plan->soft_delete_text;
}

// Called while connected to SPI. The previous plan is freed only when its text or $1's type
// differs, which needs an ALTER TABLE, which cannot run while that plan is executing. (A kept plan
// with the old type would read a timestamp as a timestamptz: shifted by the UTC offset.)
SPIPlanPtr prepared_plan(StampPlan* plan, Relation rel) {
    const char* query = soft_delete_query(plan, rel);
    const Oid argtype = plan->column(AuditColumn::DeletedAt).typid;
    if (plan->soft_delete_plan != nullptr && strcmp(plan->soft_delete_query, query) == 0 &&
        plan->soft_delete_argtype == argtype)
        return plan->soft_delete_plan;
    Oid argtypes[2] = {argtype, TIDOID};
    SPIPlanPtr prepared = SPI_prepare(query, 2, argtypes);
    if (prepared == nullptr)
        elog(ERROR, "audit_fields: could not prepare soft delete: %s",
             SPI_result_code_string(SPI_result));
    SPI_keepplan(prepared);
    if (plan->soft_delete_plan != nullptr) {
        SPI_freeplan(plan->soft_delete_plan);
        pfree(plan->soft_delete_query);
    }
    plan->soft_delete_plan = prepared;
    plan->soft_delete_argtype = argtype;
    plan->soft_delete_query = MemoryContextStrdup(CacheMemoryContext, query);
    return prepared;
}

bool needs_actor(const StampPlan* plan) {
    return plan->has(AuditColumn::DeletedBy) || plan->has(AuditColumn::DeletedByName) ||
           plan->has(AuditColumn::UpdatedBy) || plan->has(AuditColumn::UpdatedByName);
}

} // namespace

void soft_delete_row(StampPlan* plan, Relation rel, HeapTuple row) {
    // Fail here, naming the DELETE, rather than inside the UPDATE it becomes.
    if (needs_actor(plan))
        (void)current_actor_text(plan, rel, RowEvent::Delete);
    const ResolvedColumn& column = plan->column(AuditColumn::DeletedAt);
    const Datum deleted_at = clock_datum(audit_now(), column.is_timestamptz, column.clock_typmod);
    Datum values[2] = {deleted_at, PointerGetDatum(&row->t_self)};

    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "audit_fields: SPI_connect failed");
    SPIPlanPtr prepared = prepared_plan(plan, rel);
    // The UPDATE's own missing-actor check must not count (or warn about) the DELETE twice.
    const Oid outer_soft_delete = begin_soft_delete(RelationGetRelid(rel));
    volatile int rc = 0;
    PG_TRY();
    { rc = SPI_execute_plan(prepared, values, nullptr, false, 0); }
    PG_FINALLY();
    { end_soft_delete(outer_soft_delete); }
    PG_END_TRY();
    if (rc != SPI_OK_UPDATE)
        elog(ERROR, "audit_fields: soft delete failed: %s", SPI_result_code_string(rc));
    SPI_finish();
}

} // namespace audit_fields::pg
