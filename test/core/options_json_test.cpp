// trigger_options_json(): what audit_fields.trigger_options() and the audit_fields.tables view
// show, from the parser the trigger uses.
#include "core/options_json.h"

#include <gtest/gtest.h>

#include <string>

using namespace audit_fields;

TEST(OptionsJson, CanonicalObjectWithEveryColumn) {
    EXPECT_EQ(trigger_options_json({"stamp_mode=fill", "created_by=a=b", "soft_delete=yes"}),
              "{\"stamp_mode\": \"fill\", \"soft_delete\": true, \"on_created_change\": "
              "\"restore\", \"missing_actor\": null, \"columns\": {\"created_at\": \"created_at\", "
              "\"updated_at\": \"updated_at\", \"deleted_at\": \"deleted_at\", \"created_by\": "
              "\"a=b\", \"created_by_name\": \"created_by_name\", \"updated_by\": \"updated_by\", "
              "\"updated_by_name\": \"updated_by_name\", \"deleted_by\": \"deleted_by\", "
              "\"deleted_by_name\": \"deleted_by_name\"}}");
    EXPECT_NE(trigger_options_json({"missing_actor=warn"}).find("\"missing_actor\": \"warn\""),
              std::string::npos);
}

TEST(OptionsJson, WhatTheTriggerRejectsIsAnError) {
    // "_" is a wildcard in LIKE: the SQL copy before 1.2 read createdXby as created_by.
    for (const auto& args : std::vector<std::vector<std::string>>{{"createdXby=author"},
                                                                  {"created_by=x", "created_by=y"},
                                                                  {"STAMP_MODE=fill"},
                                                                  {"created_at="},
                                                                  {"soft_delete=maybe"}})
        EXPECT_EQ(trigger_options_json(args).rfind("{\"error\": \"", 0), 0u) << args[0];
}

TEST(OptionsJson, SplitsTgargsOnNul) {
    using V = std::vector<std::string>;
    EXPECT_EQ(split_trigger_args(std::string("a=1\0b=2\0", 8)), (V{"a=1", "b=2"}));
    EXPECT_EQ(split_trigger_args(std::string("a=1\0\0", 5)), (V{"a=1", ""}));
    EXPECT_EQ(split_trigger_args("tail"), (V{"tail"}));
    EXPECT_TRUE(split_trigger_args("").empty());
}
