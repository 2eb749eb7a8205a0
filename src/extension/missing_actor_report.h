// missing_actor = warn: the WARNING and the counting behind audit_fields.missing_actor_report.
//
// A miss is counted in backend-local memory (no SPI, no catalog access, no lock per row). The
// counts reach the table audit_fields.missing_actor_misses at the commit of a transaction that
// missed an actor (at most once per audit_fields.missing_actor_flush_interval, and at once for a
// (table, operation, role, application) the backend has not written before; never from a
// serializable or read-only transaction), and when the session ends. Each backend writes only rows
// keyed by its own backend number, so two writers never touch the same row and never wait on each
// other; the view adds the backends up.
#pragma once

#include "trigger_cache.h"

#include "pg.h"

namespace audit_fields::pg {

// "INSERT", "UPDATE", "DELETE (soft delete)": the operation as messages name it.
const char* operation_name(RowEvent event);

// Counts one row written without an actor under missing_actor = warn, and warns the client once
// per statement and table. Partitions count as the partitioned table that was enabled.
void note_missing_actor(const TriggerCache* cache, Relation rel, RowEvent event);

// The UPDATE a soft delete runs on `relid` is the DELETE's own work: its miss was counted (and
// warned about) as the DELETE. Returns the previous value, to hand back to end_soft_delete().
Oid begin_soft_delete(Oid relid);
void end_soft_delete(Oid previous);

// The report table audit_fields.missing_actor_misses and its owner, or InvalidOid when the
// installed SQL predates it (a new library with an extension not yet updated).
Oid missing_actor_report_table(Oid* owner);

// Runs what follows as the report table's owner, in a restricted security context, with
// search_path pinned to pg_catalog, pg_temp (the report's writes and its reset). end_as_owner()
// undoes it; an error in between is undone by the transaction's abort.
struct AsOwner {
    Oid saved_user;
    int saved_context;
    int guc_level;
};
AsOwner begin_as_owner(Oid owner);
void end_as_owner(const AsOwner& state);

// Registers the transaction callback that writes the counts; called once from _PG_init.
void register_missing_actor_report();

} // namespace audit_fields::pg
