// DELETE on a table enabled with soft_delete => true: the row stays and is marked deleted.
#pragma once

#include "trigger_cache.h"

#include "pg.h"

namespace audit_fields::pg {

// Runs "UPDATE ONLY <table> SET deleted_at = <clock> WHERE ctid = <row>", so the row goes through
// this trigger's UPDATE rules (deleted_by*, updated_*) and every other UPDATE trigger of the table.
// The caller then returns NULL to skip the physical delete.
void soft_delete_row(TriggerCache* cache, Relation rel, HeapTuple row);

} // namespace audit_fields::pg
