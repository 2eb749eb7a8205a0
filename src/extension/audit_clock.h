// The time audit timestamps record (audit_fields.clock), as a value of each column's type.
#pragma once

#include "pg.h"

namespace audit_fields::pg {

TimestampTz audit_now();

// A timestamp column stores the session's local time, exactly like now()::timestamp. typmod (the
// column's precision, -1 for none) rounds the value as an assignment to the column would.
Datum clock_datum(TimestampTz now, bool timestamptz, int32 typmod);

} // namespace audit_fields::pg
