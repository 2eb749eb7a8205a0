// audit_fields.reset_missing_actor_report(rel regclass DEFAULT NULL), without any privilege on the
// report's table. Up to 1.2 the reset was an SQL function that ran as its caller and deleted
// under the table's row-level security, which needed the DELETE privilege granted to PUBLIC, and
// DELETE also lets a role LOCK the table in ACCESS EXCLUSIVE mode, holding up every reader of the
// report. 1.3 revokes it; this function deletes as the table's owner instead.
//
// Why not an SQL SECURITY DEFINER function: inside one, current_user is the definer, and nothing
// tells it who called (session_user is not the caller after SET ROLE, nor inside another
// definer's function). Here GetUserId() is the caller, so the rules are the ones the 1.2 reset
// had, judged for the same role:
//  - reset(rel): the caller must have the privileges of rel's owner (pg_has_role(..., 'USAGE')),
//    else 42501; rel's rows and its partitions' rows are deleted.
//  - reset(NULL): every row.
//  - In both, where row-level security applied to the caller (it does unless the caller is a
//    superuser, has BYPASSRLS or owns the report table), only rows of tables whose owner's
//    privileges the caller has are deleted, as the DELETE policy did; with row_security = off such
//    a caller gets the error it got before.
// The DELETE runs as the report table's owner with search_path pinned and a restricted security
// context, every operator and function schema-qualified, so nothing the caller controls runs with
// the owner's rights.
#include "missing_actor_report.h" // first: it brings the core headers before pg.h

#include "boundary.h"

#include "pg.h"

extern "C" {
#include "utils/rls.h"

PG_FUNCTION_INFO_V1(audit_fields_reset_missing_actor_report);
PGDLLEXPORT Datum audit_fields_reset_missing_actor_report(PG_FUNCTION_ARGS);
}

namespace audit_fields::pg {

namespace {

// $1 the table (NULL: every table), $2 whether the caller is limited to the tables it owns, $3
// the caller. A row of a dropped table has no owner: pg_has_role() is NULL and the row stays.
const char* const kResetSql =
    "DELETE FROM audit_fields.missing_actor_misses m "
    "WHERE ($1 IS NULL OR m.relid OPERATOR(pg_catalog.=) $1 "
    "       OR m.relid IN (SELECT p.relid FROM pg_catalog.pg_partition_tree($1) p)) "
    "  AND (NOT $2 OR pg_catalog.pg_has_role($3, (SELECT c.relowner FROM pg_catalog.pg_class c "
    "       WHERE c.oid OPERATOR(pg_catalog.=) m.relid), 'USAGE'))";

void require_owner(Oid caller, Oid rel) {
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
    if (!HeapTupleIsValid(tuple))
        return; // a dropped table's number: no owner to check; row security decides
    const auto* row = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple));
    const Oid owner = row->relowner;
    const char* name =
        quote_qualified_identifier(get_namespace_name(row->relnamespace), NameStr(row->relname));
    ReleaseSysCache(tuple);
    if (!has_privs_of_role(caller, owner))
        ereport(ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                 errmsg("audit_fields: only the owner of table \"%s\" may reset its missing-actor "
                        "report",
                        name)));
}

Datum reset(FunctionCallInfo fcinfo) {
    const bool every_table = PG_ARGISNULL(0);
    const Oid rel = every_table ? InvalidOid : PG_GETARG_OID(0);
    const Oid caller = GetUserId();
    Oid owner = InvalidOid;
    const Oid table = missing_actor_report_table(&owner);
    if (!OidIsValid(table))
        ereport(ERROR,
                (errcode(ERRCODE_UNDEFINED_TABLE),
                 errmsg("audit_fields: table audit_fields.missing_actor_misses is missing")));
    if (!every_table)
        require_owner(caller, rel);
    // As the caller: whether the table's row security applies to it (raises the error a query
    // would under row_security = off).
    const bool limited = check_enable_rls(table, InvalidOid, false) == RLS_ENABLED;

    const AsOwner as_owner = begin_as_owner(owner);
    if (SPI_connect() != SPI_OK_CONNECT)
        ereport(ERROR,
                (errcode(ERRCODE_INTERNAL_ERROR), errmsg("audit_fields: SPI_connect failed")));
    Oid types[3] = {REGCLASSOID, BOOLOID, OIDOID};
    Datum values[3] = {ObjectIdGetDatum(rel), BoolGetDatum(limited), ObjectIdGetDatum(caller)};
    const char nulls[3] = {every_table ? 'n' : ' ', ' ', ' '};
    const int rc = SPI_execute_with_args(kResetSql, 3, types, values, nulls, false, 0);
    if (rc != SPI_OK_DELETE)
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                        errmsg("audit_fields: could not reset the missing-actor report: %s",
                               SPI_result_code_string(rc))));
    SPI_finish();
    end_as_owner(as_owner);
    PG_RETURN_VOID();
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_reset_missing_actor_report(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.reset_missing_actor_report",
                                     [fcinfo] { return audit_fields::pg::reset(fcinfo); });
}
