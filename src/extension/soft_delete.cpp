#include "soft_delete.h"

#include "actor.h"
#include "audit_clock.h"
#include "missing_actor_report.h"

namespace audit_fields::pg {

namespace {

// Called while connected to SPI. The statement is prepared on the first soft delete after the
// cache was built (its text and $1's type come from the table as it is now) and freed with the
// cache, never while a call that uses it is running (trigger_cache.h).
SPIPlanPtr soft_delete_statement(TriggerCache* cache) {
    SoftDeleteStatement& statement = cache->soft_delete;
    if (statement.plan != nullptr)
        return statement.plan;
    Oid argtypes[2] = {cache->layout.column(AuditColumn::DeletedAt).typid, TIDOID};
    SPIPlanPtr prepared = SPI_prepare(statement.text, 2, argtypes);
    if (prepared == nullptr)
        elog(ERROR, "audit_fields: could not prepare soft delete: %s",
             SPI_result_code_string(SPI_result));
    SPI_keepplan(prepared);
    statement.plan = prepared;
    return prepared;
}

bool needs_actor(const TriggerCache* cache) {
    const ColumnLayout& layout = cache->layout;
    return layout.has(AuditColumn::DeletedBy) || layout.has(AuditColumn::DeletedByName) ||
           layout.has(AuditColumn::UpdatedBy) || layout.has(AuditColumn::UpdatedByName);
}

} // namespace

void soft_delete_row(TriggerCache* cache, Relation rel, HeapTuple row) {
    // Fail here, naming the DELETE, rather than inside the UPDATE it becomes.
    if (needs_actor(cache))
        (void)current_actor_text(cache, rel, RowEvent::Delete);
    const ResolvedColumn& column = cache->layout.column(AuditColumn::DeletedAt);
    const Datum deleted_at = clock_datum(audit_now(), column.is_timestamptz, column.clock_typmod);
    Datum values[2] = {deleted_at, PointerGetDatum(&row->t_self)};

    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "audit_fields: SPI_connect failed");
    SPIPlanPtr prepared = soft_delete_statement(cache);
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
