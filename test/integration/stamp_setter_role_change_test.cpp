// audit_fields.actor_setter_role follows role changes made by other sessions: a session that set
// a session-wide actor while it was a member of the setter role must not keep writing with it
// after a REVOKE of that membership, or after the setter role is dropped. (The check is cached
// per session; a change to pg_auth_members or pg_authid must make it run again.)
#include "test_support.h"

#include <gtest/gtest.h>

#include <string>

using audit_fields::test::Connection;

namespace {

class StampSetterRoleChange : public audit_fields::test::SharedDatabaseTest<StampSetterRoleChange> {
  public:
    static constexpr const char* kDatabase = "af_setter_role_change";
    static void prepare_database(Connection& setup) {
        drop_roles(setup);
        setup.must("CREATE ROLE af_rc_writers");
        setup.must("CREATE ROLE af_rc_app LOGIN IN ROLE af_rc_writers");
        setup.must("CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, "
                   "created_by text)");
        setup.must("SELECT audit_fields.enable('t')");
        setup.must("GRANT INSERT, SELECT ON t TO af_rc_app");
        setup.must(std::string("ALTER DATABASE ") + kDatabase +
                   " SET audit_fields.actor_setter_role = 'af_rc_writers'");
    }
    static void TearDownTestSuite() {
        {
            Connection admin(audit_fields::test::cluster_conninfo("postgres"));
            SharedDatabaseTest::TearDownTestSuite(); // drops the database first
            drop_roles(admin);
        }
    }

  protected:
    static void drop_roles(Connection& admin) {
        admin.exec("DROP ROLE IF EXISTS af_rc_app");
        admin.exec("DROP ROLE IF EXISTS af_rc_writers");
    }
    // Every test starts with af_rc_app a member of the setter role af_rc_writers.
    void SetUp() override {
        c().must("TRUNCATE t");
        c().exec("CREATE ROLE af_rc_writers");
        c().must("GRANT af_rc_writers TO af_rc_app");
    }
};

} // namespace

TEST_F(StampSetterRoleChange, RevokeStopsASessionThatSetItsActorBefore) {
    Connection app(db().conninfo() + " user=af_rc_app");
    ASSERT_TRUE(app.ok()) << app.error();
    EXPECT_EQ(app.must("SHOW audit_fields.actor_setter_role").value(), "af_rc_writers");
    app.must("SET audit_fields.actor = 'alice@example.com'"); // session-wide, while a member
    app.must("INSERT INTO t (id) VALUES (1)");

    c().must("REVOKE af_rc_writers FROM af_rc_app");
    const auto refused = app.exec("INSERT INTO t (id) VALUES (2)");
    EXPECT_FALSE(refused.ok);
    EXPECT_EQ(refused.sqlstate, "42501") << refused.error;
    EXPECT_NE(refused.error.find("af_rc_app"), std::string::npos) << refused.error;
    // A fresh SET is refused at once, by the setting's own check.
    EXPECT_EQ(app.exec("SET audit_fields.actor = 'bob@example.com'").sqlstate, "42501");

    // Membership given back: the value set while a member is usable again.
    c().must("GRANT af_rc_writers TO af_rc_app");
    app.must("INSERT INTO t (id) VALUES (3)");
    const auto rows = c().must("SELECT id, created_by FROM t ORDER BY id").rows;
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][0].value_or(""), "1");
    EXPECT_EQ(rows[1][0].value_or(""), "3");
    EXPECT_EQ(rows[1][1].value_or(""), "alice@example.com");
}

TEST_F(StampSetterRoleChange, RevokeInsideAnOpenTransactionIsSeenByItsNextStatement) {
    Connection app(db().conninfo() + " user=af_rc_app");
    ASSERT_TRUE(app.ok()) << app.error();
    app.must("BEGIN");
    app.must("SET LOCAL audit_fields.actor = 'alice@example.com'");
    app.must("INSERT INTO t (id) VALUES (1)");
    c().must("REVOKE af_rc_writers FROM af_rc_app");
    // The writer's next statement locks the table again, which reads pending invalidations.
    const auto refused = app.exec("INSERT INTO t (id) VALUES (2)");
    EXPECT_EQ(refused.sqlstate, "42501") << refused.error;
    app.exec("ROLLBACK");
    EXPECT_EQ(c().must("SELECT count(*) FROM t").value(), "0");
}

TEST_F(StampSetterRoleChange, DroppingTheSetterRoleStopsEveryone) {
    Connection app(db().conninfo() + " user=af_rc_app");
    ASSERT_TRUE(app.ok()) << app.error();
    app.must("SET audit_fields.actor = 'alice@example.com'");
    app.must("INSERT INTO t (id) VALUES (1)");

    c().must("DROP ROLE af_rc_writers");
    const auto refused = app.exec("INSERT INTO t (id) VALUES (2)");
    EXPECT_EQ(refused.sqlstate, "42501") << refused.error;
    EXPECT_NE(refused.error.find("permission denied"), std::string::npos) << refused.error;
    EXPECT_EQ(c().must("SELECT count(*) FROM t").value(), "1");
}
