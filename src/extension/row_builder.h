// Forms the row a BEFORE trigger returns: a copy of NEW with some columns replaced.
//
// PostgreSQL's way (heap_deform_tuple or the slot's deform, then heap_form_tuple) walks the row
// three times: to extract every value, to size the new tuple, to fill it. This walks it once,
// copying each kept column's stored bytes straight from NEW, and writes the same bytes
// heap_form_tuple would (same alignment, short varlena headers, null bitmap and infomask flags).
// A tuple with fewer attributes than the table (columns added since it was written) goes through
// heap_form_tuple instead.
#pragma once

#include "pg.h"

namespace audit_fields::pg {

struct ColumnValue {
    AttrNumber attnum;
    bool null;
    Datum value; // a value of the column's type, flat (not an expanded object)
    Size size;   // its stored size at most (VARSIZE for a varlena, else the type's length)
};

// `replacements` sorted by attnum, no duplicates. The result has NEW's t_self, t_ctid and
// t_tableOid, as heap_modify_tuple would give it.
HeapTuple replace_columns(TupleDesc desc, HeapTuple row, const ColumnValue* replacements,
                          int count);

} // namespace audit_fields::pg
