// How a cascaded DELETE is recognised. PostgreSQL carries out ON DELETE CASCADE from the parent's
// AFTER trigger (ri_triggers.c: RI_FKey_cascade_del -> ri_PerformCheck), which runs
// "DELETE FROM ONLY <child> WHERE <fk> = $1" through SPI as the child's owner, with the security
// context flag SECURITY_NOFORCE_RLS set for exactly the duration of that query. Only the RI code
// sets the flag and no SQL can set it, so a BEFORE DELETE row trigger that sees
// InNoForceRLSOperation() is running inside an RI query; and of the RI queries, only ON DELETE
// CASCADE deletes rows (SET NULL / SET DEFAULT and ON UPDATE CASCADE update them, the checks only
// lock them). The table must also have an ON DELETE CASCADE foreign key, which is what the error
// names.
//
// Signals that do not work: the trigger nesting depth (pg_trigger_depth(), the executor's query
// depth, being inside SPI) is just as deep for an application's own AFTER DELETE trigger that
// deletes children, which must stay a soft delete; and the old row cannot tell who deleted it.
// What the flag cannot tell apart: a user trigger that fires inside the cascade (an AFTER DELETE
// trigger of a hard-deleted child, run before the RI query ends) and deletes from another
// soft-delete table that has an ON DELETE CASCADE key is refused too; README.md says so.
#include "column_resolver.h" // first: it brings the core headers before pg.h
#include "foreign_key_cascade.h"

extern "C" {
#include "catalog/pg_constraint.h"
#include "nodes/parsenodes.h"
#include "utils/relcache.h"
}

namespace audit_fields::pg {

namespace {

// The first ON DELETE CASCADE foreign key of the table, or InvalidOid.
Oid cascading_foreign_key(Relation rel, Oid* parent) {
    List* keys = RelationGetFKeyList(rel);
    ListCell* cell;
    foreach (cell, keys) {
        const auto* key = static_cast<const ForeignKeyCacheInfo*>(lfirst(cell));
        HeapTuple tuple = SearchSysCache1(CONSTROID, ObjectIdGetDatum(key->conoid));
        if (!HeapTupleIsValid(tuple))
            continue;
        const bool cascade = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tuple))->confdeltype ==
                             FKCONSTR_ACTION_CASCADE;
        ReleaseSysCache(tuple);
        if (cascade) {
            *parent = key->confrelid;
            return key->conoid;
        }
    }
    return InvalidOid;
}

char* qualified_relid_name(Oid relid) {
    const char* schema = get_namespace_name(get_rel_namespace(relid));
    const char* table = get_rel_name(relid);
    return psprintf("%s.%s", schema != nullptr ? schema : "?", table != nullptr ? table : "?");
}

} // namespace

bool deleted_by_foreign_key_cascade(Relation rel) {
    if (!InNoForceRLSOperation())
        return false;
    Oid parent = InvalidOid;
    return OidIsValid(cascading_foreign_key(rel, &parent));
}

void reject_cascaded_delete(Relation rel) {
    Oid parent = InvalidOid;
    const Oid key = cascading_foreign_key(rel, &parent);
    const char* key_name = OidIsValid(key) ? get_constraint_name(key) : nullptr;
    const char* child = qualified_name(rel);
    const char* parent_name = OidIsValid(parent) ? qualified_relid_name(parent) : "?";
    ereport(ERROR,
            (errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
             errmsg("audit_fields: DELETE on table \"%s\" cascades into table \"%s\", which has "
                    "soft_delete => true",
                    parent_name, child),
             errdetail("Foreign key \"%s\" is ON DELETE CASCADE. Soft-deleting the rows of \"%s\" "
                       "would keep them pointing at a parent that no longer exists, so nothing "
                       "was deleted.",
                       key_name != nullptr ? key_name : "?", child),
             errhint("Soft-delete the parent instead (enable soft_delete on \"%s\" with "
                     "audit_fields.enable()), or, if the rows of \"%s\" may be removed for good, "
                     "re-run audit_fields.enable() on it without soft_delete.",
                     parent_name, child),
             key_name != nullptr ? errtableconstraint(rel, key_name) : 0));
}

} // namespace audit_fields::pg
