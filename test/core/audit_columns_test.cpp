// The nine logical columns of docs/contract.md and their kinds (core/audit_columns.h).
#include "core/audit_columns.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace audit_fields;

TEST(AuditColumns, NineColumnsWithSpecNames) {
    const char* expected[] = {"created_at",      "updated_at",      "deleted_at",
                              "created_by",      "created_by_name", "updated_by",
                              "updated_by_name", "deleted_by",      "deleted_by_name"};
    ASSERT_EQ(kAllAuditColumns.size(), kAuditColumnCount);
    std::set<std::string> names;
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        EXPECT_EQ(default_name(kAllAuditColumns[i]), expected[i]);
        EXPECT_EQ(index_of(kAllAuditColumns[i]), i);
        names.insert(std::string(default_name(kAllAuditColumns[i])));
    }
    EXPECT_EQ(names.size(), kAuditColumnCount);
}

TEST(AuditColumns, KindsFollowTheNameSuffix) {
    for (AuditColumn c : kAllAuditColumns) {
        const std::string name(default_name(c));
        const ColumnKind expected =
            name.size() > 3 && name.compare(name.size() - 3, 3, "_at") == 0 ? ColumnKind::Timestamp
            : name.size() > 5 && name.compare(name.size() - 5, 5, "_name") == 0
                ? ColumnKind::ActorName
                : ColumnKind::Actor;
        EXPECT_EQ(kind_of(c), expected) << name;
    }
}

TEST(AuditColumns, NameLookupRoundTripsAndIsExact) {
    for (AuditColumn c : kAllAuditColumns)
        EXPECT_EQ(audit_column_from_name(default_name(c)), c);
    EXPECT_FALSE(audit_column_from_name("Created_At").has_value());
    EXPECT_FALSE(audit_column_from_name("created_at ").has_value());
    EXPECT_FALSE(audit_column_from_name("").has_value());
    EXPECT_FALSE(audit_column_from_name("stamp_mode").has_value());
}

TEST(AuditColumns, AllLogicalNamesListsEveryColumn) {
    const std::string all = all_logical_names();
    for (AuditColumn c : kAllAuditColumns)
        EXPECT_NE(all.find(std::string(default_name(c))), std::string::npos) << default_name(c);
}
