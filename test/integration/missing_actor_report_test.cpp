// The missing-actor report between sessions: writing it never fails or blocks the application's
// commit for long, and counts a failed write gave back arrive with a later one.
#include "test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

using audit_fields::test::Connection;

namespace {

class MissingActorReport : public audit_fields::test::SharedDatabaseTest<MissingActorReport> {
  public:
    static constexpr const char* kDatabase = "af_missing_actor_report";
    static void prepare_database(Connection& setup) {
        setup.must("CREATE TABLE t (id int, created_at timestamptz, created_by text)");
        setup.must("SELECT audit_fields.enable('t', missing_actor => 'warn')");
    }

  protected:
    void SetUp() override {
        c().must("TRUNCATE t");
        c().must("SELECT audit_fields.reset_missing_actor_report()");
    }
    std::string misses() {
        return c()
            .must("SELECT coalesce(sum(misses), 0) FROM audit_fields.missing_actor_report "
                  "WHERE relation = 't'::regclass")
            .value();
    }
};

} // namespace

TEST_F(MissingActorReport, AFailedReportWriteNeverFailsTheCommitAndIsRetried) {
    Connection writer(db().conninfo());
    ASSERT_TRUE(writer.ok()) << writer.error();
    writer.must("SET audit_fields.missing_actor_flush_interval = 0");
    writer.must("SET lock_timeout = '100ms'");

    // Another session holds the report's table: the writer's report write times out.
    c().must("BEGIN");
    c().must("LOCK TABLE audit_fields.missing_actor_misses IN EXCLUSIVE MODE");
    const auto committed = writer.exec("INSERT INTO t (id) VALUES (1), (2)");
    EXPECT_TRUE(committed.ok) << committed.error; // the application's write committed
    c().must("COMMIT");
    EXPECT_EQ(c().must("SELECT count(*) FROM t").value(), "2");
    EXPECT_EQ(misses(), "0");

    // The counts stayed in the writer's memory and come with its next write.
    writer.must("INSERT INTO t (id) VALUES (3)");
    EXPECT_EQ(misses(), "3");
}

// A role that may LOCK the report's table (its owner, a superuser, a role an administrator granted
// DELETE or UPDATE; before 1.3 every role, through PUBLIC's DELETE) can hold it as long as it
// likes. A writer's commit must not wait behind such a lock, whatever the writer's own
// lock_timeout (statement_timeout ends before the commit, so nothing else bounds the wait): the
// report write gives up at once, the commit goes through, the counts come with a later write.
TEST_F(MissingActorReport, ARoleLockingTheReportTableDoesNotHoldUpCommits) {
    c().must("DROP ROLE IF EXISTS regress_report_locker");
    c().must("CREATE ROLE regress_report_locker LOGIN");
    c().must("GRANT DELETE ON audit_fields.missing_actor_misses TO regress_report_locker");
    Connection writer(db().conninfo());
    ASSERT_TRUE(writer.ok()) << writer.error();
    writer.must("SET audit_fields.missing_actor_flush_interval = 0");
    writer.must("SET lock_timeout = 0"); // the default: wait for ever

    {
        Connection locker(db().conninfo() + " user=regress_report_locker");
        ASSERT_TRUE(locker.ok()) << locker.error();
        // The server ends the locker's session after 3 s, which bounds the test should the
        // writer wait.
        locker.must("SET idle_in_transaction_session_timeout = '3s'");
        locker.must("BEGIN");
        locker.must("LOCK TABLE audit_fields.missing_actor_misses IN ACCESS EXCLUSIVE MODE");
        const auto start = std::chrono::steady_clock::now();
        const auto committed = writer.exec("INSERT INTO t (id) VALUES (1), (2)");
        const auto waited = std::chrono::steady_clock::now() - start;
        EXPECT_TRUE(committed.ok) << committed.error;
        EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(), 2000);
        locker.exec("COMMIT");
    }
    EXPECT_EQ(c().must("SELECT count(*) FROM t").value(), "2");
    writer.must("INSERT INTO t (id) VALUES (3)");
    EXPECT_EQ(misses(), "3");
    c().must("REVOKE DELETE ON audit_fields.missing_actor_misses FROM regress_report_locker");
    c().must("DROP ROLE regress_report_locker");
}

