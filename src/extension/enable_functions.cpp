// audit_fields._plan_trigger(): the C side of audit_fields.enable(). It validates the table and
// options with the same code the trigger uses, and returns the canonical trigger arguments; the
// SQL function then (re)creates the trigger. Errors name the table and the column. (The SQL name
// comes from version 1.0, whose install script is frozen; it plans nothing.)
#include "boundary.h"
#include "column_resolver.h"
#include "core_bridge.h"

extern "C" {
#include "access/relation.h"
#include "parser/parse_func.h"
}

extern "C" {
PG_FUNCTION_INFO_V1(audit_fields_plan_trigger);
PGDLLEXPORT Datum audit_fields_plan_trigger(PG_FUNCTION_ARGS);
PG_FUNCTION_INFO_V1(audit_fields_check_options);
PGDLLEXPORT Datum audit_fields_check_options(PG_FUNCTION_ARGS);
}

namespace audit_fields::pg {

namespace {

const char* relkind_description(char relkind) {
    switch (relkind) {
    case RELKIND_VIEW:
        return "a view";
    case RELKIND_MATVIEW:
        return "a materialized view";
    case RELKIND_FOREIGN_TABLE:
        return "a foreign table";
    case RELKIND_INDEX:
    case RELKIND_PARTITIONED_INDEX:
        return "an index";
    case RELKIND_SEQUENCE:
        return "a sequence";
    case RELKIND_COMPOSITE_TYPE:
        return "a composite type";
    case RELKIND_TOASTVALUE:
        return "a TOAST table";
    }
    return "not a table";
}

void check_relkind(Relation rel) {
    const char kind = rel->rd_rel->relkind;
    if (kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE)
        return;
    ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("audit_fields: \"%s\" is %s; only tables and partitioned tables can be "
                           "enabled",
                           qualified_name(rel), relkind_description(kind))));
}

// A partition inherits its parent's trigger and configuration; changing it alone would be undone
// by the next partition clone and cannot drop the inherited trigger anyway.
void check_not_inherited(Relation rel) {
    if (rel->trigdesc == nullptr)
        return;
    List* name = list_make2(makeString(pstrdup("audit_fields")), makeString(pstrdup("stamp")));
    const Oid stamp = LookupFuncName(name, 0, nullptr, true);
    for (int i = 0; i < rel->trigdesc->numtriggers; ++i) {
        const Trigger& t = rel->trigdesc->triggers[i];
        if (t.tgfoid == stamp && t.tgisclone)
            ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                            errmsg("audit_fields: table \"%s\" is a partition of an enabled table "
                                   "and takes its configuration from it",
                                   qualified_name(rel)),
                            errhint("Run audit_fields.enable() on the partitioned table.")));
    }
}

void parse_option_array(ArrayType* array, PlainOptions* options) {
    Datum* elements;
    bool* nulls;
    int count;
    deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, &count);
    const char** items = static_cast<const char**>(palloc0(sizeof(char*) * (count + 1)));
    for (int i = 0; i < count; ++i) {
        if (nulls[i])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("audit_fields: options must not be NULL")));
        items[i] = text_to_cstring(DatumGetTextPP(elements[i]));
    }
    char error[kMessageLen];
    if (!parse_options(items, count, options, error, sizeof(error)))
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("audit_fields: %s", error)));
}

void check_required_columns(Relation rel, const PlainOptions& options,
                            const ResolvedColumn* columns) {
    auto has = [columns](AuditColumn c) {
        return columns[index_of(c)].attnum != InvalidAttrNumber;
    };
    if (!has(AuditColumn::CreatedAt) && !has(AuditColumn::UpdatedAt))
        ereport(ERROR,
                (errcode(ERRCODE_UNDEFINED_COLUMN),
                 errmsg("audit_fields: table \"%s\" has neither column \"%s\" nor column \"%s\"",
                        qualified_name(rel), options.column_names[index_of(AuditColumn::CreatedAt)],
                        options.column_names[index_of(AuditColumn::UpdatedAt)]),
                 errhint("Add created_at and updated_at (timestamptz), or map existing columns "
                         "with column_map => '{\"created_at\": \"...\"}'.")));
    if (options.policy.soft_delete && !has(AuditColumn::DeletedAt))
        ereport(
            ERROR,
            (errcode(ERRCODE_UNDEFINED_COLUMN),
             errmsg("audit_fields: soft_delete needs column \"%s\", which table \"%s\" lacks",
                    options.column_names[index_of(AuditColumn::DeletedAt)], qualified_name(rel))));
}

ArrayType* trigger_args_array(const PlainOptions& options) {
    Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * options.nargs));
    for (int i = 0; i < options.nargs; ++i)
        items[i] = CStringGetTextDatum(options.args[i]);
    return construct_array(items, options.nargs, TEXTOID, -1, false, TYPALIGN_INT);
}

Datum validated_trigger_arguments(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("audit_fields: the table and its options must not be NULL")));
    PlainOptions options;
    parse_option_array(PG_GETARG_ARRAYTYPE_P(1), &options);

    Relation rel = relation_open(PG_GETARG_OID(0), AccessShareLock);
    check_relkind(rel);
    check_not_inherited(rel);
    ResolvedColumn columns[kAuditColumnCount];
    resolve_columns(rel, options, true, columns);
    check_required_columns(rel, options, columns);
    relation_close(rel, AccessShareLock);
    PG_RETURN_ARRAYTYPE_P(trigger_args_array(options));
}

// The options alone, without a table: auto_enable() checks its defaults when they are given
// rather than at the first CREATE TABLE, with the parser enable() uses.
Datum check_options(FunctionCallInfo fcinfo) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("audit_fields: options must not be NULL")));
    PlainOptions options;
    parse_option_array(PG_GETARG_ARRAYTYPE_P(0), &options);
    PG_RETURN_ARRAYTYPE_P(trigger_args_array(options));
}

} // namespace

} // namespace audit_fields::pg

Datum audit_fields_check_options(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.auto_enable",
                                     [fcinfo] { return audit_fields::pg::check_options(fcinfo); });
}

Datum audit_fields_plan_trigger(PG_FUNCTION_ARGS) {
    return audit_fields::pg::guarded("audit_fields.enable", [fcinfo] {
        return audit_fields::pg::validated_trigger_arguments(fcinfo);
    });
}
