// An UPDATE that moves a row to another partition runs, on the same row, the BEFORE UPDATE trigger
// of the source partition, then its BEFORE DELETE trigger, then the BEFORE INSERT trigger of the
// destination (PostgreSQL's documented order). The UPDATE already stamped the row, so the DELETE
// half must not become a soft delete and the INSERT half must not stamp it as a new row (that
// would reset created_*). PostgreSQL does not tell a trigger which case it is in, so the UPDATE
// leaves a note that the next two halves of the same command recognise.
#pragma once

#include "trigger_cache.h"

#include "pg.h"

namespace audit_fields::pg {

// After a BEFORE UPDATE on a partition has stamped the row.
void note_partition_update(const TriggerCache* cache, HeapTuple old_row, HeapTuple stamped_row,
                           TupleDesc desc);

// BEFORE DELETE: is this the source half of the noted move?
bool is_partition_move_delete(const TriggerCache* cache, HeapTuple row);

// BEFORE INSERT: is this the destination half of the noted move? Consumes the note.
bool take_partition_move_insert(const TriggerCache* cache, HeapTuple row, TupleDesc desc);

} // namespace audit_fields::pg
