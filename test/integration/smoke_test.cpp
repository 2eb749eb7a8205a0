#include "test_support.h"

#include <gtest/gtest.h>

using audit_fields::test::Connection;
using audit_fields::test::ScratchDatabase;

// The extension installs and stamps a row over a plain libpq connection.
TEST(Smoke, ExtensionStampsOverLibpq) {
    ScratchDatabase db("af_smoke");
    Connection c(db.conninfo());
    ASSERT_TRUE(c.ok()) << c.error();
    c.must(
        "CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, created_by text)");
    c.must("SELECT audit_fields.enable('t')");
    c.must("BEGIN");
    c.must("SET LOCAL audit_fields.actor = 'smoke@example.com'");
    c.must("INSERT INTO t (id) VALUES (1)");
    c.must("COMMIT");
    EXPECT_EQ(c.must("SELECT created_by FROM t").value(), "smoke@example.com");
    EXPECT_EQ(c.must("SELECT count(*) FROM t WHERE created_at IS NOT NULL").value(), "1");
}
