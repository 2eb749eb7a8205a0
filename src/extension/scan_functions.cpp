// audit_fields.scan() and audit_fields._report() (behind the audit_fields.report view): the SQL
// front end of the scanner. Three phases, per boundary.h:
//   1. SPI runs the core's catalog queries (the same text the CLI sends) and keeps the rows as
//      C strings;
//   2. scan_bridge runs the core rule engine on them, no PostgreSQL call while C++ objects live;
//   3. the result rows are built from plain pointers into the bridge's result.
// The bridge's result lives on the C++ heap; a reset callback on a memory context frees it, so
// an error raised in phase 3 (or a cancel) cannot leak it.
#include "boundary.h"
#include "scan_bridge.h"

#include "pg.h"

extern "C" {
#include "funcapi.h"
#include "utils/jsonb.h"
}

extern "C" {
PG_FUNCTION_INFO_V1(audit_fields_scan);
PGDLLEXPORT Datum audit_fields_scan(PG_FUNCTION_ARGS);
PG_FUNCTION_INFO_V1(audit_fields_report);
PGDLLEXPORT Datum audit_fields_report(PG_FUNCTION_ARGS);
}

namespace audit_fields::pg {

namespace {

struct HandleOwner {
    MemoryContextCallback callback;
    ScanHandle* handle;
};

void release_handle(void* arg) {
    HandleOwner* owner = static_cast<HandleOwner*>(arg);
    scan_free(owner->handle);
    owner->handle = nullptr;
}

// One catalog query's rows as C strings, allocated in the SPI procedure context (freed by
// SPI_finish, after the bridge has copied what it needs).
scan::RowSet fetch(const char* sql, Datum schemas, bool schemas_null) {
    Oid argtypes[1] = {NAMEARRAYOID};
    Datum values[1] = {schemas};
    char nulls[1] = {schemas_null ? 'n' : ' '};
    const int rc = SPI_execute_with_args(sql, 1, argtypes, values, nulls, true, 0);
    if (rc != SPI_OK_SELECT)
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                        errmsg("audit_fields.scan: catalog query failed: %s",
                               SPI_result_code_string(rc))));
    SPITupleTable* table = SPI_tuptable;
    const int nrows = static_cast<int>(SPI_processed);
    const int ncols = table->tupdesc->natts;
    const char** cells =
        static_cast<const char**>(palloc(sizeof(char*) * (static_cast<Size>(nrows) * ncols + 1)));
    for (int r = 0; r < nrows; ++r) {
        CHECK_FOR_INTERRUPTS();
        for (int c = 0; c < ncols; ++c)
            cells[r * ncols + c] = SPI_getvalue(table->vals[r], table->tupdesc, c + 1);
    }
    return scan::RowSet{nrows, ncols, cells};
}

// Phases 1 and 2. The handle is owned by `owner_context`: freed when that context goes away,
// normally or during error cleanup.
ScanHandle* run_scan(FunctionCallInfo fcinfo, MemoryContext owner_context) {
    HandleOwner* owner =
        static_cast<HandleOwner*>(MemoryContextAllocZero(owner_context, sizeof(HandleOwner)));
    owner->callback.func = release_handle;
    owner->callback.arg = owner;
    MemoryContextRegisterResetCallback(owner_context, &owner->callback);

    const bool schemas_null = PG_ARGISNULL(0);
    const Datum schemas = schemas_null ? Datum(0) : PG_GETARG_DATUM(0);
    if (SPI_connect() != SPI_OK_CONNECT)
        ereport(ERROR,
                (errcode(ERRCODE_INTERNAL_ERROR), errmsg("audit_fields.scan: SPI_connect failed")));
    const scan::RowSet tables = fetch(scan::kTablesQuery, schemas, schemas_null);
    const scan::RowSet columns = fetch(scan::kColumnsQuery, schemas, schemas_null);
    const scan::RowSet triggers = fetch(scan::kTriggersQuery, schemas, schemas_null);
    const char* config = PG_NARGS() > 1 && !PG_ARGISNULL(1)
                             ? DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(1)))
                             : nullptr;
    char error[512];
    bool bad_config;
    owner->handle = scan_run(tables, columns, triggers, config, error, sizeof(error), &bad_config);
    SPI_finish();
    if (owner->handle == nullptr && bad_config)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("audit_fields.scan: invalid %s", error),
                        errhint("The keys are those of .audit-fields.toml: fail_on, exclude, "
                                "aliases, checks.")));
    if (owner->handle == nullptr)
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("audit_fields.scan: %s", error)));
    return owner->handle;
}

