// Shared helpers for the libpq integration suites: where the throwaway cluster is, a connection
// wrapper whose results are plain strings, and a scratch database per suite.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace audit_fields::test {

// libpq connection string of the throwaway cluster: $AUDIT_FIELDS_TEST_CONNINFO, else the file
// scripts/pg_cluster.sh wrote under the build directory. dbname, if given, replaces the database.
std::string cluster_conninfo(const std::string& dbname = "");

struct QueryResult {
    bool ok = false;
    std::string error;    // primary message when !ok
    std::string sqlstate; // when !ok
    std::vector<std::vector<std::optional<std::string>>> rows;

    // The single value of a one-row, one-column result ("" for NULL).
    std::string value() const;
};

class Connection {
  public:
    explicit Connection(const std::string& conninfo);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool ok() const;
    std::string error() const;
    QueryResult exec(const std::string& sql);
    // Runs sql and fails the current test if it errors.
    QueryResult must(const std::string& sql);

  private:
    std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
};

// A database created for one suite (with CREATE EXTENSION audit_fields unless with_extension is
// false) and dropped when the object goes away.
class ScratchDatabase {
  public:
    explicit ScratchDatabase(const std::string& name, bool with_extension = true);
    ~ScratchDatabase();
    const std::string& name() const { return name_; }
    std::string conninfo() const { return cluster_conninfo(name_); }

  private:
    std::string name_;
};

// A test suite whose tests share one scratch database, created before the first test and dropped
// after the last. Suite names the database (static constexpr const char* kDatabase) and may set
// kWithExtension = false or define static void prepare_database(Connection&) for shared fixtures.
// c() is a connection of the current test's own, opened on first use.
template <typename Suite> class SharedDatabaseTest : public ::testing::Test {
  public:
    static constexpr bool kWithExtension = true;
    static void prepare_database(Connection&) {}

  protected:
    static void SetUpTestSuite() {
        db_ = std::make_unique<ScratchDatabase>(Suite::kDatabase, Suite::kWithExtension);
        Connection setup(db_->conninfo());
        ASSERT_TRUE(setup.ok()) << setup.error();
        Suite::prepare_database(setup);
    }
    static void TearDownTestSuite() { db_.reset(); }

    static const ScratchDatabase& db() { return *db_; }
    Connection& c() {
        if (!c_) {
            c_ = std::make_unique<Connection>(db_->conninfo());
            EXPECT_TRUE(c_->ok()) << c_->error();
        }
        return *c_;
    }

  private:
    static inline std::unique_ptr<ScratchDatabase> db_;
    std::unique_ptr<Connection> c_;
};

} // namespace audit_fields::test
