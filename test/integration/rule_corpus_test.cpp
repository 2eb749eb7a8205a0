// One corpus of tricky ignore markers and trigger arguments, fed to every reader of those rules:
// the audit-fields-scan CLI (libpq), audit_fields.report and scan() (SPI), enable_schema(),
// auto_enable's event trigger, the audit_fields.tables view and the trigger itself. They all call
// the core library, so they must agree entry by entry; before 1.2 three of them had copies of
// their own (regular expressions, LIKE key || '=%') that did not.
// Also: identifiers are quoted by the server, so names that are keywords (system_user is one from
// PostgreSQL 16) survive the generated SQL.
#include "test_support.h"

#include "../core/mini_parsers.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using audit_fields::test::Connection;
using audit_fields::test::QueryResult;
using audit_fields::test::ScratchDatabase;
using audit_fields::testing::Json;
using audit_fields::testing::parse_json;

namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (const char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// stdout of a shell command and its exit status.
std::pair<int, std::string> run_shell(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
        return {-1, out};
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
        out.append(buf, n);
    const int rc = pclose(pipe);
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : 128, out};
}

Json cli_json(const ScratchDatabase& db, const std::string& schema) {
    const auto [status, out] =
        run_shell(shell_quote(std::string(AUDIT_FIELDS_BINARY_DIR) + "/audit-fields-scan") +
                  " --format json --fail-on never --dsn " + shell_quote(db.conninfo()) +
                  " --schema " + shell_quote(schema));
    EXPECT_EQ(status, 0) << out;
    return parse_json(out);
}

const Json& cli_table(const Json& doc, const std::string& table) {
    for (const Json& t : doc["tables"].items)
        if (t["table"].s == table)
            return t;
    throw std::runtime_error("the CLI did not report " + table);
}

// SQL literal for test-controlled text.
std::string lit(const std::string& s) {
    std::string out = "'";
    for (const char c : s)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

struct Marker {
    std::string comment;
    bool ignored;       // what the core decides (asserted, so the corpus cannot pass vacuously)
    std::string reason; // when ignored
};

// Comments that the copies before 1.2 read differently from the core.
const std::vector<Marker> kMarkers = {
    {"@audit_fields:ignore archive", true, "archive"},
    {"archive @audit_fields:ignore read-only since 2019", true, "read-only since 2019"},
    {"@audit_fields:ignored not the marker", false, ""},
    {"@audit_fields:ignore_me not the marker either", false, ""}, // enable_schema's regex took it
    {"x@audit_fields:ignore glued to a word", false, ""},
    {"@AUDIT_FIELDS:IGNORE upper case", false, ""},
    {"first line\n@audit_fields:ignore: second line\nthird line", true, "second line"},
    {"(@audit_fields:ignore in parentheses)", true, "in parentheses)"},
    {"@audit_fields:ignore one @audit_fields:ignore two", true, "one @audit_fields:ignore two"},
    {"it's \"quoted\" @audit_fields:ignore it's fine", true, "it's fine"},
    {"\t@audit_fields:ignore\ttabbed\t", true, "tabbed"},
    {"100% @audit_fields:ignore _wild_ %cards%", true, "_wild_ %cards%"},
    // Waivers: only an honoured one without a list of checks takes the whole table out.
    {"@audit_fields:ignore AF001,AF008 until 2999-12-31: append-only log", false, ""},
    {"@audit_fields:ignore until 2999-12-31: frozen until the migration", true,
     "frozen until the migration"},
    {"@audit_fields:ignore until 2001-01-31: expired", false, ""},
    {"@audit_fields:ignore", false, ""}, // no reason: not honoured
};

class RuleCorpus : public audit_fields::test::SharedDatabaseTest<RuleCorpus> {
  public:
    static constexpr const char* kDatabase = "af_rule_corpus";
};

} // namespace