// A tuplestore for a materialize-mode set-returning function (spelled out rather than
// InitMaterializedSRF, which PostgreSQL 13 and 14 lack).
Tuplestorestate* begin_result(FunctionCallInfo fcinfo, TupleDesc* tupdesc) {
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    if (rsinfo == nullptr || !IsA(rsinfo, ReturnSetInfo) ||
        (rsinfo->allowedModes & SFRM_Materialize) == 0)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("audit_fields: set-valued function called in a context that "
                               "cannot accept a set")));
    if (get_call_result_type(fcinfo, nullptr, tupdesc) != TYPEFUNC_COMPOSITE)
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                        errmsg("audit_fields: return type must be a row type")));
    MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
    *tupdesc = CreateTupleDescCopy(*tupdesc);
    Tuplestorestate* store = tuplestore_begin_heap(true, false, work_mem);
    rsinfo->returnMode = SFRM_Materialize;
    rsinfo->setResult = store;
    rsinfo->setDesc = *tupdesc;
    MemoryContextSwitchTo(old);
    return store;
}

Datum name_datum(const char* s) {
    return DirectFunctionCall1(namein, CStringGetDatum(s));
}

Datum text_array(const char* const* items, int count) {
    Datum* datums = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
    for (int i = 0; i < count; ++i)
        datums[i] = CStringGetTextDatum(items[i]);
    return PointerGetDatum(construct_array(datums, count, TEXTOID, -1, false, TYPALIGN_INT));
}

Datum scan_findings(FunctionCallInfo fcinfo) {
    TupleDesc tupdesc;
    Tuplestorestate* store = begin_result(fcinfo, &tupdesc);
    MemoryContext work =
        AllocSetContextCreate(CurrentMemoryContext, "audit_fields scan", ALLOCSET_DEFAULT_SIZES);
    const ScanHandle* handle = run_scan(fcinfo, work);
    MemoryContext old = MemoryContextSwitchTo(work);
    const int count = scan_finding_count(handle);
    for (int i = 0; i < count; ++i) {
        const PlainFinding f = scan_finding(handle, i);
        Datum values[6] = {name_datum(f.schema),
                           name_datum(f.table),
                           CStringGetTextDatum(f.check_id),
                           CStringGetTextDatum(f.severity),
                           CStringGetTextDatum(f.message),
                           CStringGetTextDatum(f.remediation)};
        bool nulls[6] = {false, false, false, false, false, false};
        tuplestore_putvalues(store, tupdesc, values, nulls);
    }
    MemoryContextSwitchTo(old);
    MemoryContextDelete(work);
    return Datum(0);
}

Datum report_tables(FunctionCallInfo fcinfo) {
    TupleDesc tupdesc;
    Tuplestorestate* store = begin_result(fcinfo, &tupdesc);
    MemoryContext work =
        AllocSetContextCreate(CurrentMemoryContext, "audit_fields report", ALLOCSET_DEFAULT_SIZES);
    const ScanHandle* handle = run_scan(fcinfo, work);
    MemoryContext old = MemoryContextSwitchTo(work);
    const int count = scan_table_count(handle);
    for (int i = 0; i < count; ++i) {
        const PlainTableReport t = scan_table(handle, i);
        Datum values[10] = {name_datum(t.schema),
                            name_datum(t.table),
                            CStringGetTextDatum(t.kind),
                            CStringGetTextDatum(t.status),
                            text_array(t.present, t.npresent),
                            text_array(t.missing, t.nmissing),
                            CStringGetTextDatum(t.trigger),
                            t.ignore_reason ? CStringGetTextDatum(t.ignore_reason) : Datum(0),
                            Int32GetDatum(t.nfindings),
                            text_array(t.checks, t.nchecks)};
        bool nulls[10] = {false};
        nulls[7] = t.ignore_reason == nullptr;
        tuplestore_putvalues(store, tupdesc, values, nulls);
    }
    MemoryContextSwitchTo(old);
    MemoryContextDelete(work);
    return Datum(0);
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_scan(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.scan",
                                     [fcinfo] { return audit_fields::pg::scan_findings(fcinfo); });
}

Datum audit_fields_report(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.report",
                                     [fcinfo] { return audit_fields::pg::report_tables(fcinfo); });
}
