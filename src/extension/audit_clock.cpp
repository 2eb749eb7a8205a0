#include "audit_clock.h"

#include "settings.h"

extern "C" {
#include "utils/datetime.h"
}

namespace audit_fields::pg {

TimestampTz audit_now() {
    switch (clock_source()) {
    case ClockSource::Statement:
        return GetCurrentStatementStartTimestamp();
    case ClockSource::Clock:
        return GetCurrentTimestamp();
    case ClockSource::Transaction:
        break;
    }
    return GetCurrentTransactionStartTimestamp();
}

Datum clock_datum(TimestampTz now, bool timestamptz, int32 typmod) {
    Timestamp value = timestamptz ? now
                                  : DatumGetTimestamp(DirectFunctionCall1(
                                        timestamptz_timestamp, TimestampTzGetDatum(now)));
    if (typmod >= 0)
        compat_adjust_timestamp_for_typmod(&value, typmod);
    return TimestampGetDatum(value);
}

} // namespace audit_fields::pg
