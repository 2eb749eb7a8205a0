#include "column_resolver.h"

namespace audit_fields::pg {

namespace {

const FormData_pg_attribute* find_attribute(TupleDesc desc, const char* name) {
    for (int i = 0; i < desc->natts; ++i) {
        const FormData_pg_attribute* attr = TupleDescAttr(desc, i);
        if (!attr->attisdropped && strcmp(NameStr(attr->attname), name) == 0)
            return attr;
    }
    return nullptr;
}

void check_usable_type(Relation rel, AuditColumn column, const FormData_pg_attribute* attr) {
    const Oid base = getBaseType(attr->atttypid);
    char category;
    bool preferred;
    get_type_category_preferred(base, &category, &preferred);
    char* type_name = format_type_be(base);
    char reason[kMessageLen];
    if (!check_type(column, type_name, category, reason, sizeof(reason)))
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("audit_fields: column \"%s\" of table \"%s\" %s",
                               NameStr(attr->attname), qualified_name(rel), reason),
                        errhint("Change the column's type, or map %s to another column with "
                                "column_map.",
                                default_name(column).data())));
}

} // namespace

char* qualified_name(Relation rel) {
    // Unquoted, as PostgreSQL's own messages write relation "schema.table".
    return psprintf("%s.%s", get_namespace_name(RelationGetNamespace(rel)),
                    RelationGetRelationName(rel));
}

void resolve_columns(Relation rel, const PlainOptions& options, bool require_mapped,
                     ResolvedColumn out[kAuditColumnCount]) {
    const TupleDesc desc = RelationGetDescr(rel);
    for (AuditColumn column : kAllAuditColumns) {
        const std::size_t i = index_of(column);
        ResolvedColumn& slot = out[i];
        memset(&slot, 0, sizeof(slot));
        const FormData_pg_attribute* attr = find_attribute(desc, options.column_names[i]);
        if (attr == nullptr) {
            if (require_mapped && options.mapped[i])
                ereport(ERROR,
                        (errcode(ERRCODE_UNDEFINED_COLUMN),
                         errmsg("audit_fields: column \"%s\" (mapped from %s) does not exist in "
                                "table \"%s\"",
                                options.column_names[i], default_name(column).data(),
                                qualified_name(rel))));
            continue;
        }
        if (attr->attgenerated != '\0')
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("audit_fields: column \"%s\" of table \"%s\" is a generated "
                                   "column and cannot be stamped",
                                   options.column_names[i], qualified_name(rel))));
        check_usable_type(rel, column, attr);
        slot.attnum = attr->attnum;
        slot.typid = attr->atttypid;
        slot.typmod = attr->atttypmod;
        slot.typlen = attr->attlen;
        slot.typbyval = attr->attbyval;
        int32 base_typmod = attr->atttypmod;
        slot.is_timestamptz = getBaseTypeAndTypmod(attr->atttypid, &base_typmod) == TIMESTAMPTZOID;
        slot.clock_typmod = base_typmod;
    }
}

} // namespace audit_fields::pg
