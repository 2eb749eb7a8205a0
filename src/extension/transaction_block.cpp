// audit_fields._warn_local_outside_transaction_block(): set_actor(..., is_local => true) sets a
// transaction-local value; outside a transaction block the transaction is the one statement, so
// the actor is gone before the next statement writes. SET LOCAL warns in that case; set_actor()
// does too, through this check (SQL cannot ask whether it runs in a transaction block).
#include "boundary.h"

extern "C" {
PG_FUNCTION_INFO_V1(audit_fields_warn_local_outside_transaction_block);
PGDLLEXPORT Datum audit_fields_warn_local_outside_transaction_block(PG_FUNCTION_ARGS);
}

namespace audit_fields::pg {

namespace {

Datum warn_local_outside_transaction_block(FunctionCallInfo fcinfo) {
    const bool is_local = !PG_ARGISNULL(0) && PG_GETARG_BOOL(0);
    // IsTransactionBlock() is also true for the implicit block of a multi-statement query string,
    // where SET LOCAL does not warn either.
    if (is_local && !IsTransactionBlock())
        ereport(WARNING,
                (errcode(ERRCODE_NO_ACTIVE_SQL_TRANSACTION),
                 errmsg("audit_fields.set_actor() with is_local => true outside a transaction "
                        "block lasts only until the end of this statement"),
                 errhint("Call it after BEGIN, in the transaction that writes. is_local => false "
                         "sets the actor for the whole session, which a connection pool would "
                         "hand to the next client.")));
    PG_RETURN_VOID();
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_warn_local_outside_transaction_block(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.set_actor", [fcinfo] {
        return audit_fields::pg::warn_local_outside_transaction_block(fcinfo);
    });
}
