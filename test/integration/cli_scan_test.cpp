// audit-fields-scan against a real server: databases with and without the extension, every
// output format parsed back, exit codes, connection errors, and --fix-sql applied with
// psql -v ON_ERROR_STOP=1 followed by a rescan.
#include "test_support.h"

#include "../core/mini_parsers.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

using audit_fields::test::Connection;
using audit_fields::test::ScratchDatabase;
using audit_fields::testing::Json;
using audit_fields::testing::parse_json;
using audit_fields::testing::parse_xml;

namespace {

struct CliRun {
    int status = -1;
    std::string out;
    std::string err;
};

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs a shell command line; stdout and stderr are captured separately.
CliRun run_shell(const std::string& command) {
    char err_path[] = "/tmp/af_cli_errXXXXXX";
    const int fd = mkstemp(err_path);
    close(fd);
    CliRun r;
    FILE* pipe = popen((command + " 2>" + err_path).c_str(), "r");
    if (pipe == nullptr)
        return r;
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
        r.out.append(buf, n);
    const int rc = pclose(pipe);
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + WTERMSIG(rc);
    r.err = read_file(err_path);
    unlink(err_path);
    return r;
}

std::string cli() {
    return std::string(AUDIT_FIELDS_BINARY_DIR) + "/audit-fields-scan";
}

CliRun scan(const std::vector<std::string>& args, const std::string& env = "") {
    std::string cmd = env.empty() ? "" : "env " + env + " ";
    cmd += shell_quote(cli());
    for (const std::string& a : args)
        cmd += " " + shell_quote(a);
    return run_shell(cmd);
}

// The schema each test's tables live in, one per check plus mixed-case names.
void create_fixture(Connection& c) {
    c.must("CREATE SCHEMA app");
    c.must("CREATE SCHEMA \"Billing Dept\"");
    c.must("CREATE TABLE app.no_audit (id int)");
    c.must("CREATE TABLE app.half (id int, created_at timestamptz, created_by text)");
    c.must("CREATE TABLE app.naive (id int, created_at timestamp(0) NOT NULL, "
           "updated_at timestamp(0) NOT NULL, created_by bigint, created_by_name varchar(80), "
           "updated_by bigint, updated_by_name varchar(80))");
    c.must("CREATE TABLE app.soft (id int, created_at timestamptz, updated_at timestamptz, "
           "deleted_at timestamptz, created_by uuid, created_by_name text, updated_by uuid, "
           "updated_by_name text)");
    c.must("CREATE TABLE app.bad_type (id int, created_at integer, updated_at timestamptz)");
    c.must("CREATE TABLE app.legacy (id int)");
    c.must("COMMENT ON TABLE app.legacy IS 'archive @audit_fields:ignore read-only since 2019'");
    c.must("CREATE TABLE app.tmp_import (id int)");
    c.must("CREATE TABLE app.events (id int, created_at timestamptz) PARTITION BY RANGE (id)");
    c.must("CREATE TABLE app.events_1 PARTITION OF app.events FOR VALUES FROM (0) TO (10)");
    c.must("CREATE TABLE \"Billing Dept\".\"Invoice Lines\" (id int, \"created_at\" timestamptz)");
}

std::set<std::string> table_names(const Json& doc) {
    std::set<std::string> out;
    for (const Json& t : doc["tables"].items)
        out.insert(t["schema"].s + "." + t["table"].s);
    return out;
}

const Json* find_table(const Json& doc, const std::string& schema, const std::string& table) {
    for (const Json& t : doc["tables"].items)
        if (t["schema"].s == schema && t["table"].s == table)
            return &t;
    return nullptr;
}

std::set<std::string> checks_of(const Json& table) {
    std::set<std::string> out;
    for (const Json& f : table["findings"].items)
        out.insert(f["check_id"].s);
    return out;
}

class CliScan : public audit_fields::test::SharedDatabaseTest<CliScan> {
  public:
    static constexpr const char* kDatabase = "af_cli_noext";
    static constexpr bool kWithExtension = false;
    static void prepare_database(Connection& c) { create_fixture(c); }
};

} // namespace

