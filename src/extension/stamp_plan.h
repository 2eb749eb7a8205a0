// What the trigger knows about one audit_fields trigger on one table, resolved once and kept in a
// backend-local hash keyed by the trigger's OID: the parsed options, the attribute numbers, types
// and input functions of the audit columns, and the last converted actor. A relcache callback
// marks entries stale when their table changes (ALTER TABLE, CREATE/DROP TRIGGER), so the next
// row rebuilds them; nothing is looked up in the catalogs per row.
#pragma once

#include "column_resolver.h"
#include "core_bridge.h"

#include "pg.h"

namespace audit_fields::pg {

struct ActorColumnCache {
    FmgrInfo input; // the column type's input function
    Oid ioparam;
    char* text;  // the actor text last converted, or nullptr
    Datum value; // its value in the column's type, in the plan's memory context
};

struct StampPlan {
    Oid trigger_oid; // hash key
    Oid relid;
    bool valid;
    MemoryContext memory; // owns everything below that is not inline
    StampPolicy policy;
    ResolvedColumn columns[kAuditColumnCount];
    ActorColumnCache actors[kAuditColumnCount]; // used for Actor/ActorName columns
    Oid partition_root;                         // InvalidOid unless the table is a partition
    // DELETE -> soft delete: the query for the table as it is now (in `memory`, made on first use),
    // and a kept SPI plan with the query text it was made from (outliving rebuilds).
    const char* soft_delete_text;
    SPIPlanPtr soft_delete_plan;
    char* soft_delete_query;
    Oid soft_delete_argtype; // $1's type: a new deleted_at type needs a new plan, same text or not

    const ResolvedColumn& column(AuditColumn c) const { return columns[index_of(c)]; }
    bool has(AuditColumn c) const { return columns[index_of(c)].attnum != InvalidAttrNumber; }
};

// The valid plan for this trigger, rebuilt first when stale. Raises an error that names the
// trigger and table when the trigger's arguments or the table's columns are unusable.
StampPlan* stamp_plan_for(Relation rel, const Trigger* trigger);

// Registers the relcache callback; called once from _PG_init.
void register_stamp_plan_invalidation();

} // namespace audit_fields::pg
