#include "core/glob.h"
#include "core/ignore_marker.h"

#include <gtest/gtest.h>

using namespace audit_fields;
using audit_fields::scan::ignore_reason;

TEST(IgnoreMarker, ReasonIsRestOfLine) {
    EXPECT_EQ(ignore_reason("@audit_fields:ignore legacy import"), "legacy import");
    EXPECT_EQ(ignore_reason("Orders. @audit_fields:ignore  written by the ETL only  \nmore"),
              "written by the ETL only");
    EXPECT_EQ(ignore_reason("@audit_fields:ignore: colon form"), "colon form");
}

// A waiver must say why (AF010 reports the ones that do not).
TEST(IgnoreMarker, EmptyReasonIsNotHonoured) {
    EXPECT_FALSE(ignore_reason("@audit_fields:ignore"));
    EXPECT_FALSE(ignore_reason("x\n@audit_fields:ignore\ny"));
    EXPECT_FALSE(ignore_reason("@audit_fields:ignore:   "));
}

TEST(IgnoreMarker, NoMarkerOrLookAlike) {
    EXPECT_FALSE(ignore_reason(""));
    EXPECT_FALSE(ignore_reason("audit_fields:ignore no at-sign"));
    EXPECT_FALSE(ignore_reason("@audit_fields:ignored please"));
    EXPECT_FALSE(ignore_reason("mail@audit_fields:ignore"));
    EXPECT_FALSE(ignore_reason("@AUDIT_FIELDS:IGNORE case matters"));
}

TEST(IgnoreMarker, SecondOccurrenceCountsWhenFirstIsALookAlike) {
    EXPECT_EQ(ignore_reason("@audit_fields:ignored; (@audit_fields:ignore real)"), "real)");
}

TEST(Glob, Basics) {
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("public.*", "public.users"));
    EXPECT_FALSE(glob_match("public.*", "app.users"));
    EXPECT_TRUE(glob_match("*.tmp_?", "app.tmp_1"));
    EXPECT_FALSE(glob_match("*.tmp_?", "app.tmp_12"));
    EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
    EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
    EXPECT_TRUE(glob_match("a\\*", "a*"));
    EXPECT_FALSE(glob_match("a\\*", "ab"));
}

TEST(Glob, NoExponentialBacktracking) {
    const std::string text(2000, 'a');
    EXPECT_FALSE(glob_match("a*a*a*a*a*a*a*a*a*b", text));
}

TEST(Glob, ExcludeWithoutDotMatchesTableInAnySchema) {
    EXPECT_TRUE(exclude_matches("django_*", "public", "django_migrations"));
    EXPECT_TRUE(exclude_matches("django_*", "app", "django_session"));
    EXPECT_FALSE(exclude_matches("django_*", "django_x", "users"));
    EXPECT_TRUE(exclude_matches("app.*", "app", "users"));
    EXPECT_FALSE(exclude_matches("app.*", "public", "users"));
    EXPECT_TRUE(exclude_matches("*.Mixed Case", "public", "Mixed Case"));
}
