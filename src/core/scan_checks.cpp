#include "scan_checks.h"

namespace audit_fields::scan {

const std::vector<CheckInfo>& all_checks() {
    static const std::vector<CheckInfo> checks = {
        {"AF001", Severity::Error, "no created_at/updated_at",
         "The table lacks created_at or updated_at: nothing records when rows are created or "
         "changed. Add the columns (or map existing ones with column_map) and enable the table."},
        {"AF002", Severity::Warning, "no actor columns",
         "The table lacks created_by, created_by_name, updated_by or updated_by_name: rows do not "
         "record who wrote them."},
        {"AF003", Severity::Warning, "incomplete soft-delete columns",
         "deleted_at without deleted_by/deleted_by_name, or the reverse: soft deletes do not "
         "record "
         "who deleted the row, or when."},
        {"AF004", Severity::Error, "unusable column type",
         "An audit column has a type the trigger cannot write (timestamps must be timestamp or "
         "timestamptz, actors a scalar type), or is a generated column."},
        {"AF005", Severity::Warning, "timestamp without time zone",
         "An audit timestamp is timestamp without time zone: its values depend on the writer's "
         "TimeZone setting."},
        {"AF006", Severity::Error, "not enforced",
         "Audit columns exist but no audit_fields trigger fills them: every code path must do it "
         "by hand. Enable the table."},
        {"AF007", Severity::Error, "trigger disabled or misconfigured",
         "The audit_fields trigger is disabled, does not fire BEFORE ... FOR EACH ROW on INSERT "
         "and "
         "UPDATE, or has arguments it rejects. Re-run audit_fields.enable()."},
        {"AF008", Severity::Warning, "nullable and not enforced",
         "created_at or updated_at accepts NULL and nothing fills it: a writer that forgets the "
         "column stores NULL."},
        {"AF009", Severity::Warning, "suspected renamed audit column",
         "A column looks like a renamed audit column (created_by_id, created, modified, ...) that "
         "neither column_map nor a configured alias maps. The scan treats it as that column; "
         "confirm with an alias in the configuration, or with column_map when enabling."},
        {"AF010", Severity::Warning, "waiver not honoured",
         "An @audit_fields:ignore waiver in the table's comment has no reason, has expired, names "
         "an unknown check or has an unreadable date, so it waives nothing."},
        {"AF011", Severity::Warning, "unique index ignores soft deletes",
         "A soft-delete table has a unique index or constraint that also covers deleted rows: "
         "re-creating a row that was soft-deleted fails. Make it a partial unique index WHERE "
         "deleted_at IS NULL."},
        {"AF012", Severity::Error, "soft delete and foreign keys disagree",
         "A soft-delete table is the child of an ON DELETE CASCADE foreign key (deleting the "
         "parent "
         "fails or loses history), or a soft-delete parent has children that are not soft-delete "
         "(they keep pointing at deleted rows)."},
        {"AF013", Severity::Warning, "actor types disagree",
         "Actor columns of enabled tables have types no single actor value fits (e.g. integer "
         "here, "
         "text there): one session actor cannot be right for both."},
    };
    return checks;
}

const CheckInfo* find_check(std::string_view id) {
    for (const CheckInfo& c : all_checks())
        if (id == c.id)
            return &c;
    return nullptr;
}

} // namespace audit_fields::scan
