#include "audit_clock.h"

#include "settings.h"

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

Datum clock_datum(TimestampTz now, bool timestamptz) {
    if (timestamptz)
        return TimestampTzGetDatum(now);
    return DirectFunctionCall1(timestamptz_timestamp, TimestampTzGetDatum(now));
}

} // namespace audit_fields::pg
