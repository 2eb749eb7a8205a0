// The actor across statements, transactions and pooled connections. The trigger converts the
// actor once and reuses the value while the text is unchanged; these tests prove that the cache
// never writes a previous actor, and that SET LOCAL / set_actor(..., true) end with the
// transaction, so a pooled connection's next client starts without one.
#include "test_support.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using audit_fields::test::Connection;
using audit_fields::test::ScratchDatabase;

namespace {

class StampActorSession : public audit_fields::test::SharedDatabaseTest<StampActorSession> {
  public:
    static constexpr const char* kDatabase = "af_stamp_actor";
    static void prepare_database(Connection& setup) {
        setup.must("CREATE TABLE t (id serial, created_at timestamptz, updated_at timestamptz, "
                   "created_by text, created_by_name text, updated_by uuid)");
        setup.must("SELECT audit_fields.enable('t')");
    }

  protected:
    void SetUp() override { c().must("TRUNCATE t RESTART IDENTITY"); }
};

const char* kUuidA = "11111111-1111-1111-1111-111111111111";
const char* kUuidB = "22222222-2222-2222-2222-222222222222";

std::string set_actor(const std::string& actor) {
    return "SET audit_fields.actor = '" + actor + "'";
}

} // namespace

TEST_F(StampActorSession, NewActorBetweenStatementsIsWritten) {
    c().must(set_actor(kUuidA));
    c().must("INSERT INTO t (id) VALUES (1)");
    c().must(set_actor(kUuidB));
    c().must("INSERT INTO t (id) VALUES (2)");
    c().must(set_actor(kUuidA)); // back to a value converted before
    c().must("INSERT INTO t (id) VALUES (3)");
    const auto rows = c().must("SELECT created_by, updated_by FROM t ORDER BY id").rows;
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0][1].value_or(""), kUuidA);
    EXPECT_EQ(rows[1][1].value_or(""), kUuidB);
    EXPECT_EQ(rows[2][1].value_or(""), kUuidA);
    EXPECT_EQ(rows[1][0].value_or(""), kUuidB);
}

TEST_F(StampActorSession, NewActorInsideOneTransactionAndFunction) {
    c().must("BEGIN");
    c().must(std::string("SET LOCAL audit_fields.actor = '") + kUuidA + "'");
    c().must("INSERT INTO t (id) VALUES (1)");
    c().must(std::string("SELECT audit_fields.set_actor('") + kUuidB + "', 'Bee')");
    c().must("INSERT INTO t (id) VALUES (2)");
    c().must("COMMIT");
    // Changing the actor between rows of one statement (a function that switches it) is honoured.
    c().must("CREATE OR REPLACE FUNCTION switch_actor(a text) RETURNS int LANGUAGE sql AS "
             "$$ SELECT length(audit_fields.set_actor(a)) $$");
    c().must("BEGIN");
    c().must(std::string("INSERT INTO t (id) SELECT g FROM (VALUES (3, '") + kUuidA + "'), (4, '" +
             kUuidB + "')) AS v(g, a) WHERE switch_actor(a) > 0");
    c().must("COMMIT");
    const auto rows = c().must("SELECT id, updated_by, created_by_name FROM t ORDER BY id").rows;
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0][1].value_or(""), kUuidA);
    EXPECT_EQ(rows[1][1].value_or(""), kUuidB);
    EXPECT_EQ(rows[1][2].value_or(""), "Bee");
    EXPECT_EQ(rows[2][1].value_or(""), kUuidA);
    EXPECT_EQ(rows[3][1].value_or(""), kUuidB);
}

TEST_F(StampActorSession, SetLocalDoesNotLeakIntoTheNextTransaction) {
    c().must("BEGIN");
    c().must(std::string("SET LOCAL audit_fields.actor = '") + kUuidA + "'");
    c().must("SET LOCAL audit_fields.actor_name = 'Alice'");
    c().must("INSERT INTO t (id) VALUES (1)");
    c().must("COMMIT");
    // The same connection, handed to the next client by a pool.
    const auto r = c().exec("INSERT INTO t (id) VALUES (2)");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.sqlstate, "23502") << r.error;
    EXPECT_NE(r.error.find("\"public.t\""), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("INSERT"), std::string::npos) << r.error;
    EXPECT_EQ(c().must("SELECT count(*) FROM t").value(), "1");
    EXPECT_EQ(c().must("SELECT coalesce(audit_fields.current_actor(), '<none>')").value(),
              "<none>");
    EXPECT_EQ(c().must("SELECT current_setting('audit_fields.actor_name')").value(), "");
}

