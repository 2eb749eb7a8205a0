// Shared helpers for the libpq integration suites: where the throwaway cluster is, a connection
// wrapper whose results are plain strings, and a scratch database per suite.
#pragma once

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

} // namespace audit_fields::test
