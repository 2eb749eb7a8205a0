// Which column types the trigger, enable() and the scanner accept (core/column_types.h).
#include "core/column_types.h"

#include <gtest/gtest.h>

using namespace audit_fields;

namespace {
ColumnTypeInfo type(const char* name, char category) {
    return ColumnTypeInfo{name, category};
}
} // namespace

TEST(ColumnTypes, TimestampColumnsTakeBothTimestampTypes) {
    for (AuditColumn c : {AuditColumn::CreatedAt, AuditColumn::UpdatedAt, AuditColumn::DeletedAt}) {
        EXPECT_TRUE(check_column_type(c, type(kTimestampTz, 'D')).usable);
        EXPECT_TRUE(check_column_type(c, type(kTimestamp, 'D')).usable);
    }
}

TEST(ColumnTypes, TimestampColumnsRefuseOtherTypesNamingTheType) {
    for (const char* name : {"date", "text", "time with time zone", "bigint", "interval"}) {
        const TypeVerdict v = check_column_type(AuditColumn::CreatedAt, type(name, 'D'));
        EXPECT_FALSE(v.usable) << name;
        EXPECT_NE(v.reason.find(name), std::string::npos) << v.reason;
        EXPECT_NE(v.reason.find("timestamp with time zone"), std::string::npos) << v.reason;
    }
}

TEST(ColumnTypes, ActorColumnsTakeAnyScalarWithAnInputFunction) {
    const ColumnTypeInfo usable[] = {
        type("text", 'S'),         type("character varying(64)", 'S'),
        type("character(8)", 'S'), type("uuid", 'U'),
        type("integer", 'N'),      type("bigint", 'N'),
        type("numeric", 'N'),      type("role_kind", 'E'),
        type("citext", 'S'),
    };
    for (AuditColumn c :
         {AuditColumn::CreatedBy, AuditColumn::UpdatedByName, AuditColumn::DeletedBy}) {
        for (const ColumnTypeInfo& t : usable)
            EXPECT_TRUE(check_column_type(c, t).usable) << t.base_type;
    }
}

TEST(ColumnTypes, ActorColumnsRefuseArraysCompositesAndOthers) {
    const ColumnTypeInfo unusable[] = {
        type("text[]", 'A'), type("boolean", 'B'),  type("point", 'G'),
        type("record", 'P'), type("some_row", 'C'), type("timestamp with time zone", 'D'),
    };
    for (const ColumnTypeInfo& t : unusable) {
        const TypeVerdict v = check_column_type(AuditColumn::CreatedBy, t);
        EXPECT_FALSE(v.usable) << t.base_type;
        EXPECT_NE(v.reason.find(t.base_type), std::string::npos) << v.reason;
    }
}

TEST(ColumnTypes, NulCategoryIsNotScalar) {
    EXPECT_FALSE(check_column_type(AuditColumn::CreatedBy, type("weird", '\0')).usable);
}

TEST(ColumnTypes, WithoutTimeZoneIsFlaggedForAF005) {
    EXPECT_TRUE(is_timestamp_without_time_zone(type(kTimestamp, 'D')));
    EXPECT_FALSE(is_timestamp_without_time_zone(type(kTimestampTz, 'D')));
    EXPECT_FALSE(is_timestamp_without_time_zone(type("text", 'S')));
}
