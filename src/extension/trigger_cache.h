// What the trigger knows about one audit_fields trigger on one table, resolved once: the parsed
// options, the column layout (attribute numbers and types of the audit columns), the actor values
// already converted to the columns' types, and the soft delete's statement. Nothing is looked up
// in the catalogs per row.
//
// Lifecycle (trigger_cache.cpp):
// - Entries live in a backend-local hash keyed by the trigger's OID. A relcache callback marks the
//   entries of a changed table stale (ALTER TABLE, CREATE/DROP TRIGGER, DROP TABLE); a pg_namespace
//   callback marks only the entries of the renamed schema stale (the soft delete's text names it).
// - A stale entry is rebuilt on its next use: the new TriggerCache is built in a fresh memory
//   context that belongs to the current transaction until it is complete, then swapped in. An
//   error half-way leaves the old one in place and leaks nothing.
// - A replaced cache, and the entries of tables that are gone, are freed only when no trigger call
//   is running in this backend (a soft delete runs an UPDATE that re-enters the trigger while the
//   outer call still uses its cache), so no call ever sees its cache freed under it.
#pragma once

#include "column_resolver.h" // first: it brings the core headers before pg.h
#include "core_bridge.h"

#include "pg.h"

namespace audit_fields::pg {

// Where the table keeps each audit column.
struct ColumnLayout {
    ResolvedColumn columns[kAuditColumnCount];
    int present;                              // how many of the nine the table has
    AuditColumn by_attnum[kAuditColumnCount]; // those, in attribute-number order

    const ResolvedColumn& column(AuditColumn c) const { return columns[index_of(c)]; }
    bool has(AuditColumn c) const { return columns[index_of(c)].attnum != InvalidAttrNumber; }
};

// The actor as a value of one column's type, converted once and reused while the text is the same.
struct ActorValue {
    FmgrInfo input; // the column type's input function
    Oid ioparam;
    const char* source; // where the text came from (a GUC value or the session user name)
    uint64 generation;  // actor_text_generation() when last checked
    uint64 types;       // actor_type_generation() when converted
    char* text;         // a copy of the text converted, or nullptr
    Datum value;        // its value in the column's type, in the cache's memory context
    Size size;          // datumGetSize(value)
};

// The clock as a value of one timestamp column's type, for as long as the clock reads the same.
struct ClockValue {
    TimestampTz now;
    const void* zone; // session_timezone: a timestamp column stores local time
    bool valid;
    Datum value;
};

// The soft delete's UPDATE: its text (it names the table and column) and, once a DELETE needed
// it, the kept SPI plan.
struct SoftDeleteStatement {
    const char* text;
    SPIPlanPtr plan;
};

// The last decision, reused while the next row has the same facts (rows of one statement usually
// do), so decide() runs about once per statement.
struct DecisionMemo {
    bool valid;
    RowFacts facts;
    StampDecision decision;
    bool modifies_row; // decision.modifies_row()
    bool needs_actor;  // decision.needs_actor()
    // The columns an action writes, in attribute order (as the row is formed), and those that take
    // the actor, in logical order (the order their conversion errors are reported in).
    int writes;
    AuditColumn write_order[kAuditColumnCount];
    int actor_writes;
    AuditColumn actor_order[kAuditColumnCount];
};

struct TriggerCache {
    Oid trigger_oid;
    Oid relid;
    MemoryContext memory; // owns the cache and everything it points to
    StampPolicy policy;
    ColumnLayout layout;
    Oid partition_root; // InvalidOid unless the table is a partition
    // The table audit_fields.enable() ran on: this table, or the partitioned table whose trigger
    // this one was cloned from (not always partition_root: a partition can be enabled on its own).
    Oid enabled_relid;
    // No other BEFORE UPDATE row trigger runs before this one, so an audit column that is not in
    // tg_updatedcols holds OLD's value and need not be read and compared.
    bool updated_columns_exact;
    // The audit columns as tg_updatedcols numbers them (attnum -
    // FirstLowInvalidHeapAttributeNumber)
    Bitmapset* audit_columns;
    ActorValue actors[kAuditColumnCount]; // Actor/ActorName columns
    ClockValue clocks[kAuditColumnCount]; // Timestamp columns
    SoftDeleteStatement soft_delete;
    DecisionMemo memo[3];       // per RowEvent
    TriggerCache* retired_next; // replaced, waiting to be freed (trigger_cache.cpp)
};

// The current cache for the trigger of this call, rebuilt first when stale. The pointer stays
// valid for the whole call. Raises an error naming the trigger and table when the trigger's
// arguments or the table's columns are unusable.
TriggerCache* trigger_cache_for(FunctionCallInfo fcinfo, Relation rel, const Trigger* trigger);

// The same without a call site, for planner stamping's per-statement work. The pointer is valid
// until the next trigger call: use it at once.
TriggerCache* trigger_cache_of(Relation rel, const Trigger* trigger);

// The cache of this trigger if one is built and current, else nullptr; no catalog access. For the
// planned values' per-execution set-up, which must not open the table each time.
TriggerCache* current_trigger_cache(Oid trigger_oid);

// Bracket every trigger call: caches are freed only while no call is running.
void begin_trigger_call();
void end_trigger_call();

// Registers the invalidation and transaction callbacks; called once from _PG_init.
void register_trigger_cache_callbacks();

} // namespace audit_fields::pg
