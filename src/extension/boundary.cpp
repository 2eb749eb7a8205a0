#include "boundary.h"

#include <cstring>

namespace audit_fields::pg {

namespace {
char captured[1024];
}

const char* capture_message(const char* message) noexcept {
    std::strncpy(captured, message ? message : "", sizeof(captured) - 1);
    captured[sizeof(captured) - 1] = '\0';
    return captured;
}

void raise_captured(int sqlstate, const char* where, const char* message) {
    ereport(ERROR, (errcode(sqlstate), errmsg("%s: %s", where, message)));
    pg_unreachable();
}

} // namespace audit_fields::pg
