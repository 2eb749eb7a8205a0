#include "catalog_reader.h"

#include "core/catalog_queries.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

namespace audit_fields::cli {

namespace {

using ConnPtr = std::unique_ptr<PGconn, void (*)(PGconn*)>;
using ResultPtr = std::unique_ptr<PGresult, void (*)(PGresult*)>;

// libpq messages end with a newline and sometimes span lines ("connection to server ... failed:
// ..."); the CLI prints exactly one line.
std::string one_line(std::string message) {
    for (char& c : message)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    while (!message.empty() && message.back() == ' ')
        message.pop_back();
    std::string out;
    for (const char c : message)
        if (!(c == ' ' && !out.empty() && out.back() == ' '))
            out += c;
    return out;
}

// A text[] literal for $1: every element double-quoted, so any schema name survives.
std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i == 0 ? "\"" : ",\"";
        for (const char c : items[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

ResultPtr run(PGconn* conn, const char* sql, const char* param, bool with_param) {
    ResultPtr res(with_param ? PQexecParams(conn, sql, 1, nullptr, &param, nullptr, nullptr, 0)
                             : PQexec(conn, sql),
                  &PQclear);
    const ExecStatusType status = PQresultStatus(res.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        throw DatabaseError("query failed: " + one_line(PQerrorMessage(conn)));
    return res;
}

// The PGresult's cells as a RowSet; the pointers stay valid while the result lives.
struct Cells {
    std::vector<const char*> cells;
    scan::RowSet rows;
};

Cells cells_of(PGresult* res) {
    Cells c;
    const int nrows = PQntuples(res), ncols = PQnfields(res);
    c.cells.reserve(static_cast<std::size_t>(nrows) * ncols);
    for (int r = 0; r < nrows; ++r)
        for (int f = 0; f < ncols; ++f)
            c.cells.push_back(PQgetisnull(res, r, f) ? nullptr : PQgetvalue(res, r, f));
    c.rows = scan::RowSet{nrows, ncols, c.cells.data()};
    return c;
}

} // namespace

CatalogSnapshot read_catalog(const std::string& dsn, const std::vector<std::string>& schemas) {
    // In CI an unreachable host must fail, not hang on TCP's minutes-long timeout. An explicit
    // connect_timeout (in the DSN or PGCONNECT_TIMEOUT) wins.
    if (std::getenv("PGCONNECT_TIMEOUT") == nullptr &&
        dsn.find("connect_timeout") == std::string::npos)
        setenv("PGCONNECT_TIMEOUT", "15", 0);
    ConnPtr conn(PQconnectdb(dsn.c_str()), &PQfinish);
    if (conn == nullptr)
        throw DatabaseError("cannot connect: out of memory");
    if (PQstatus(conn.get()) != CONNECTION_OK)
        throw DatabaseError("cannot connect: " + one_line(PQerrorMessage(conn.get())));

    run(conn.get(), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", nullptr, false);
    // The catalog queries qualify everything with pg_catalog; an empty search_path makes sure
    // nothing a user created can shadow them.
    run(conn.get(), "SET LOCAL search_path = ''", nullptr, false);

    CatalogSnapshot snap;
    {
        ResultPtr info = run(conn.get(),
                             "SELECT pg_catalog.current_database(), EXISTS (SELECT FROM "
                             "pg_catalog.pg_extension WHERE extname = 'audit_fields'), "
                             "(SELECT extversion FROM pg_catalog.pg_extension "
                             "WHERE extname = 'audit_fields')",
                             nullptr, false);
        snap.database = PQgetvalue(info.get(), 0, 0);
        snap.extension_installed = PQgetvalue(info.get(), 0, 1)[0] == 't';
        snap.extension_version = PQgetvalue(info.get(), 0, 2);
    }
    const std::string param = array_literal(schemas);
    const char* p = schemas.empty() ? nullptr : param.c_str();
    ResultPtr tables = run(conn.get(), scan::kTablesQuery, p, true);
    ResultPtr columns = run(conn.get(), scan::kColumnsQuery, p, true);
    ResultPtr triggers = run(conn.get(), scan::kTriggersQuery, p, true);
    const Cells t = cells_of(tables.get()), c = cells_of(columns.get()),
                g = cells_of(triggers.get());
    snap.tables = scan::tables_from_rows(t.rows, c.rows, g.rows);
    if (p != nullptr) {
        ResultPtr missing = run(conn.get(),
                                "SELECT s FROM pg_catalog.unnest($1::pg_catalog.text[]) s"
                                " WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_namespace"
                                "                   WHERE nspname = s)",
                                p, true);
        for (int r = 0; r < PQntuples(missing.get()); ++r)
            snap.missing_schemas.emplace_back(PQgetvalue(missing.get(), r, 0));
    }
    run(conn.get(), "COMMIT", nullptr, false);
    return snap;
}

} // namespace audit_fields::cli
