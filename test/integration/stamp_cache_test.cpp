// The trigger keeps a per-trigger plan (attribute numbers, types, input functions, the converted
// actor) for the life of the backend. These tests change the table under one long-lived
// connection, and from a second connection, and check that the very next row uses the new shape:
// a stale plan would stamp a renamed or dropped column, or write a value the new type rejects.
#include "test_support.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using audit_fields::test::Connection;
using audit_fields::test::ScratchDatabase;

namespace {

class StampCache : public audit_fields::test::SharedDatabaseTest<StampCache> {
  public:
    static constexpr const char* kDatabase = "af_stamp_cache";

  protected:
    // Each test works in a schema of its own name, so tables can be reused freely.
    void SetUp() override {
        const std::string schema = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        c().must("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        c().must("CREATE SCHEMA \"" + schema + "\"");
        c().must("SET search_path = \"" + schema + "\"");
        c().must("SET audit_fields.actor = 'alice'");
    }
};

} // namespace

TEST_F(StampCache, RenameColumnIntoAnAuditNameIsPickedUp) {
    c().must(
        "CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, author text)");
    c().must("SELECT audit_fields.enable('t')");
    c().must("INSERT INTO t (id, author) VALUES (1, 'client')"); // plan built: no created_by
    c().must("ALTER TABLE t RENAME COLUMN author TO created_by");
    c().must("INSERT INTO t (id, created_by) VALUES (2, 'client')");
    EXPECT_EQ(c().must("SELECT created_by FROM t WHERE id = 1").value(), "client");
    EXPECT_EQ(c().must("SELECT created_by FROM t WHERE id = 2").value(), "alice");
}

TEST_F(StampCache, RenameColumnAwayStopsStampingIt) {
    c().must("CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, "
             "created_by text)");
    c().must("SELECT audit_fields.enable('t')");
    c().must("INSERT INTO t (id) VALUES (1)");
    c().must("ALTER TABLE t RENAME COLUMN created_by TO created_by_email");
    c().must("INSERT INTO t (id, created_by_email) VALUES (2, 'client')");
    EXPECT_EQ(c().must("SELECT created_by_email FROM t WHERE id = 2").value(), "client");
    // ...until enable() maps it again.
    c().must("SELECT audit_fields.enable('t', column_map => '{\"created_by\": "
             "\"created_by_email\"}')");
    c().must("INSERT INTO t (id, created_by_email) VALUES (3, 'client')");
    EXPECT_EQ(c().must("SELECT created_by_email FROM t WHERE id = 3").value(), "alice");
}

TEST_F(StampCache, DropAndAddColumnsArePickedUp) {
    c().must("CREATE TABLE t (id int, note text, created_at timestamptz, updated_at timestamptz, "
             "created_by text)");
    c().must("SELECT audit_fields.enable('t')");
    c().must("INSERT INTO t (id) VALUES (1)");
    // Dropping a column in front moves nothing (attnums are stable) but the dropped audit column
    // itself must no longer be written.
    c().must("ALTER TABLE t DROP COLUMN note");
    c().must("ALTER TABLE t DROP COLUMN created_by");
    c().must("INSERT INTO t (id) VALUES (2)");
    // Added back with another type and a new attnum, plus a column that was missing.
    c().must("ALTER TABLE t ADD COLUMN created_by varchar(20), ADD COLUMN updated_by text");
    c().must("INSERT INTO t (id) VALUES (3)");
    c().must("UPDATE t SET id = id");
    const auto rows = c().must("SELECT id, created_by, updated_by FROM t ORDER BY id").rows;
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_FALSE(rows[0][1].has_value()); // rows 1 and 2 predate the column
    EXPECT_FALSE(rows[1][1].has_value());
    EXPECT_EQ(rows[2][1].value_or("NULL"), "alice");
    for (const auto& row : rows)
        EXPECT_EQ(row[2].value_or("NULL"), "alice"); // the UPDATE stamped every row
}