// A reset left in an open transaction holds the rows it deleted; a writer adding to one of them
// waits for that transaction. The wait is bounded (1 s) whatever the writer's lock_timeout, and
// the counts come with a later write.
TEST_F(MissingActorReport, AResetLeftOpenHoldsUpCommitsForASecondAtMost) {
    Connection writer(db().conninfo());
    ASSERT_TRUE(writer.ok()) << writer.error();
    writer.must("SET audit_fields.missing_actor_flush_interval = 0");
    writer.must("SET lock_timeout = 0");          // the default: wait for ever
    writer.must("INSERT INTO t (id) VALUES (1)"); // the writer's report row exists
    {
        Connection resetter(db().conninfo());
        ASSERT_TRUE(resetter.ok()) << resetter.error();
        // The server ends the resetter's session after 4 s, which bounds the test.
        resetter.must("SET idle_in_transaction_session_timeout = '4s'");
        resetter.must("BEGIN");
        resetter.must("SELECT audit_fields.reset_missing_actor_report('t')");
        const auto start = std::chrono::steady_clock::now();
        const auto committed = writer.exec("INSERT INTO t (id) VALUES (2)");
        const auto waited = std::chrono::steady_clock::now() - start;
        EXPECT_TRUE(committed.ok) << committed.error;
        EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(), 2500);
        resetter.exec("COMMIT");
    }
    writer.must("INSERT INTO t (id) VALUES (3)");
    EXPECT_EQ(misses(), "2"); // 1 was reset; 2 was given back and written with 3
}

TEST_F(MissingActorReport, WritersWithOpenTransactionsDoNotBlockEachOther) {
    Connection a(db().conninfo());
    Connection b(db().conninfo());
    ASSERT_TRUE(a.ok() && b.ok());
    for (Connection* w : {&a, &b}) {
        w->must("SET audit_fields.missing_actor_flush_interval = 0");
        // Any wait for a lock would fail the statement instead of hanging the test.
        w->must("SET lock_timeout = '200ms'");
    }
    // a writes its report row and keeps its transaction open, then b does the same twice, then a.
    a.must("BEGIN");
    a.must("INSERT INTO t (id) VALUES (1)");
    b.must("INSERT INTO t (id) VALUES (2)");
    b.must("INSERT INTO t (id) VALUES (3)");
    a.must("INSERT INTO t (id) VALUES (4)");
    a.must("COMMIT");
    EXPECT_EQ(misses(), "4");
    EXPECT_EQ(c().must("SELECT count(DISTINCT backend) FROM audit_fields.missing_actor_misses "
                       "WHERE relid = 't'::regclass")
                  .value(),
              "2");
}

TEST_F(MissingActorReport, CountsLeftInMemoryAreWrittenWhenTheSessionEnds) {
    {
        Connection writer(db().conninfo());
        ASSERT_TRUE(writer.ok()) << writer.error();
        writer.must("SET audit_fields.missing_actor_flush_interval = '1h'");
        writer.must("INSERT INTO t (id) VALUES (1)");      // a new key: written at this commit
        writer.must("INSERT INTO t (id) VALUES (2), (3)"); // kept in memory (interval not reached)
        EXPECT_EQ(misses(), "1");
    }
    // The session ends; its last counts are written as it exits.
    std::string seen;
    for (int i = 0; i < 100 && seen != "3"; ++i) {
        seen = misses();
        if (seen != "3")
            c().must("SELECT pg_sleep(0.05)");
    }
    EXPECT_EQ(seen, "3");
}