TEST_F(CliScan, HelpAndVersion) {
    CliRun h = scan({"--help"});
    EXPECT_EQ(h.status, 0);
    for (const char* opt :
         {"--dsn", "--schema", "--exclude", "--format", "--fail-on", "--fix-sql", "--version"})
        EXPECT_NE(h.out.find(opt), std::string::npos) << opt;
    CliRun v = scan({"--version"});
    EXPECT_EQ(v.status, 0);
    EXPECT_EQ(v.out.rfind("audit-fields-scan ", 0), 0u);
}

TEST_F(CliScan, UsageErrorsExitTwo) {
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"--format", "xml"},
                                               {"--fail-on", "sometimes"},
                                               {"--bogus"},
                                               {"--schema"},
                                               {"--fix-sql=yes"},
                                               {"stray"},
                                               {"--config", "/nonexistent/audit.toml"},
                                               {"--baseline", "/nonexistent/baseline.json"},
                                               {"--lock-timeout", "0"},
                                               {"--lock-timeout", "soon"}}) {
        CliRun r = scan(args);
        EXPECT_EQ(r.status, 2) << args[0];
        EXPECT_TRUE(r.out.empty());
        EXPECT_EQ(r.err.rfind("audit-fields-scan: ", 0), 0u) << r.err;
    }
}

TEST_F(CliScan, ConnectionFailureIsOneLineAndExitTwo) {
    for (const std::string& dsn :
         std::vector<std::string>{std::string("host=127.0.0.1 port=1 connect_timeout=3"),
                                  db().conninfo() + " user=no_such_role_xyz",
                                  std::string("postgresql://127.0.0.1:1/x?connect_timeout=3"),
                                  std::string("this is not a dsn")}) {
        CliRun r = scan({"--dsn", dsn});
        EXPECT_EQ(r.status, 2) << dsn;
        EXPECT_TRUE(r.out.empty());
        EXPECT_EQ(r.err.rfind("audit-fields-scan: cannot connect: ", 0), 0u) << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "not one line: " << r.err;
    }
}

TEST_F(CliScan, JsonWithoutExtension) {
    CliRun r = scan({"--dsn", db().conninfo(), "--format", "json"});
    ASSERT_EQ(r.status, 1) << r.err;
    const Json doc = parse_json(r.out);
    EXPECT_EQ(doc["format"].s, "audit-fields-scan/1");
    EXPECT_EQ(doc["database"].s, "af_cli_noext");
    EXPECT_FALSE(doc["extension_installed"].b);
    EXPECT_EQ(doc["exit_status"].n, 1);
    // Partitions through their parent; nothing from pg_catalog or information_schema.
    EXPECT_EQ(table_names(doc),
              (std::set<std::string>{"Billing Dept.Invoice Lines", "app.bad_type", "app.events",
                                     "app.half", "app.legacy", "app.naive", "app.no_audit",
                                     "app.soft", "app.tmp_import"}));
    EXPECT_EQ(checks_of(*find_table(doc, "app", "no_audit")),
              (std::set<std::string>{"AF001", "AF002"}));
    EXPECT_EQ(checks_of(*find_table(doc, "app", "half")),
              (std::set<std::string>{"AF001", "AF002", "AF006", "AF008"}));
    EXPECT_EQ(checks_of(*find_table(doc, "app", "naive")),
              (std::set<std::string>{"AF005", "AF006"}));
    EXPECT_EQ(checks_of(*find_table(doc, "app", "soft")),
              (std::set<std::string>{"AF003", "AF006", "AF008"}));
    EXPECT_EQ(checks_of(*find_table(doc, "app", "bad_type")),
              (std::set<std::string>{"AF002", "AF004", "AF006", "AF008"}));
    const Json& legacy = *find_table(doc, "app", "legacy");
    EXPECT_EQ(legacy["status"].s, "ignored");
    EXPECT_EQ(legacy["ignore_reason"].s, "read-only since 2019");
    EXPECT_EQ((*find_table(doc, "app", "events"))["kind"].s, "partitioned table");
}