TEST_F(StampCache, TypeChangeInvalidatesTheConvertedActor) {
    c().must("CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, "
             "created_by varchar(10))");
    c().must("SELECT audit_fields.enable('t')");
    c().must("INSERT INTO t (id) VALUES (1)"); // 'alice' converted and cached as varchar(10)
    c().must("DELETE FROM t");
    c().must("ALTER TABLE t ALTER COLUMN created_by TYPE varchar(3)");
    const auto r = c().exec("INSERT INTO t (id) VALUES (2)");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.sqlstate, "22001") << r.error;
    EXPECT_NE(r.error.find("created_by"), std::string::npos) << r.error;
    c().must("ALTER TABLE t ALTER COLUMN created_by TYPE uuid USING NULL");
    const auto u = c().exec("INSERT INTO t (id) VALUES (3)");
    EXPECT_EQ(u.sqlstate, "22P02") << u.error;
    c().must("SET audit_fields.actor = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'");
    c().must("INSERT INTO t (id) VALUES (4)");
    EXPECT_EQ(c().must("SELECT created_by FROM t").value(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
}

TEST_F(StampCache, TimestampTypeChangeIsPickedUp) {
    c().must("SET TimeZone = 'Asia/Tokyo'");
    c().must("CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz)");
    c().must("SELECT audit_fields.enable('t')");
    c().must("INSERT INTO t (id) VALUES (1)");
    c().must("ALTER TABLE t ALTER COLUMN created_at TYPE timestamp, "
             "ALTER COLUMN updated_at TYPE timestamptz(0)");
    c().must("BEGIN");
    c().must("INSERT INTO t (id) VALUES (2)");
    EXPECT_EQ(
        c().must("SELECT created_at = now()::timestamp AND updated_at = now()::timestamptz(0) "
                 "FROM t WHERE id = 2")
            .value(),
        "t");
    c().must("COMMIT");
}

TEST_F(StampCache, ChangesFromAnotherConnectionArePickedUp) {
    c().must(
        "CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, author text)");
    c().must("SELECT audit_fields.enable('t')");
    c().must("INSERT INTO t (id) VALUES (1)");

    Connection other(db().conninfo());
    ASSERT_TRUE(other.ok()) << other.error();
    const std::string schema = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    other.must("SET search_path = \"" + schema + "\"");
    other.must("ALTER TABLE t RENAME COLUMN author TO created_by");
    c().must("INSERT INTO t (id) VALUES (2)");
    EXPECT_EQ(c().must("SELECT created_by FROM t WHERE id = 2").value(), "alice");

    // Options changed from elsewhere: fill mode keeps a client value.
    other.must("SELECT audit_fields.enable('t', stamp_mode => 'fill')");
    c().must("INSERT INTO t (id, created_by) VALUES (3, 'client')");
    EXPECT_EQ(c().must("SELECT created_by FROM t WHERE id = 3").value(), "client");

    // Disabled from elsewhere: rows pass through.
    other.must("SELECT audit_fields.disable('t')");
    c().must("INSERT INTO t (id) VALUES (4)");
    EXPECT_EQ(c().must("SELECT count(*) FROM t WHERE id = 4 AND created_at IS NULL").value(), "1");
}

TEST_F(StampCache, ReEnableWithOtherOptionsInTheSameSession) {
    c().must("CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, "
             "deleted_at timestamptz, created_by text, deleted_by text)");
    c().must("SELECT audit_fields.enable('t')");
    c().must("INSERT INTO t (id) VALUES (1), (2)");
    c().must("DELETE FROM t WHERE id = 1");
    EXPECT_EQ(c().must("SELECT count(*) FROM t").value(), "1");
    c().must("SELECT audit_fields.enable('t', soft_delete => true)");
    c().must("DELETE FROM t WHERE id = 2");
    EXPECT_EQ(c().must("SELECT deleted_by FROM t WHERE id = 2").value(), "alice");
    c().must("SELECT audit_fields.enable('t', on_created_change => 'reject')");
    const auto r = c().exec("UPDATE t SET created_by = 'mallory'");
    EXPECT_EQ(r.sqlstate, "23514") << r.error;
}

TEST_F(StampCache, PreparedStatementAcrossAlterTable) {
    c().must(
        "CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, author text)");
    c().must("SELECT audit_fields.enable('t')");
    c().must("PREPARE ins(int) AS INSERT INTO t (id) VALUES ($1)");
    for (int i = 1; i <= 6; ++i) // past the custom-plan threshold, so a generic plan is cached
        c().must("EXECUTE ins(" + std::to_string(i) + ")");
    c().must("ALTER TABLE t RENAME COLUMN author TO created_by");
    c().must("EXECUTE ins(7)");
    EXPECT_EQ(c().must("SELECT created_by FROM t WHERE id = 7").value(), "alice");
    c().must("DEALLOCATE ins");
}

TEST_F(StampCache, PartitionAttachedMidSession) {
    c().must("CREATE TABLE p (id int, region text, created_at timestamptz, updated_at timestamptz, "
             "created_by text) PARTITION BY LIST (region)");
    c().must("CREATE TABLE p_a PARTITION OF p FOR VALUES IN ('a')");
    c().must("SELECT audit_fields.enable('p')");
    c().must("INSERT INTO p (id, region) VALUES (1, 'a')");
    // A standalone table with the same columns in another order, written to before it is a
    // partition (no trigger then), attached mid-session: the cloned trigger maps its own attnums.
    c().must("CREATE TABLE p_b (created_by text, updated_at timestamptz, region text, id int, "
             "created_at timestamptz)");
    c().must("INSERT INTO p_b (id, region) VALUES (2, 'b')");
    c().must("ALTER TABLE p ATTACH PARTITION p_b FOR VALUES IN ('b')");
    c().must("INSERT INTO p (id, region) VALUES (3, 'b')");
    c().must("UPDATE p SET region = 'b' WHERE id = 1"); // moved into the attached partition
    const auto rows =
        c().must("SELECT id, created_by, tableoid::regclass::text FROM p ORDER BY id").rows;
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0][1].value_or("NULL"), "alice");
    EXPECT_EQ(rows[0][2].value_or(""), "p_b");
    EXPECT_EQ(rows[1][1].value_or("NULL"), "NULL"); // inserted before it was a partition
    EXPECT_EQ(rows[2][1].value_or("NULL"), "alice");
}

