#include "core/table_options.h"

#include <gtest/gtest.h>

using namespace audit_fields;

TEST(TableOptions, DefaultsWhenEmpty) {
    const TableOptions o = parse_table_options({});
    EXPECT_EQ(o.policy.mode, StampMode::Force);
    EXPECT_EQ(o.policy.on_created_change, CreatedChange::Restore);
    EXPECT_FALSE(o.policy.soft_delete);
    EXPECT_EQ(o.column_name(AuditColumn::CreatedByName), "created_by_name");
}

TEST(TableOptions, ParsesEveryOptionAndRename) {
    const TableOptions o =
        parse_table_options({"stamp_mode=fill", "soft_delete=true", "on_created_change=reject",
                             "created_by=created_by_email"});
    EXPECT_EQ(o.policy.mode, StampMode::Fill);
    EXPECT_TRUE(o.policy.soft_delete);
    EXPECT_EQ(o.policy.on_created_change, CreatedChange::Reject);
    EXPECT_EQ(o.column_name(AuditColumn::CreatedBy), "created_by_email");
    EXPECT_TRUE(o.mapped[index_of(AuditColumn::CreatedBy)]);
}

TEST(TableOptions, TriggerArgsRoundTrip) {
    const TableOptions o = parse_table_options({"updated_at=modified=on", "stamp_mode=fill"});
    const std::vector<std::string> args = format_trigger_args(o);
    const TableOptions back = parse_table_options(args);
    EXPECT_EQ(back.column_name(AuditColumn::UpdatedAt), "modified=on");
    EXPECT_EQ(back.policy.mode, StampMode::Fill);
    EXPECT_EQ(format_trigger_args(back), args);
}

TEST(TableOptions, RejectsBadInputNamingTheOption) {
    EXPECT_THROW(parse_table_options({"stamp_mode=always"}), OptionError);
    EXPECT_THROW(parse_table_options({"nonsense=1"}), OptionError);
    EXPECT_THROW(parse_table_options({"no_equals_sign"}), OptionError);
    EXPECT_THROW(parse_table_options({"created_by="}), OptionError);
    EXPECT_THROW(parse_table_options({"soft_delete=maybe"}), OptionError);
    EXPECT_THROW(parse_table_options({"stamp_mode=fill", "stamp_mode=force"}), OptionError);
    EXPECT_THROW(parse_table_options({"created_by=who", "updated_by=who"}), OptionError);
    try {
        parse_table_options({"on_created_change=ignore"});
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_NE(std::string(e.what()).find("on_created_change"), std::string::npos);
    }
}
