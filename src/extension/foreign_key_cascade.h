// A DELETE that reaches a soft_delete => true table through a foreign key's ON DELETE CASCADE.
// Soft-deleting the child would keep a row whose parent is gone; deleting it would lose what
// soft delete promised to keep. The trigger refuses instead (SQLSTATE 23503), so the parent's
// DELETE fails as a whole and nothing is deleted.
#pragma once

#include "pg.h"

namespace audit_fields::pg {

// True when the BEFORE DELETE row trigger runs for a DELETE that PostgreSQL's referential
// integrity code issued for an ON DELETE CASCADE foreign key of this table.
bool deleted_by_foreign_key_cascade(Relation rel);

// Raises SQLSTATE 23503 naming the child table, the parent table and the foreign key, with how to
// proceed.
[[noreturn]] void reject_cascaded_delete(Relation rel);

} // namespace audit_fields::pg