TEST_F(RuleCorpus, IgnoreMarkerMeansTheSameEverywhere) {
    c().must("CREATE SCHEMA corpus");
    c().must("CREATE SCHEMA auto");
    for (std::size_t i = 0; i < kMarkers.size(); ++i) {
        const std::string t = "m" + std::to_string(i);
        c().must("CREATE TABLE corpus." + t +
                 " (id int, created_at timestamptz, updated_at timestamptz)");
        c().must("COMMENT ON TABLE corpus." + t + " IS " + lit(kMarkers[i].comment));
    }
    // Scanner, both front ends, before anything is enabled.
    const Json doc = cli_json(db(), "corpus");
    std::map<std::string, std::pair<std::string, std::string>> report; // status, reason
    for (const auto& row : c().must("SELECT table_name, status, coalesce(ignore_reason, '') "
                                    "FROM audit_fields.report WHERE schema_name = 'corpus'")
                               .rows)
        report[*row[0]] = {*row[1], *row[2]};
    // enable_schema() and auto_enable.
    std::map<std::string, std::string> action;
    for (const auto& row :
         c().must("SELECT table_name::text, action FROM audit_fields.enable_schema('corpus')").rows)
        action[*row[0]] = *row[1];
    c().must("SELECT audit_fields.auto_enable(true)");
    for (std::size_t i = 0; i < kMarkers.size(); ++i) {
        const std::string t = "auto.m" + std::to_string(i);
        c().must("CREATE TABLE " + t + " (id int)");
        c().must("COMMENT ON TABLE " + t + " IS " + lit(kMarkers[i].comment));
        c().must("ALTER TABLE " + t + " ADD COLUMN created_at timestamptz"); // fires auto_enable
    }
    c().must("SELECT audit_fields.auto_enable(false)");

    for (std::size_t i = 0; i < kMarkers.size(); ++i) {
        const Marker& m = kMarkers[i];
        const std::string t = "m" + std::to_string(i);
        SCOPED_TRACE(m.comment);
        const QueryResult parsed =
            c().must("SELECT audit_fields.parse_ignore_marker(" + lit(m.comment) + ")");
        const bool sql_ignored = parsed.rows[0][0].has_value();
        EXPECT_EQ(sql_ignored, m.ignored);
        const Json& cli = cli_table(doc, t);
        EXPECT_EQ(cli["status"].s == "ignored", m.ignored);
        EXPECT_EQ(report[t].first == "ignored", m.ignored);
        EXPECT_EQ(action["corpus." + t], m.ignored ? "ignored: " + m.reason : "enabled");
        const bool auto_enabled =
            c().must("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'auto." + t +
                     "'::regclass AND tgname = 'zz_audit_fields'")
                .value() == "1";
        EXPECT_EQ(auto_enabled, !m.ignored);
        if (m.ignored) {
            EXPECT_EQ(parsed.value(), m.reason);
            EXPECT_EQ(cli["ignore_reason"].s, m.reason);
            EXPECT_EQ(report[t].second, m.reason);
        }
    }
}

namespace {

struct TriggerArgs {
    std::vector<std::string> args;
    bool valid; // what the core (and so the trigger) decides
};

// Arguments written straight into CREATE TRIGGER, as a hand-edited dump would carry them.
const std::vector<TriggerArgs> kTriggerArgs = {
    {{}, true},
    {{"createdXby=author"}, false}, // LIKE 'created_by=%' matched it before 1.2
    {{"created_by=a=b"}, true},     // '=' inside the column name
    {{"stamp_mode=fill", "soft_delete=true"}, true},
    {{"updated_at=Modified At"}, true},
    {{"created_by=author", "created_by=a=b"}, false}, // given twice
    {{"STAMP_MODE=fill"}, false},                     // keys are case-sensitive
    {{"created_at="}, false},
    {{"missing_actor=warn", "created_by=author"}, true},
    {{"soft_delete=yes"}, true},
    {{"created_by_name=author", "created_by=created_by_name"}, true},
    {{"created_by=author", "updated_by=author"}, false}, // one column for two
};

} // namespace

