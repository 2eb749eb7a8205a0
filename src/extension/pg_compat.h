// Every difference between the PostgreSQL majors audit_fields builds against, in one place (the
// way pgvector keeps its version checks together). The rest of src/extension/ calls these helpers
// and never tests PG_VERSION_NUM itself. Tested on 15, 17 and 18; 14 and 16 take the same branches
// as their neighbours (see README "PostgreSQL versions"). Included by pg.h, after the server
// headers.
#pragma once

extern "C" {
#include "postgres.h"

#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/datetime.h"
#include "utils/guc.h"
}

#if PG_VERSION_NUM < 140000
#error "audit_fields needs PostgreSQL 14 or newer"
#endif

namespace audit_fields::pg {

// The backend's local transaction id: 17 moved it into MyProc->vxid.
inline LocalTransactionId compat_local_transaction_id() {
#if PG_VERSION_NUM >= 170000
    return MyProc->vxid.lxid;
#else
    return MyProc->lxid;
#endif
}

// This backend's number among the server's processes: 17 renamed MyBackendId to MyProcNumber.
inline int32 compat_backend_number() {
#if PG_VERSION_NUM >= 170000
    return MyProcNumber;
#else
    return MyBackendId;
#endif
}

// Rounds a timestamp to a column's precision. 16 added a soft-error argument (NULL: raise).
inline void compat_adjust_timestamp_for_typmod(Timestamp* value, int32 typmod) {
#if PG_VERSION_NUM >= 160000
    AdjustTimestampForTypmod(value, typmod, nullptr);
#else
    AdjustTimestampForTypmod(value, typmod);
#endif
}

// Memory for a GUC check hook's *extra, which PostgreSQL frees itself: from 16 on it must come
// from guc_malloc (GUC memory is a memory context there), before 16 from plain malloc. NULL when
// out of memory (guc_malloc at LOG level reports instead of raising).
inline void* compat_guc_extra_malloc(size_t size) {
#if PG_VERSION_NUM >= 160000
    return guc_malloc(LOG, size);
#else
    return malloc(size);
#endif
}

// After the settings are defined, makes any other audit_fields.* name an error. 15 added this;
// 14 can only warn about such names when the library loads.
inline void compat_reserve_guc_prefix(const char* prefix) {
#if PG_VERSION_NUM >= 150000
    MarkGUCPrefixReserved(prefix);
#else
    EmitWarningsOnPlaceholders(prefix);
#endif
}

// A callback for expression_tree_walker() and query_tree_walker(): 16 typed it (the macros cast
// it themselves); before, the functions took a K&R-style bool (*)().
template <typename Walker> inline auto compat_tree_walker(Walker walker) {
#if PG_VERSION_NUM >= 160000
    return walker;
#else
    // Through void (*)(), the type -Wcast-function-type accepts as "any function".
    return reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(walker));
#endif
}

} // namespace audit_fields::pg
