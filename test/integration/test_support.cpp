#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

namespace audit_fields::test {

std::string cluster_conninfo(const std::string& dbname) {
    const char* env = std::getenv("AUDIT_FIELDS_TEST_CONNINFO");
    if (!env || !*env)
        throw std::runtime_error("no test cluster: run the tests through scripts/test.sh, or set "
                                 "AUDIT_FIELDS_TEST_CONNINFO to a libpq connection string");
    std::string conninfo = env;
    if (!dbname.empty())
        conninfo += " dbname=" + dbname;
    return conninfo;
}

std::string QueryResult::value() const {
    if (rows.size() != 1 || rows[0].size() != 1)
        return "<" + std::to_string(rows.size()) + " rows>";
    return rows[0][0].value_or("");
}

Connection::Connection(const std::string& conninfo)
    : conn_(PQconnectdb(conninfo.c_str()), &PQfinish) {}

bool Connection::ok() const {
    return PQstatus(conn_.get()) == CONNECTION_OK;
}

std::string Connection::error() const {
    return PQerrorMessage(conn_.get());
}

QueryResult Connection::exec(const std::string& sql) {
    QueryResult out;
    std::unique_ptr<PGresult, void (*)(PGresult*)> res(PQexec(conn_.get(), sql.c_str()), &PQclear);
    const ExecStatusType status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char* primary = PQresultErrorField(res.get(), PG_DIAG_MESSAGE_PRIMARY);
        const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
        out.error = primary ? primary : PQerrorMessage(conn_.get());
        out.sqlstate = state ? state : "";
        return out;
    }
    out.ok = true;
    for (int r = 0; r < PQntuples(res.get()); ++r) {
        std::vector<std::optional<std::string>> row;
        for (int c = 0; c < PQnfields(res.get()); ++c) {
            if (PQgetisnull(res.get(), r, c))
                row.emplace_back(std::nullopt);
            else
                row.emplace_back(PQgetvalue(res.get(), r, c));
        }
        out.rows.push_back(std::move(row));
    }
    return out;
}

QueryResult Connection::must(const std::string& sql) {
    QueryResult r = exec(sql);
    EXPECT_TRUE(r.ok) << sql << "\n  -> " << r.error;
    return r;
}

ScratchDatabase::ScratchDatabase(const std::string& name, bool with_extension) : name_(name) {
    Connection admin(cluster_conninfo("postgres"));
    if (!admin.ok())
        throw std::runtime_error("cannot connect to the test cluster: " + admin.error());
    admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    QueryResult created = admin.exec("CREATE DATABASE " + name_);
    if (!created.ok)
        throw std::runtime_error("CREATE DATABASE " + name_ + ": " + created.error);
    if (with_extension) {
        Connection db(conninfo());
        QueryResult ext = db.exec("CREATE EXTENSION audit_fields");
        if (!ext.ok)
            throw std::runtime_error("CREATE EXTENSION audit_fields: " + ext.error);
    }
}

ScratchDatabase::~ScratchDatabase() {
    Connection admin(cluster_conninfo("postgres"));
    if (admin.ok())
        admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

} // namespace audit_fields::test
