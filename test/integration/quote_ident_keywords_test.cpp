// sql::quote_ident (names in the scanner's --fix-sql) against the keyword list of the server it
// runs on: every keyword that cannot be a column name unquoted must come out quoted, and every
// keyword must come out as a usable column name. The keyword list grows with new majors
// (system_user became reserved in 16), so this runs on every major CI tests.
#include "test_support.h"

#include "core/sql_text.h"

#include <gtest/gtest.h>

#include <string>

using audit_fields::test::cluster_conninfo;
using audit_fields::test::Connection;

TEST(QuoteIdentKeywords, ReservedAndTypeFunctionKeywordsAreQuoted) {
    Connection c(cluster_conninfo("postgres"));
    ASSERT_TRUE(c.ok()) << c.error();
    // R = reserved, T = type or function name: neither may be a column name unquoted.
    const auto keywords = c.must("SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')");
    ASSERT_GT(keywords.rows.size(), 50u);
    for (const auto& row : keywords.rows) {
        const std::string word = row.at(0).value();
        EXPECT_EQ(audit_fields::sql::quote_ident(word), "\"" + word + "\"") << word;
    }
}

TEST(QuoteIdentKeywords, EveryKeywordQuotedAsNeededIsAColumnName) {
    Connection c(cluster_conninfo("postgres"));
    ASSERT_TRUE(c.ok()) << c.error();
    const auto keywords = c.must("SELECT word FROM pg_get_keywords() ORDER BY word");
    std::string columns;
    for (const auto& row : keywords.rows)
        columns += (columns.empty() ? "" : ", ") +
                   audit_fields::sql::quote_ident(row.at(0).value()) + " int";
    // One temporary table with a column per keyword, named as --fix-sql would name it.
    c.must("CREATE TEMP TABLE keyword_columns (" + columns + ")");
    EXPECT_EQ(
        c.must("SELECT count(*) FROM pg_attribute WHERE attrelid = 'keyword_columns'::regclass "
               "AND attnum > 0")
            .value(),
        std::to_string(keywords.rows.size()));
}
