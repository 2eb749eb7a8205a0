// now() is when a transaction started, not when it writes. These tests interleave two connections
// so that a transaction which began before a row existed updates it afterwards: the row's stamps
// must still never go backwards (updated_at >= created_at, and >= the previous updated_at).
#include "test_support.h"

#include <gtest/gtest.h>

using audit_fields::test::Connection;

namespace {

class StampClock : public audit_fields::test::SharedDatabaseTest<StampClock> {
  public:
    static constexpr const char* kDatabase = "af_stamp_clock";
    static void prepare_database(Connection& setup) {
        setup.must("CREATE TABLE t (id int PRIMARY KEY, note text, created_at timestamptz, "
                   "updated_at timestamptz, deleted_at timestamptz, created_by text, "
                   "updated_by text, deleted_by text)");
        setup.must("SELECT audit_fields.enable('t', soft_delete => true)");
        setup.must("CREATE TABLE local_time (id int PRIMARY KEY, created_at timestamp(3), "
                   "updated_at timestamp(3))");
        setup.must("SELECT audit_fields.enable('local_time')");
    }

  protected:
    void SetUp() override {
        c().must("TRUNCATE t, local_time");
        c().must("SET audit_fields.actor = 'writer'");
    }
};

} // namespace

TEST_F(StampClock, UpdateFromAnOlderTransactionDoesNotPrecedeCreatedAt) {
    Connection older(db().conninfo());
    ASSERT_TRUE(older.ok()) << older.error();
    older.must("BEGIN");
    older.must("SET LOCAL audit_fields.actor = 'older'");
    older.must("SELECT now()"); // fixes the older transaction's clock
    c().must("SELECT pg_sleep(0.05)");
    c().must("INSERT INTO t (id) VALUES (1)"); // autocommit: created after older began
    older.must("UPDATE t SET note = 'late' WHERE id = 1");
    older.must("COMMIT");
    EXPECT_EQ(c().must("SELECT updated_at >= created_at, updated_by FROM t").rows.at(0).at(0), "t");
    EXPECT_EQ(c().must("SELECT updated_by FROM t").value(), "older");
}

TEST_F(StampClock, UpdatedAtNeverMovesBackwards) {
    c().must("INSERT INTO t (id) VALUES (1)");
    Connection older(db().conninfo());
    ASSERT_TRUE(older.ok()) << older.error();
    older.must("BEGIN");
    older.must("SET LOCAL audit_fields.actor = 'older'");
    older.must("SELECT now()");
    c().must("SELECT pg_sleep(0.05)");
    c().must("UPDATE t SET note = 'newer' WHERE id = 1");
    const std::string after_newer = c().must("SELECT updated_at FROM t").value();
    older.must("UPDATE t SET note = 'older' WHERE id = 1");
    older.must("COMMIT");
    EXPECT_EQ(c().must("SELECT updated_at >= '" + after_newer + "'::timestamptz FROM t").value(),
              "t");
}

TEST_F(StampClock, SoftDeleteFromAnOlderTransactionDoesNotPrecedeTheRow) {
    Connection older(db().conninfo());
    ASSERT_TRUE(older.ok()) << older.error();
    older.must("BEGIN");
    older.must("SET LOCAL audit_fields.actor = 'older'");
    older.must("SELECT now()");
    c().must("SELECT pg_sleep(0.05)");
    c().must("INSERT INTO t (id) VALUES (1)");
    older.must("DELETE FROM t WHERE id = 1");
    older.must("COMMIT");
    EXPECT_EQ(c().must("SELECT deleted_at >= created_at AND updated_at >= created_at AND "
                       "deleted_by = 'older' FROM t")
                  .value(),
              "t");
}

TEST_F(StampClock, LocalTimeColumnsKeepTheirOrderToo) {
    Connection older(db().conninfo());
    ASSERT_TRUE(older.ok()) << older.error();
    older.must("BEGIN");
    older.must("SELECT now()");
    c().must("SELECT pg_sleep(0.05)");
    c().must("INSERT INTO local_time (id) VALUES (1)");
    older.must("UPDATE local_time SET id = 1");
    older.must("COMMIT");
    EXPECT_EQ(c().must("SELECT updated_at >= created_at FROM local_time").value(), "t");
}