TEST_F(RuleCorpus, TriggerArgumentsMeanTheSameEverywhere) {
    c().must("CREATE SCHEMA targs");
    for (std::size_t i = 0; i < kTriggerArgs.size(); ++i) {
        const std::string t = "targs.t" + std::to_string(i);
        c().must("CREATE TABLE " + t +
                 " (id int, created_at timestamptz, updated_at timestamptz, deleted_at "
                 "timestamptz, author text, \"a=b\" text, \"Modified At\" timestamptz, "
                 "created_by text, created_by_name text, updated_by text, updated_by_name text, "
                 "deleted_by text, deleted_by_name text)");
        std::string args;
        for (const std::string& a : kTriggerArgs[i].args)
            args += (args.empty() ? "" : ", ") + lit(a);
        c().must("CREATE TRIGGER zz_audit_fields BEFORE INSERT OR UPDATE OR DELETE ON " + t +
                 " FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp(" + args + ")");
    }
    const Json doc = cli_json(db(), "targs");
    for (std::size_t i = 0; i < kTriggerArgs.size(); ++i) {
        const std::string t = "t" + std::to_string(i);
        SCOPED_TRACE(t + ": " + (kTriggerArgs[i].args.empty() ? "" : kTriggerArgs[i].args[0]));
        const bool valid = kTriggerArgs[i].valid;
        const std::string rel = "'targs." + t + "'::regclass";
        // The SQL parse.
        EXPECT_EQ(c().must("SELECT NOT audit_fields.trigger_options(tgargs) ? 'error' "
                           "FROM pg_trigger WHERE tgrelid = " +
                           rel)
                      .value(),
                  valid ? "t" : "f");
        // Scanner, both front ends.
        const Json& cli = cli_table(doc, t);
        const std::string report =
            c().must("SELECT trigger FROM audit_fields.report WHERE schema_name = 'targs' AND "
                     "table_name = " +
                     lit(t))
                .value();
        EXPECT_EQ(cli["trigger"].s, report);
        EXPECT_EQ(report, valid ? "enabled" : "misconfigured");
        // The trigger itself.
        c().must("SET audit_fields.actor = 'corpus@example.com'");
        const QueryResult insert = c().exec("INSERT INTO targs." + t + " (id) VALUES (1)");
        EXPECT_EQ(insert.ok, valid) << insert.error;
        if (!valid) {
            // The view shows no configuration rather than a misreading of it.
            EXPECT_EQ(c().must("SELECT (columns IS NULL AND stamp_mode IS NULL)::text FROM "
                               "audit_fields.tables WHERE relation = " +
                               rel)
                          .value(),
                      "true");
            continue;
        }
        // The view's mapping is the one the trigger stamped through and the scanner judged by.
        const std::string by =
            c().must("SELECT columns->>'created_by' FROM audit_fields.tables WHERE relation = " +
                     rel)
                .value();
        EXPECT_EQ(c().must("SELECT " + std::string("(to_jsonb(r)->>") + lit(by) + ") FROM targs." +
                           t + " r")
                      .value(),
                  "corpus@example.com");
        std::set<std::string> present_sql, present_cli;
        for (const auto& row :
             c().must("SELECT m.key FROM audit_fields.tables v, jsonb_each_text(v.columns) m "
                      "JOIN pg_attribute a ON a.attname = m.value AND a.attnum > 0 "
                      "WHERE v.relation = " +
                      rel + " AND a.attrelid = v.relation")
                 .rows)
            present_sql.insert(*row[0]);
        for (const Json& p : cli["columns_present"].items)
            present_cli.insert(p.s);
        EXPECT_EQ(present_sql, present_cli);
    }
    c().must("RESET audit_fields.actor");
}

// Names are quoted by the server the SQL is generated for: system_user is a reserved word from
// PostgreSQL 16, "select" in every version, and the generated migration must run on this server.
TEST_F(RuleCorpus, KeywordNamesSurviveTheGeneratedSql) {
    c().must("CREATE SCHEMA kw");
    c().must("CREATE TABLE kw.system_user (id int, created_at timestamp)");
    c().must("CREATE TABLE kw.\"select\" (id int, updated_at timestamptz)");
    c().must("CREATE TABLE kw.\"Mixed Case\" (id int, created_at timestamptz)");
    const auto [status, fix] =
        run_shell(shell_quote(std::string(AUDIT_FIELDS_BINARY_DIR) + "/audit-fields-scan") +
                  " --fix-sql --dsn " + shell_quote(db().conninfo()) + " --schema kw");
    ASSERT_EQ(status, 0) << fix;
    for (const std::string name : {"system_user", "select", "Mixed Case"}) {
        const std::string quoted =
            c().must("SELECT quote_ident('kw') || '.' || quote_ident(" + lit(name) + ")").value();
        EXPECT_NE(fix.find("ALTER TABLE " + quoted + "\n"), std::string::npos) << quoted << fix;
        EXPECT_NE(fix.find("SELECT audit_fields.enable(" + lit(quoted)), std::string::npos);
    }
    // The nine logical names are written bare: the server agrees they need no quotes.
    EXPECT_EQ(c().must("SELECT count(*) FROM unnest(ARRAY['created_at', 'updated_at', "
                       "'deleted_at', 'created_by', 'created_by_name', 'updated_by', "
                       "'updated_by_name', 'deleted_by', 'deleted_by_name']) AS n "
                       "WHERE quote_ident(n) <> n")
                  .value(),
              "0");
    // Applied as documented, every table is fixed.
    char path[] = "/tmp/af_kw_XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_EQ(write(fd, fix.data(), fix.size()), static_cast<ssize_t>(fix.size()));
    close(fd);
    const auto [applied, out] = run_shell("psql -X -q -v ON_ERROR_STOP=1 -d " +
                                          shell_quote(db().conninfo()) + " -f " + path + " 2>&1");
    unlink(path);
    ASSERT_EQ(applied, 0) << out << fix;
    EXPECT_EQ(c().must("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM "
                       "audit_fields.tables WHERE schema_name = 'kw'")
                  .value(),
              "Mixed Case,select,system_user");
}
