// The core's rules, callable from SQL, so that the SQL objects (enable_schema(), auto_enable's
// event trigger, the audit_fields.tables view) decide exactly as scan() and the CLI do:
//   audit_fields.parse_ignore_marker(comment)  the whole-table ignore marker (core/ignore_marker)
//   audit_fields.trigger_options(tgargs)       a trigger's configuration (core/table_options)
//   audit_fields.in_scope(rel)                 whether a table is one the scanner and
//   audit_fields._tables_in_scope(schemas)     enable_schema() look at (core/table_scope)
// The scope is SQL text in the core, run here through SPI: the same text the catalog queries of
// both scanner front ends splice in.
#include "boundary.h"
#include "rule_bridge.h"

#include "core/table_scope.h"

#include "pg.h"

extern "C" {
#include "utils/jsonb.h"
}

extern "C" {
PG_FUNCTION_INFO_V1(audit_fields_parse_ignore_marker);
PGDLLEXPORT Datum audit_fields_parse_ignore_marker(PG_FUNCTION_ARGS);
PG_FUNCTION_INFO_V1(audit_fields_trigger_options);
PGDLLEXPORT Datum audit_fields_trigger_options(PG_FUNCTION_ARGS);
PG_FUNCTION_INFO_V1(audit_fields_in_scope);
PGDLLEXPORT Datum audit_fields_in_scope(PG_FUNCTION_ARGS);
PG_FUNCTION_INFO_V1(audit_fields_tables_in_scope);
PGDLLEXPORT Datum audit_fields_tables_in_scope(PG_FUNCTION_ARGS);
}

namespace audit_fields::pg {

namespace {

Datum parse_ignore_marker(FunctionCallInfo fcinfo) {
    const char* comment = text_to_cstring(PG_GETARG_TEXT_PP(0));
    const Size len = strlen(comment) + 1;
    char* reason = static_cast<char*>(palloc(len));
    if (!bridge_ignore_reason(comment, reason, len))
        PG_RETURN_NULL();
    PG_RETURN_TEXT_P(cstring_to_text(reason));
}

Datum trigger_options(FunctionCallInfo fcinfo) {
    bytea* args = PG_GETARG_BYTEA_PP(0);
    const char* bytes = VARDATA_ANY(args);
    const Size len = VARSIZE_ANY_EXHDR(args);
    Size capacity = 1024;
    char* json = static_cast<char*>(palloc(capacity));
    Size needed = bridge_trigger_options_json(bytes, len, json, capacity);
    if (needed >= capacity) {
        capacity = needed + 1;
        json = static_cast<char*>(palloc(capacity));
        needed = bridge_trigger_options_json(bytes, len, json, capacity);
    }
    if (needed == 0 || needed >= capacity)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
                        errmsg("audit_fields.trigger_options: out of memory")));
    return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

// Runs one of the core's scope queries through SPI; the single result column's values.
int run_scope_query(const char* sql, Oid argtype, Datum arg, bool arg_null, Datum** values) {
    if (SPI_connect() != SPI_OK_CONNECT)
        ereport(ERROR,
                (errcode(ERRCODE_INTERNAL_ERROR), errmsg("audit_fields: SPI_connect failed")));
    Oid argtypes[1] = {argtype};
    Datum args[1] = {arg};
    const char nulls[1] = {arg_null ? 'n' : ' '};
    const int rc = SPI_execute_with_args(sql, 1, argtypes, args, nulls, true, 0);
    if (rc != SPI_OK_SELECT)
        ereport(ERROR,
                (errcode(ERRCODE_INTERNAL_ERROR),
                 errmsg("audit_fields: scope query failed: %s", SPI_result_code_string(rc))));
    const int n = static_cast<int>(SPI_processed);
    // Allocated in the caller's context, which outlives SPI_finish().
    *values = static_cast<Datum*>(SPI_palloc(sizeof(Datum) * (n + 1)));
    for (int i = 0; i < n; ++i) {
        bool isnull;
        (*values)[i] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
    }
    SPI_finish();
    return n; // booleans and oids are passed by value: nothing points into SPI memory
}

Datum in_scope(FunctionCallInfo fcinfo) {
    Datum* values;
    const int n =
        run_scope_query(scan::kTableInScopeQuery, OIDOID, PG_GETARG_DATUM(0), false, &values);
    PG_RETURN_BOOL(n == 1 && DatumGetBool(values[0]));
}

Datum tables_in_scope(FunctionCallInfo fcinfo) {
    Datum* values;
    const bool all = PG_ARGISNULL(0);
    const int n = run_scope_query(scan::kTablesInScopeQuery, NAMEARRAYOID,
                                  all ? Datum(0) : PG_GETARG_DATUM(0), all, &values);
    PG_RETURN_ARRAYTYPE_P(construct_array(values, n, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT));
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_parse_ignore_marker(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.parse_ignore_marker", [fcinfo] {
        return audit_fields::pg::parse_ignore_marker(fcinfo);
    });
}

Datum audit_fields_trigger_options(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.trigger_options", [fcinfo] {
        return audit_fields::pg::trigger_options(fcinfo);
    });
}

Datum audit_fields_in_scope(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.in_scope",
                                     [fcinfo] { return audit_fields::pg::in_scope(fcinfo); });
}

Datum audit_fields_tables_in_scope(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.tables_in_scope", [fcinfo] {
        return audit_fields::pg::tables_in_scope(fcinfo);
    });
}