TEST_F(CliScan, SchemaAndExcludeFilters) {
    CliRun r = scan({"--dsn", db().conninfo(), "--format", "json", "--schema", "Billing Dept"});
    ASSERT_NE(r.status, 2) << r.err;
    EXPECT_EQ(table_names(parse_json(r.out)),
              (std::set<std::string>{"Billing Dept.Invoice Lines"}));
    r = scan({"--dsn", db().conninfo(), "--format=json", "--schema=app", "--exclude", "tmp_*",
              "--exclude", "app.bad_*", "--exclude", "*.no_audit"});
    const Json doc = parse_json(r.out);
    EXPECT_EQ(table_names(doc), (std::set<std::string>{"app.events", "app.half", "app.legacy",
                                                       "app.naive", "app.soft"}));
    // Excludes are recorded in the report.
    const Json& exclude = doc["inputs"]["exclude"];
    ASSERT_EQ(exclude.items.size(), 3u);
    EXPECT_EQ(exclude.items[0].s, "tmp_*");
}

// A typo in --schema is not a green, empty report.
TEST_F(CliScan, SchemaThatMatchesNothingIsExitTwo) {
    CliRun r = scan({"--dsn", db().conninfo(), "--format", "json", "--schema", "no_such"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(r.err, "audit-fields-scan: schema \"no_such\" does not exist (--schema matches "
                     "nothing)\n");
    c().must("CREATE SCHEMA IF NOT EXISTS empty_one");
    r = scan({"--dsn", db().conninfo(), "--schema", "app", "--schema", "empty_one"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "audit-fields-scan: schema \"empty_one\" has no table to scan (--schema "
                     "matches nothing)\n");
}

TEST_F(CliScan, ExitCodesFollowFailOn) {
    EXPECT_EQ(scan({"--dsn", db().conninfo()}).status, 1);
    EXPECT_EQ(scan({"--dsn", db().conninfo(), "--fail-on", "never"}).status, 0);
    // Only an ignored table left: nothing to report at any level.
    std::vector<std::string> args = {"--dsn", db().conninfo(), "--schema",
                                     "app",   "--fail-on",     "warning"};
    for (const char* t :
         {"no_audit", "half", "naive", "soft", "bad_type", "tmp_import", "events"}) {
        args.push_back("--exclude");
        args.push_back(t);
    }
    CliRun r = scan(args);
    EXPECT_EQ(r.status, 0) << r.out;
    // Warnings only: fail on warning, pass on error.
    args = {"--dsn", db().conninfo(), "--schema", "app", "--format", "json"};
    for (const char* t : {"no_audit", "half", "soft", "bad_type", "tmp_import", "events"}) {
        args.push_back("--exclude");
        args.push_back(t);
    }
    EXPECT_EQ(scan(args).status, 1); // naive has AF006
}

TEST_F(CliScan, PgEnvironmentVariablesWork) {
    // conninfo is "host=H port=P user=U dbname=D ... dbname=X"; the last dbname wins.
    std::istringstream in(db().conninfo());
    std::string item, env = "-u PGSERVICE";
    std::map<std::string, std::string> kv;
    while (in >> item) {
        const auto eq = item.find('=');
        kv[item.substr(0, eq)] = item.substr(eq + 1);
    }
    env += " PGHOST=" + kv["host"] + " PGPORT=" + kv["port"] + " PGUSER=" + kv["user"] +
           " PGDATABASE=" + kv["dbname"];
    CliRun r = scan({"--format", "json"}, env);
    ASSERT_EQ(r.status, 1) << r.err;
    EXPECT_EQ(parse_json(r.out)["database"].s, "af_cli_noext");
}

TEST_F(CliScan, TextIsATable) {
    CliRun r = scan({"--dsn", db().conninfo()});
    EXPECT_NE(r.out.find("STATUS    TABLE"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ignored   app.legacy"), std::string::npos);
    EXPECT_NE(r.out.find("extension audit_fields not installed"), std::string::npos);
    EXPECT_NE(r.out.find("9 tables: "), std::string::npos);
}

TEST_F(CliScan, MarkdownReadsLikeAReport) {
    CliRun r = scan({"--dsn", db().conninfo(), "--format", "markdown"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out.rfind("# Audit fields report: `af_cli_noext`", 0), 0u);
    EXPECT_NE(r.out.find("## ❌ Tables with errors"), std::string::npos);
    EXPECT_NE(r.out.find("<details><summary>❌ <code>app.half</code>"), std::string::npos);
    EXPECT_NE(r.out.find("```sql\n"), std::string::npos);
    EXPECT_NE(r.out.find("## ➖ Ignored tables (1)"), std::string::npos);
}

TEST_F(CliScan, JunitIsWellFormed) {
    CliRun r = scan({"--dsn", db().conninfo(), "--format", "junit"});
    EXPECT_EQ(r.status, 1);
    const auto root = parse_xml(r.out);
    EXPECT_EQ(root->name, "testsuites");
    EXPECT_EQ(root->attrs["tests"], "9");
    EXPECT_EQ(root->attrs["skipped"], "1");
    // Every table but the ignored one has an error finding.
    EXPECT_EQ(root->attrs["failures"], "8");
    int suites = 0;
    for (const auto& suite : root->children) {
        EXPECT_EQ(suite->name, "testsuite");
        ++suites;
        for (const auto& c : suite->children) {
            if (c->name == "testcase") {
                EXPECT_FALSE(c->attrs["classname"].empty());
            }
        }
    }
    EXPECT_EQ(suites, 2);
    // With --fail-on never nothing fails, but the findings stay visible.
    CliRun never = scan({"--dsn", db().conninfo(), "--format", "junit", "--fail-on", "never"});
    EXPECT_EQ(never.status, 0);
    EXPECT_EQ(parse_xml(never.out)->attrs["failures"], "0");
    EXPECT_NE(never.out.find("<system-out>"), std::string::npos);
}

namespace {

// Writes the migration to a file and applies it the way the documentation says.
CliRun apply_with_psql(const ScratchDatabase& db, const std::string& sql) {
    char path[] = "/tmp/af_fix_XXXXXX";
    const int fd = mkstemp(path);
    const bool written = write(fd, sql.data(), sql.size()) == static_cast<ssize_t>(sql.size());
    close(fd);
    CliRun r = written ? run_shell("psql -X -q -v ON_ERROR_STOP=1 -d " +
                                   shell_quote(db.conninfo()) + " -f " + path + " >/dev/null")
                       : CliRun{};
    unlink(path);
    return r;
}

// Error findings per table, after a rescan.
std::map<std::string, std::set<std::string>> errors_by_table(const ScratchDatabase& db) {
    std::map<std::string, std::set<std::string>> out;
    CliRun r = scan({"--dsn", db.conninfo(), "--format", "json"});
    const Json doc = parse_json(r.out);
    for (const Json& t : doc["tables"].items)
        for (const Json& f : t["findings"].items)
            if (f["severity"].s == "error")
                out[t["schema"].s + "." + t["table"].s].insert(f["check_id"].s);
    return out;
}

} // namespace

TEST(CliFixSql, MigrationOnADatabaseWithoutTheExtension) {
    ScratchDatabase db("af_cli_fix", /*with_extension=*/false);
    {
        Connection c(db.conninfo());
        ASSERT_TRUE(c.ok()) << c.error();
        create_fixture(c);
    }
    CliRun fix = scan({"--dsn", db.conninfo(), "--fix-sql"});
    // Printing the migration is success; --fail-on turns the findings into the exit status.
    ASSERT_EQ(fix.status, 0) << fix.err;
    EXPECT_EQ(scan({"--dsn", db.conninfo(), "--fix-sql", "--fail-on", "error"}).status, 1);
    EXPECT_NE(fix.out.find("\n\nCREATE EXTENSION IF NOT EXISTS audit_fields;\n"),
              std::string::npos);
    EXPECT_NE(fix.out.find("ALTER TABLE \"Billing Dept\".\"Invoice Lines\""), std::string::npos);
    // New columns follow the table's own types: uuid actors on app.soft.
    EXPECT_NE(fix.out.find("ADD COLUMN IF NOT EXISTS deleted_by uuid"), std::string::npos);
    EXPECT_NE(fix.out.find("-- AF004"), std::string::npos);
    EXPECT_EQ(fix.out.find("app.legacy"), std::string::npos);
    EXPECT_EQ(fix.out.find("app.events_1"), std::string::npos);

    CliRun applied = apply_with_psql(db, fix.out);
    ASSERT_EQ(applied.status, 0) << applied.err << "\n" << fix.out;
    // Only the column whose type needs a human decision is left.
    const auto errors = errors_by_table(db);
    ASSERT_EQ(errors.size(), 1u) << errors.begin()->first;
    EXPECT_EQ(errors.begin()->first, "app.bad_type");
    EXPECT_EQ(errors.begin()->second.count("AF004"), 1u);

    Connection c(db.conninfo());
    EXPECT_EQ(c.must("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                     "WHERE attrelid = 'app.half'::regclass AND attname = 'updated_at'")
                  .value(),
              "timestamp with time zone");
    // The partitioned table is enabled on the parent; its partition stamps too.
    c.must("BEGIN");
    c.must("SET LOCAL audit_fields.actor = 'fix@example.com'");
    c.must("INSERT INTO app.events (id) VALUES (1)");
    c.must("COMMIT");
    EXPECT_EQ(c.must("SELECT created_by FROM app.events_1").value(), "fix@example.com");
    // Running the (new) migration again is harmless.
    CliRun again = scan({"--dsn", db.conninfo(), "--fix-sql"});
    EXPECT_EQ(again.out.find("CREATE EXTENSION"), std::string::npos);
    EXPECT_EQ(apply_with_psql(db, again.out).status, 0);
}

TEST(CliFixSql, BrokenTriggersAreReplacedKeepingOptions) {
    ScratchDatabase db("af_cli_fix_trig");
    Connection c(db.conninfo());
    ASSERT_TRUE(c.ok()) << c.error();
    c.must("CREATE TABLE mapped (id int, created_at timestamptz, modified timestamptz, "
           "author text, created_by_name text, updated_by text, updated_by_name text, "
           "deleted_at timestamptz, deleted_by text, deleted_by_name text)");
    c.must("SELECT audit_fields.enable('mapped', soft_delete => true, column_map => "
           "'{\"updated_at\": \"modified\", \"created_by\": \"author\"}')");
    c.must("ALTER TABLE mapped DISABLE TRIGGER zz_audit_fields");
    c.must("CREATE TABLE \"After\" (id int, created_at timestamptz, updated_at timestamptz)");
    c.must("CREATE TRIGGER late AFTER INSERT OR UPDATE ON \"After\" FOR EACH ROW "
           "EXECUTE FUNCTION audit_fields.stamp()");

    CliRun fix = scan({"--dsn", db.conninfo(), "--fix-sql", "--schema", "public"});
    EXPECT_NE(fix.out.find("DROP TRIGGER IF EXISTS late ON public.\"After\";"), std::string::npos)
        << fix.out;
    EXPECT_NE(fix.out.find("column_map => '{\"updated_at\": \"modified\", \"created_by\": "
                           "\"author\"}', soft_delete => true"),
              std::string::npos)
        << fix.out;
    ASSERT_EQ(apply_with_psql(db, fix.out).status, 0) << fix.out;
    EXPECT_TRUE(errors_by_table(db).empty());
    EXPECT_EQ(c.must("SELECT columns->>'updated_at' || ' ' || soft_delete FROM audit_fields.tables "
                     "WHERE table_name = 'mapped'")
                  .value(),
              "modified true");
    EXPECT_EQ(
        c.must("SELECT count(*) FROM pg_trigger WHERE tgrelid = '\"After\"'::regclass").value(),
        "1");
}

TEST(CliAndSql, BothFrontEndsAgree) {
    ScratchDatabase db("af_cli_agree");
    Connection c(db.conninfo());
    ASSERT_TRUE(c.ok()) << c.error();
    create_fixture(c);
    c.must("CREATE TABLE app.ok (id int, created_at timestamptz NOT NULL, updated_at timestamptz, "
           "created_by text, created_by_name text, updated_by text, updated_by_name text)");
    c.must("SELECT audit_fields.enable('app.ok')");
    c.must("CREATE TABLE app.off (LIKE app.ok)");
    c.must("SELECT audit_fields.enable('app.off')");
    c.must("ALTER TABLE app.off DISABLE TRIGGER zz_audit_fields");

    using Key = std::tuple<std::string, std::string, std::string, std::string>;
    std::multiset<Key> from_sql, from_cli;
    for (const auto& row : c.must("SELECT schema_name, table_name, check_id, message "
                                  "FROM audit_fields.scan()")
                               .rows)
        from_sql.insert({*row[0], *row[1], *row[2], *row[3]});
    CliRun r = scan({"--dsn", db.conninfo(), "--format", "json"});
    const Json doc = parse_json(r.out);
    for (const Json& t : doc["tables"].items)
        for (const Json& f : t["findings"].items)
            from_cli.insert({t["schema"].s, t["table"].s, f["check_id"].s, f["message"].s});
    EXPECT_FALSE(from_sql.empty());
    EXPECT_EQ(from_sql, from_cli);

    std::multiset<std::pair<std::string, std::string>> status_sql, status_cli;
    for (const auto& row : c.must("SELECT table_name, status FROM audit_fields.report").rows)
        status_sql.insert({*row[0], *row[1]});
    for (const Json& t : doc["tables"].items)
        status_cli.insert({t["table"].s, t["status"].s});
    EXPECT_EQ(status_sql, status_cli);
}

namespace {

// A scratch directory for configuration and baseline files, removed afterwards.
class TempDir {
  public:
    TempDir() {
        char path[] = "/tmp/af_cli_dirXXXXXX";
        path_ = mkdtemp(path);
    }
    ~TempDir() { run_shell("rm -rf " + shell_quote(path_)); }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name, const std::string& text = "") const {
        const std::string p = path_ + "/" + name;
        if (!text.empty()) {
            std::ofstream out(p);
            out << text;
        }
        return p;
    }

  private:
    std::string path_;
};

// What the triage features need from a real catalog: renamed columns, soft delete with unique
// indexes and foreign keys, actor types that disagree, waivers.
class CliTriage : public audit_fields::test::SharedDatabaseTest<CliTriage> {
  public:
    static constexpr const char* kDatabase = "af_cli_triage";
    static void prepare_database(Connection& c) {
        c.must("CREATE SCHEMA wiki");
        // Renamed audit columns, integer actor, naive timestamps.
        c.must("CREATE TABLE wiki.page (page_id serial PRIMARY KEY, title text, "
               "created timestamp, changed timestamp, created_by_id integer)");
        // Soft delete with a unique constraint over every row and a cascading child.
        c.must("CREATE TABLE wiki.account (id serial PRIMARY KEY, email text UNIQUE, "
               "login text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, "
               "deleted_at timestamptz, created_by text, created_by_name text, updated_by text, "
               "updated_by_name text, deleted_by text, deleted_by_name text)");
        c.must("CREATE UNIQUE INDEX account_login_live ON wiki.account (login) "
               "WHERE deleted_at IS NULL");
        c.must("SELECT audit_fields.enable('wiki.account')");
        c.must("CREATE TABLE wiki.watch (id serial PRIMARY KEY, account_id int REFERENCES "
               "wiki.account ON DELETE CASCADE, created_at timestamptz NOT NULL, "
               "updated_at timestamptz NOT NULL, created_by bigint, created_by_name text, "
               "updated_by bigint, updated_by_name text)");
        c.must("SELECT audit_fields.enable('wiki.watch')");
        c.must("CREATE TABLE wiki.objectcache (keyname text PRIMARY KEY, value bytea)");
        c.must(
            "COMMENT ON TABLE wiki.objectcache IS "
            "'Cache. @audit_fields:ignore AF001,AF002 until 2099-12-31: cache, rebuilt on miss'");
        c.must("CREATE TABLE wiki.job (id int)");
        c.must("COMMENT ON TABLE wiki.job IS '@audit_fields:ignore AF001 until 2001-01-01: queue'");
        c.must("CREATE TABLE wiki.l10n (id int)");
        c.must("COMMENT ON TABLE wiki.l10n IS '@audit_fields:ignore AF001,AF999: messages'");
    }
};

std::vector<const Json*> findings_of(const Json& table, const std::string& id,
                                     const char* list = "findings") {
    std::vector<const Json*> out;
    for (const Json& f : table[list].items)
        if (f["check_id"].s == id)
            out.push_back(&f);
    return out;
}

} // namespace

TEST_F(CliTriage, NewChecksOnARealCatalog) {
    CliRun r = scan({"--dsn", db().conninfo(), "--format", "json", "--no-config"});
    ASSERT_EQ(r.status, 1) << r.err;
    const Json doc = parse_json(r.out);
    const Json& page = *find_table(doc, "wiki", "page");
    EXPECT_EQ(findings_of(page, "AF009").size(), 3u);
    EXPECT_EQ(page["suspected_renames"]["created_by_id"].s, "created_by");
    // Named as the server quotes it: "created" is no keyword, so no quotes.
    EXPECT_EQ((*findings_of(page, "AF009")[0])["message"].s,
              "column created looks like a renamed created_at: the scan treats it as created_at; "
              "confirm with an alias in the configuration or column_map");
    EXPECT_TRUE(findings_of(page, "AF001").empty());

    const Json& account = *find_table(doc, "wiki", "account");
    const auto af011 = findings_of(account, "AF011");
    ASSERT_EQ(af011.size(), 1u); // email; login's index is partial on deleted_at IS NULL
    EXPECT_NE((*af011[0])["message"].s.find("account_email_key (email)"), std::string::npos);
    // The soft-delete parent has a child that is not soft-delete.
    const auto af012 = findings_of(account, "AF012");
    ASSERT_EQ(af012.size(), 1u);
    EXPECT_NE((*af012[0])["message"].s.find("wiki.watch (watch_account_id_fkey)"),
              std::string::npos);
    // bigint actors on watch, text on account: no single actor fits both.
    const Json& watch = *find_table(doc, "wiki", "watch");
    EXPECT_EQ(findings_of(watch, "AF013").size() + findings_of(account, "AF013").size(), 2u);
}

TEST_F(CliTriage, WaiversFromComments) {
    CliRun r = scan({"--dsn", db().conninfo(), "--format", "json", "--no-config"});
    const Json doc = parse_json(r.out);
    const Json& cache = *find_table(doc, "wiki", "objectcache");
    EXPECT_EQ(cache["status"].s, "ok");
    EXPECT_EQ(cache["waived"].items.size(), 2u);
    EXPECT_EQ(cache["waived"].items[0]["waiver"].s, "cache, rebuilt on miss");
    const Json& job = *find_table(doc, "wiki", "job");
    ASSERT_EQ(findings_of(job, "AF010").size(), 1u);
    EXPECT_NE((*findings_of(job, "AF010")[0])["message"].s.find("expired on 2001-01-01"),
              std::string::npos);
    EXPECT_EQ(findings_of(job, "AF001").size(), 1u);
    const Json& l10n = *find_table(doc, "wiki", "l10n");
    EXPECT_NE((*findings_of(l10n, "AF010")[0])["message"].s.find("names unknown check AF999"),
              std::string::npos);
}

TEST_F(CliTriage, ConfigurationFileExplicitAndDefault) {
    TempDir dir;
    const std::string config = "fail_on = \"error\"\n"
                               "exclude = [\"wiki.l10n\", \"job\"]\n"
                               "[aliases]\n"
                               "created_at = [\"created\"]\n"
                               "updated_at = [\"changed\"]\n"
                               "created_by = [\"created_by_id\"]\n"
                               "[checks]\n"
                               "AF012 = \"warning\"\n"
                               "AF011 = \"off\"\n";
    const std::string path = dir.file("audit.toml", config);
    CliRun r = scan({"--dsn", db().conninfo(), "--format", "json", "--config", path});
    ASSERT_NE(r.status, 2) << r.err;
    Json doc = parse_json(r.out);
    EXPECT_EQ(doc["inputs"]["config"]["file"].s, path);
    EXPECT_EQ(doc["inputs"]["config"]["settings"]["checks"]["AF011"].s, "off");
    EXPECT_EQ(find_table(doc, "wiki", "l10n"), nullptr);
    EXPECT_EQ(find_table(doc, "wiki", "job"), nullptr);
    const Json& page = *find_table(doc, "wiki", "page");
    EXPECT_TRUE(findings_of(page, "AF009").empty()); // confirmed by the aliases
    const Json& account = *find_table(doc, "wiki", "account");
    EXPECT_TRUE(findings_of(account, "AF011").empty());
    EXPECT_EQ((*findings_of(account, "AF012")[0])["severity"].s, "warning");

    // .audit-fields.toml in the working directory is read without --config.
    dir.file(".audit-fields.toml", config);
    r = run_shell("cd " + shell_quote(dir.path()) + " && " + shell_quote(cli()) + " --dsn " +
                  shell_quote(db().conninfo()) + " --format json");
    doc = parse_json(r.out);
    EXPECT_EQ(doc["inputs"]["config"]["file"].s, ".audit-fields.toml");
    EXPECT_EQ(find_table(doc, "wiki", "job"), nullptr);

    // A bad setting names the file and the key; nothing is printed on stdout.
    const std::string bad = dir.file("bad.toml", "[checks]\nAF001 = \"fatal\"\n");
    r = scan({"--dsn", db().conninfo(), "--config", bad});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(r.err, "audit-fields-scan: " + bad +
                         ": checks.AF001: \"fatal\" is not error, warning or off\n");
}

TEST_F(CliTriage, BaselineAcceptsTodayAndCatchesTomorrow) {
    TempDir dir;
    const std::string baseline = dir.file("baseline.json");
    CliRun r = scan({"--dsn", db().conninfo(), "--no-config", "--write-baseline", baseline});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    const std::string recorded = read_file(baseline);
    EXPECT_NE(recorded.find("\"format\": \"audit-fields-baseline/1\""), std::string::npos);

    r = scan({"--dsn", db().conninfo(), "--no-config", "--baseline", baseline, "--format", "json",
              "--fail-on", "warning"});
    EXPECT_EQ(r.status, 0) << r.out;
    Json doc = parse_json(r.out);
    EXPECT_GT(doc["summary"]["baselined"].n, 10);
    EXPECT_EQ(doc["summary"]["findings"].n, 0);
    EXPECT_EQ(doc["inputs"]["baseline"]["file"].s, baseline);

    // A new table fails the run; a fixed one shows up as a stale entry.
    c().must("CREATE TABLE wiki.newcomer (id int)");
    c().must("ALTER TABLE wiki.job ADD COLUMN created_at timestamptz, "
             "ADD COLUMN updated_at timestamptz");
    r = scan({"--dsn", db().conninfo(), "--no-config", "--baseline", baseline, "--format", "json"});
    EXPECT_EQ(r.status, 1);
    doc = parse_json(r.out);
    const Json& newcomer = *find_table(doc, "wiki", "newcomer");
    EXPECT_EQ(newcomer["findings"].items.size(), 2u);
    bool stale_job = false;
    for (const Json& e : doc["stale_baseline"].items)
        stale_job |= e["table"].s == "job" && e["check_id"].s == "AF001";
    EXPECT_TRUE(stale_job) << r.out;
    c().must("DROP TABLE wiki.newcomer");
    c().must("ALTER TABLE wiki.job DROP COLUMN created_at, DROP COLUMN updated_at");

    const std::string broken = dir.file("broken.json", "{\"format\": \"other\"}");
    r = scan({"--dsn", db().conninfo(), "--baseline", broken});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("not a baseline file"), std::string::npos) << r.err;
}

TEST_F(CliTriage, SarifAndGithubFormats) {
    CliRun r = scan({"--dsn", db().conninfo(), "--no-config", "--format", "sarif"});
    EXPECT_EQ(r.status, 1);
    const Json doc = parse_json(r.out);
    EXPECT_EQ(doc["version"].s, "2.1.0");
    const Json& results = doc["runs"].items[0]["results"];
    EXPECT_GT(results.items.size(), 10u);
    bool suppressed = false;
    for (const Json& res : results.items) {
        EXPECT_FALSE(res["locations"].items.empty());
        suppressed |= res.has("suppressions");
    }
    EXPECT_TRUE(suppressed); // objectcache's waived findings

    r = scan({"--dsn", db().conninfo(), "--no-config", "--format", "github"});
    EXPECT_EQ(r.status, 1);
    std::istringstream lines(r.out);
    std::string line;
    int errors = 0, warnings = 0, other = 0;
    while (std::getline(lines, line)) {
        if (line.rfind("::error title=", 0) == 0)
            ++errors;
        else if (line.rfind("::warning title=", 0) == 0)
            ++warnings;
        else
            ++other;
    }
    EXPECT_GT(errors, 0);
    EXPECT_GT(warnings, 0);
    EXPECT_EQ(other, 1); // the summary line
}
