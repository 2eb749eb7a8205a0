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

TEST(TableOptions, BooleanSpellingsOfSoftDelete) {
    for (const char* yes : {"true", "on", "yes", "1", "t"})
        EXPECT_TRUE(parse_table_options({std::string("soft_delete=") + yes}).policy.soft_delete);
    for (const char* no : {"false", "off", "no", "0", "f"})
        EXPECT_FALSE(parse_table_options({std::string("soft_delete=") + no}).policy.soft_delete);
}

TEST(TableOptions, UnmappedColumnsAreNotMarkedMapped) {
    const TableOptions o = parse_table_options({"created_by=author"});
    for (AuditColumn c : kAllAuditColumns)
        EXPECT_EQ(o.mapped[index_of(c)], c == AuditColumn::CreatedBy) << default_name(c);
}

TEST(TableOptions, CanonicalArgsPutPolicyFirstAndOmitDefaultNames) {
    const TableOptions o =
        parse_table_options({"deleted_at=removed_at", "soft_delete=yes", "created_at=created_at"});
    const std::vector<std::string> expected = {"stamp_mode=force", "soft_delete=true",
                                               "on_created_change=restore",
                                               "deleted_at=removed_at"};
    EXPECT_EQ(format_trigger_args(o), expected);
}

TEST(TableOptions, MappingOntoAnotherLogicalDefaultNameIsAClash) {
    // created_by mapped to "updated_by" while updated_by keeps its default name
    EXPECT_THROW(parse_table_options({"created_by=updated_by"}), OptionError);
    // ...but a swap is fine
    const TableOptions o = parse_table_options({"created_by=updated_by", "updated_by=created_by"});
    EXPECT_EQ(o.column_name(AuditColumn::CreatedBy), "updated_by");
}

TEST(TableOptions, ToStringNamesEveryValue) {
    EXPECT_STREQ(to_string(StampMode::Force), "force");
    EXPECT_STREQ(to_string(StampMode::Fill), "fill");
    EXPECT_STREQ(to_string(CreatedChange::Restore), "restore");
    EXPECT_STREQ(to_string(CreatedChange::Reject), "reject");
}

TEST(TableOptions, FillOnInsertMode) {
    const TableOptions o = parse_table_options({"stamp_mode=fill_on_insert"});
    EXPECT_EQ(o.policy.mode, StampMode::FillOnInsert);
    EXPECT_STREQ(to_string(StampMode::FillOnInsert), "fill_on_insert");
    EXPECT_EQ(format_trigger_args(o).front(), "stamp_mode=fill_on_insert");
    EXPECT_EQ(parse_table_options(format_trigger_args(o)).policy.mode, StampMode::FillOnInsert);
    try {
        parse_table_options({"stamp_mode=fill-on-insert"});
        FAIL();
    } catch (const OptionError& e) {
        EXPECT_NE(std::string(e.what()).find("force, fill or fill_on_insert"), std::string::npos);
    }
}

TEST(TableOptions, MissingActorFollowsTheSettingUnlessGiven) {
    EXPECT_EQ(parse_table_options({}).policy.missing_actor, MissingActorPolicy::Setting);
    const std::pair<const char*, MissingActorPolicy> cases[] = {
        {"reject", MissingActorPolicy::Reject},
        {"warn", MissingActorPolicy::Warn},
        {"session_user", MissingActorPolicy::SessionUser},
        {"allow", MissingActorPolicy::Allow},
        {"setting", MissingActorPolicy::Setting},
    };
    for (const auto& [text, policy] : cases) {
        const TableOptions o = parse_table_options({std::string("missing_actor=") + text});
        EXPECT_EQ(o.policy.missing_actor, policy) << text;
        EXPECT_STREQ(to_string(policy), text);
        EXPECT_EQ(parse_table_options(format_trigger_args(o)).policy.missing_actor, policy);
    }
    EXPECT_THROW(parse_table_options({"missing_actor=ignore"}), OptionError);
    EXPECT_THROW(parse_table_options({"missing_actor=warn", "missing_actor=allow"}), OptionError);
}

TEST(TableOptions, MissingActorIsInTheTriggerArgsOnlyWhenTheTableHasItsOwn) {
    // Tables that follow the setting keep the arguments they had before the option existed.
    const std::vector<std::string> before = {"stamp_mode=force", "soft_delete=false",
                                             "on_created_change=restore"};
    EXPECT_EQ(format_trigger_args(parse_table_options({})), before);
    EXPECT_EQ(format_trigger_args(parse_table_options({"missing_actor=setting"})), before);
    const std::vector<std::string> warn = {"stamp_mode=force", "soft_delete=false",
                                           "on_created_change=restore", "missing_actor=warn",
                                           "created_at=createdAt"};
    EXPECT_EQ(
        format_trigger_args(parse_table_options({"created_at=createdAt", "missing_actor=warn"})),
        warn);
}