TEST_F(StampActorSession, SetActorIsLocalByDefaultAndAfterRollback) {
    c().must("BEGIN");
    c().must(std::string("SELECT audit_fields.set_actor('") + kUuidA + "')");
    c().must("COMMIT");
    EXPECT_EQ(c().exec("INSERT INTO t (id) VALUES (1)").sqlstate, "23502");
    // Session-wide set_actor rolled back with its transaction.
    c().must("BEGIN");
    c().must(std::string("SELECT audit_fields.set_actor('") + kUuidA + "', NULL, false)");
    c().must("ROLLBACK");
    EXPECT_EQ(c().exec("INSERT INTO t (id) VALUES (2)").sqlstate, "23502");
    // Session-wide set_actor committed: stays for later transactions.
    c().must(std::string("SELECT audit_fields.set_actor('") + kUuidB + "', NULL, false)");
    c().must("INSERT INTO t (id) VALUES (3)");
    c().must("BEGIN");
    c().must(std::string("SET LOCAL audit_fields.actor = '") + kUuidA + "'");
    c().must("INSERT INTO t (id) VALUES (4)");
    c().must("COMMIT");
    c().must("INSERT INTO t (id) VALUES (5)");
    const auto rows = c().must("SELECT id, updated_by FROM t ORDER BY id").rows;
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0][1].value_or(""), kUuidB);
    EXPECT_EQ(rows[1][1].value_or(""), kUuidA);
    EXPECT_EQ(rows[2][1].value_or(""), kUuidB);
}

TEST_F(StampActorSession, FailedConversionLeavesTheConnectionUsable) {
    c().must("SET audit_fields.actor = 'not-a-uuid'");
    const auto bad = c().exec("INSERT INTO t (id) VALUES (1)");
    EXPECT_EQ(bad.sqlstate, "22P02") << bad.error;
    EXPECT_NE(bad.error.find("\"updated_by\""), std::string::npos) << bad.error;
    // A failure inside a transaction, then the same session goes on.
    c().must("BEGIN");
    EXPECT_EQ(c().exec("INSERT INTO t (id) VALUES (2)").sqlstate, "22P02");
    c().must("ROLLBACK");
    c().must(set_actor(kUuidA));
    c().must("INSERT INTO t (id) VALUES (3)");
    c().must("SET audit_fields.actor = 'not-a-uuid'");
    EXPECT_EQ(c().exec("UPDATE t SET id = id").sqlstate, "22P02");
    c().must(set_actor(kUuidB));
    c().must("UPDATE t SET id = id");
    EXPECT_EQ(c().must("SELECT updated_by FROM t").value(), kUuidB);
}

TEST_F(StampActorSession, ConcurrentSessionsKeepTheirOwnActors) {
    Connection other(db().conninfo());
    ASSERT_TRUE(other.ok()) << other.error();
    c().must("BEGIN");
    other.must("BEGIN");
    c().must(std::string("SET LOCAL audit_fields.actor = '") + kUuidA + "'");
    other.must(std::string("SET LOCAL audit_fields.actor = '") + kUuidB + "'");
    for (int i = 0; i < 5; ++i) {
        c().must("INSERT INTO t (created_by) VALUES (NULL)");
        other.must("INSERT INTO t (created_by) VALUES (NULL)");
    }
    c().must("COMMIT");
    other.must("COMMIT");
    EXPECT_EQ(c().must("SELECT count(*) FROM t WHERE created_by::uuid = updated_by").value(), "10");
    EXPECT_EQ(c().must("SELECT count(DISTINCT updated_by) FROM t").value(), "2");
}

