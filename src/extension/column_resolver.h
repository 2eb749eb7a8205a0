// Finds the table's physical audit columns and checks their types. enable() and the trigger's
// cache both use it, so a table that enable() accepted is a table the trigger can stamp.
#pragma once

#include "core_bridge.h"

#include "pg.h"

namespace audit_fields::pg {

struct ResolvedColumn {
    AttrNumber attnum; // InvalidAttrNumber when the table lacks the column
    Oid typid;
    int32 typmod;
    int16 typlen;
    bool typbyval;
    bool is_timestamptz; // timestamp columns: with time zone (else without)
    // Timestamp columns: the precision to round the clock to (timestamptz(3), or a domain over
    // one), -1 for full precision. A BEFORE trigger's values skip the column's coercion.
    int32 clock_typmod;
};

// Raises an error naming the table and column for a generated column, an unusable type, or
// (when require_mapped) a column named in column_map that does not exist.
void resolve_columns(Relation rel, const PlainOptions& options, bool require_mapped,
                     ResolvedColumn out[kAuditColumnCount]);

// The column's physical name (after column_map), for messages and generated SQL.
inline const char* column_name(Relation rel, const ResolvedColumn& column) {
    return NameStr(TupleDescAttr(RelationGetDescr(rel), column.attnum - 1)->attname);
}

// "schema.table" for messages (not quoted: never put it into SQL).
char* qualified_name(Relation rel);

} // namespace audit_fields::pg
