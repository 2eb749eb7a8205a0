#include "cli_options.h"

#include <stdexcept>
#include <string_view>

namespace audit_fields::cli {

namespace {

Format parse_format(std::string_view v) {
    if (v == "text")
        return Format::Text;
    if (v == "json")
        return Format::Json;
    if (v == "markdown" || v == "md")
        return Format::Markdown;
    if (v == "junit")
        return Format::Junit;
    throw std::invalid_argument("invalid --format \"" + std::string(v) +
                                "\": expected text, json, markdown or junit");
}

// A lock_timeout value PostgreSQL accepts: a number with an optional unit ("5s", "500ms", "0").
std::string parse_lock_timeout(const std::string& v) {
    std::size_t digits = 0;
    while (digits < v.size() && v[digits] >= '0' && v[digits] <= '9')
        ++digits;
    const std::string unit = v.substr(digits);
    if (digits == 0 || !(unit.empty() || unit == "us" || unit == "ms" || unit == "s" ||
                         unit == "min" || unit == "h" || unit == "d"))
        throw std::invalid_argument("invalid --lock-timeout \"" + v +
                                    "\": expected a number with an optional unit (us, ms, s, min, "
                                    "h, d), e.g. 5s");
    if (std::stoll(v.substr(0, digits)) == 0)
        throw std::invalid_argument("invalid --lock-timeout \"" + v +
                                    "\": 0 would wait for a lock forever, the very thing "
                                    "lock_timeout prevents");
    return v;
}

} // namespace

// Hand-written rather than getopt_long so that "--opt=value" and "--opt value" both work the
// same everywhere and errors read the same as the rest of the tool's messages.
Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string value;
        bool has_value = false;
        if (arg.rfind("--", 0) == 0) {
            const std::size_t eq = arg.find('=');
            if (eq != std::string::npos) {
                value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
                has_value = true;
            }
        }
        auto take = [&]() -> std::string {
            if (has_value)
                return value;
            if (i + 1 >= argc)
                throw std::invalid_argument("option " + arg + " needs a value");
            return argv[++i];
        };
        auto no_value = [&] {
            if (has_value)
                throw std::invalid_argument("option " + arg + " takes no value");
        };
        if (arg == "--dsn" || arg == "-d") {
            o.dsn = take();
        } else if (arg == "--schema" || arg == "-n") {
            const std::string s = take();
            if (s.empty())
                throw std::invalid_argument("--schema needs a schema name");
            o.schemas.push_back(s);
        } else if (arg == "--exclude" || arg == "-x") {
            o.exclude.push_back(take());
        } else if (arg == "--format" || arg == "-f") {
            o.format = parse_format(take());
        } else if (arg == "--fail-on") {
            const std::string v = take();
            const auto f = scan::parse_fail_on(v);
            if (!f)
                throw std::invalid_argument("invalid --fail-on \"" + v +
                                            "\": expected error, warning or never");
            o.fail_on = *f;
            o.fail_on_given = true;
        } else if (arg == "--fix-sql") {
            no_value();
            o.fix_sql = true;
        } else if (arg == "--lock-timeout") {
            o.lock_timeout = parse_lock_timeout(take());
        } else if (arg == "--enforce") {
            no_value();
            o.enforce = true;
        } else if (arg == "--assume-timezone") {
            o.assume_timezone = take();
            if (o.assume_timezone.empty())
                throw std::invalid_argument("--assume-timezone needs a time zone name, e.g. UTC");
        } else if (arg == "--allow-rewrite") {
            no_value();
            o.allow_rewrite = true;
        } else if (arg == "--help" || arg == "-h") {
            no_value();
            o.help = true;
        } else if (arg == "--version" || arg == "-V") {
            no_value();
            o.version = true;
        } else {
            throw std::invalid_argument("unknown argument \"" + arg + "\" (see --help)");
        }
    }
    return o;
}

const char* usage() {
    return "Usage: audit-fields-scan [OPTION]...\n"
           "Reports tables whose audit columns (created_at, updated_at, created_by, ...) are\n"
           "missing or not enforced by the audit_fields extension. Works on databases that do\n"
           "not have the extension installed.\n"
           "\n"
           "  -d, --dsn DSN          libpq connection string or URI (default: PGHOST, PGPORT,\n"
           "                         PGDATABASE, PGUSER, ... from the environment)\n"
           "  -n, --schema SCHEMA    scan only this schema (repeatable; default: all but system\n"
           "                         schemas)\n"
           "  -x, --exclude PATTERN  skip tables matching the glob, e.g. 'public.tmp_*' or\n"
           "                         'django_*' (no dot: table name in any schema; repeatable)\n"
           "  -f, --format FORMAT    text (default), json, markdown or junit\n"
           "      --fail-on LEVEL    exit 1 on findings at or above error (default), warning,\n"
           "                         or never\n"
           "      --fix-sql          print a migration that fixes the findings instead of a\n"
           "                         report (exit 0 once printed unless --fail-on is given)\n"
           "      --lock-timeout T   --fix-sql: give up on a table whose lock is not granted\n"
           "                         within T (default 5s)\n"
           "      --enforce          --fix-sql: enable tables under the missing_actor setting\n"
           "                         instead of missing_actor => 'warn'\n"
           "      --assume-timezone Z  --fix-sql: zone the timestamp-without-time-zone values\n"
           "                         were written in (default UTC: converted without a rewrite)\n"
           "      --allow-rewrite    --fix-sql: emit conversions that rewrite the table (zones\n"
           "                         other than UTC) instead of commenting them out\n"
           "  -h, --help             show this help\n"
           "  -V, --version          show the version\n"
           "\n"
           "A table is skipped when its comment contains \"@audit_fields:ignore <reason>\".\n"
           "Checks: AF001-AF008 (see docs/scanner.md).\n"
           "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or connection\n"
           "error.\n";
}

} // namespace audit_fields::cli