TEST_F(StampActorSession, ClockSettingIsPerTransaction) {
    c().must(set_actor(kUuidA));
    c().must("BEGIN");
    c().must("SET LOCAL audit_fields.clock = 'clock'");
    c().must("SELECT pg_sleep(0.002)");
    c().must("INSERT INTO t (id) VALUES (1)");
    EXPECT_EQ(c().must("SELECT created_at > now() FROM t WHERE id = 1").value(), "t");
    c().must("COMMIT");
    c().must("BEGIN");
    c().must("SELECT pg_sleep(0.002)");
    c().must("INSERT INTO t (id) VALUES (2)");
    EXPECT_EQ(c().must("SELECT created_at = now() FROM t WHERE id = 2").value(), "t");
    c().must("COMMIT");
}

TEST_F(StampActorSession, SessionUserFallbackFollowsARoleRenamedElsewhere) {
    c().must("DROP ROLE IF EXISTS regress_stamp_fallback");
    c().must("DROP ROLE IF EXISTS regress_stamp_renamed");
    c().must("CREATE ROLE regress_stamp_fallback LOGIN");
    c().must("ALTER ROLE regress_stamp_fallback SET audit_fields.missing_actor = 'session_user'");
    c().must("CREATE TABLE IF NOT EXISTS fallback (id int, created_at timestamptz, "
             "updated_at timestamptz, created_by text)");
    c().must("SELECT audit_fields.enable('fallback')");
    c().must("GRANT INSERT, SELECT ON fallback TO regress_stamp_fallback");
    {
        Connection user(db().conninfo() + " user=regress_stamp_fallback");
        ASSERT_TRUE(user.ok()) << user.error();
        user.must("INSERT INTO fallback (id) VALUES (1)");
        c().must("ALTER ROLE regress_stamp_fallback RENAME TO regress_stamp_renamed");
        user.must("INSERT INTO fallback (id) VALUES (2)");
    }
    const auto rows = c().must("SELECT created_by FROM fallback ORDER BY id").rows;
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][0].value_or(""), "regress_stamp_fallback");
    EXPECT_EQ(rows[1][0].value_or(""), "regress_stamp_renamed");
    c().must("DROP TABLE fallback");
    c().must("DROP ROLE regress_stamp_renamed");
}

// Before the library is loaded in a session, audit_fields.enabled is only a placeholder that any
// role can SET (or send in the startup packet); loading the library must throw that value away.
TEST_F(StampActorSession, OrdinaryRoleCannotBypassBeforeTheLibraryLoads) {
    c().must("DROP ROLE IF EXISTS regress_stamp_bypass");
    c().must("CREATE ROLE regress_stamp_bypass LOGIN");
    c().must("CREATE TABLE IF NOT EXISTS bypass (id int, created_at timestamptz, "
             "updated_at timestamptz, created_by text)");
    c().must("SELECT audit_fields.enable('bypass')");
    c().must("GRANT INSERT, SELECT ON bypass TO regress_stamp_bypass");
    {
        Connection user(db().conninfo() + " user=regress_stamp_bypass");
        ASSERT_TRUE(user.ok()) << user.error();
        user.exec("SET audit_fields.enabled = off"); // a placeholder: accepted before the load
        user.must("SET audit_fields.actor = 'bob'");
        user.must("INSERT INTO bypass (id, created_by) VALUES (1, 'forged')");
        EXPECT_EQ(user.must("SHOW audit_fields.enabled").value(), "on");
    }
    {
        Connection user(db().conninfo() +
                        " user=regress_stamp_bypass options='-c audit_fields.enabled=off'");
        ASSERT_TRUE(user.ok()) << user.error();
        user.must("SET audit_fields.actor = 'bob'");
        user.must("INSERT INTO bypass (id, created_by) VALUES (2, 'forged')");
    }
    EXPECT_EQ(c().must("SELECT count(*) FROM bypass WHERE created_by = 'bob' "
                       "AND created_at IS NOT NULL")
                  .value(),
              "2");
    c().must("DROP TABLE bypass");
    c().must("DROP ROLE regress_stamp_bypass");
}
