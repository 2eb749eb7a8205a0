#include "renamed_columns.h"

namespace audit_fields::scan {

const std::vector<std::string_view>& renamed_candidates(AuditColumn column) {
    static const std::vector<std::string_view> created_at = {
        "created",       "created_on",   "created_time", "create_time", "creation_time",
        "creation_date", "date_created", "created_date", "inserted_at", "insert_time",
        "createdat",     "created_ts",   "added_at",     "date_added"};
    static const std::vector<std::string_view> updated_at = {
        "updated",          "modified",     "modified_at", "changed",       "changed_at",
        "updated_on",       "modified_on",  "update_time", "updated_time",  "last_modified",
        "last_modified_at", "last_updated", "last_update", "date_modified", "date_updated",
        "updatedat",        "updated_ts",   "touched",     "mtime"};
    static const std::vector<std::string_view> deleted_at = {
        "deleted",    "deleted_on",   "deleted_time", "deletion_time", "deletion_date",
        "removed_at", "date_deleted", "deletedat",    "trashed_at"};
    static const std::vector<std::string_view> created_by = {
        "created_by_id", "created_by_user_id", "created_by_user", "created_by_email",
        "creator",       "creator_id",         "created_user_id", "author_id",
        "createdby",     "inserted_by",        "added_by"};
    static const std::vector<std::string_view> created_by_name = {
        "creator_name", "created_by_username", "created_by_display_name", "author_name"};
    static const std::vector<std::string_view> updated_by = {
        "updated_by_id", "updated_by_user_id", "updated_by_email",
        "modified_by",   "modified_by_id",     "changed_by",
        "changed_by_id", "last_modified_by",   "last_updated_by",
        "updater",       "updater_id",         "editor_id",
        "updatedby"};
    static const std::vector<std::string_view> updated_by_name = {
        "modified_by_name", "changed_by_name", "updated_by_username", "editor_name"};
    static const std::vector<std::string_view> deleted_by = {
        "deleted_by_id", "deleted_by_user_id", "deleted_by_email", "removed_by", "deletedby"};
    static const std::vector<std::string_view> deleted_by_name = {"deleted_by_username",
                                                                  "removed_by_name"};
    switch (column) {
    case AuditColumn::CreatedAt:
        return created_at;
    case AuditColumn::UpdatedAt:
        return updated_at;
    case AuditColumn::DeletedAt:
        return deleted_at;
    case AuditColumn::CreatedBy:
        return created_by;
    case AuditColumn::CreatedByName:
        return created_by_name;
    case AuditColumn::UpdatedBy:
        return updated_by;
    case AuditColumn::UpdatedByName:
        return updated_by_name;
    case AuditColumn::DeletedBy:
        return deleted_by;
    case AuditColumn::DeletedByName:
        return deleted_by_name;
    }
    return created_at;
}

} // namespace audit_fields::scan