TEST_F(StampCache, SoftDeleteAfterDeletedAtTypeChange) {
    // fill mode keeps the deleted_at the soft delete passes in, so its type must be the new one.
    c().must("SET TimeZone = 'America/New_York'");
    c().must("CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, "
             "deleted_at timestamptz)");
    c().must("SELECT audit_fields.enable('t', soft_delete => true, stamp_mode => 'fill')");
    c().must("INSERT INTO t (id) VALUES (1), (2)");
    c().must("DELETE FROM t WHERE id = 1"); // the soft delete's plan is prepared and kept
    c().must("ALTER TABLE t ALTER COLUMN deleted_at TYPE timestamp");
    c().must("BEGIN");
    c().must("DELETE FROM t WHERE id = 2");
    EXPECT_EQ(c().must("SELECT deleted_at = now()::timestamp FROM t WHERE id = 2").value(), "t");
    c().must("COMMIT");
    c().must("ALTER TABLE t RENAME COLUMN deleted_at TO removed_at");
    c().must("SELECT audit_fields.enable('t', soft_delete => true, "
             "column_map => '{\"deleted_at\": \"removed_at\"}')");
    c().must("INSERT INTO t (id) VALUES (3)");
    c().must("DELETE FROM t WHERE id = 3");
    EXPECT_EQ(c().must("SELECT count(*) FROM t WHERE id = 3 AND removed_at IS NOT NULL").value(),
              "1");
}
