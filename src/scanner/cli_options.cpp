#include "cli_options.h"

#include <getopt.h>

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
    if (v == "sarif")
        return Format::Sarif;
    if (v == "github")
        return Format::Github;
    throw std::invalid_argument("invalid --format \"" + std::string(v) +
                                "\": expected text, json, markdown, junit, sarif or github");
}

// A lock_timeout value PostgreSQL accepts, not 0: a number with an optional unit ("5s", "500ms").
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

// Long options without a short form.
enum : int {
    kFailOn = 1000,
    kFixSql,
    kConfig,
    kNoConfig,
    kBaseline,
    kWriteBaseline,
    kLockTimeout,
    kEnforce,
    kAssumeTimezone,
    kAllowRewrite,
};

const struct option kLongOptions[] = {
    {"dsn", required_argument, nullptr, 'd'},
    {"schema", required_argument, nullptr, 'n'},
    {"exclude", required_argument, nullptr, 'x'},
    {"format", required_argument, nullptr, 'f'},
    {"fail-on", required_argument, nullptr, kFailOn},
    {"config", required_argument, nullptr, kConfig},
    {"no-config", no_argument, nullptr, kNoConfig},
    {"baseline", required_argument, nullptr, kBaseline},
    {"write-baseline", required_argument, nullptr, kWriteBaseline},
    {"fix-sql", no_argument, nullptr, kFixSql},
    {"lock-timeout", required_argument, nullptr, kLockTimeout},
    {"enforce", no_argument, nullptr, kEnforce},
    {"assume-timezone", required_argument, nullptr, kAssumeTimezone},
    {"allow-rewrite", no_argument, nullptr, kAllowRewrite},
    {"help", no_argument, nullptr, 'h'},
    {"version", no_argument, nullptr, 'V'},
    {nullptr, 0, nullptr, 0},
};

std::string non_empty(const char* value, const char* what) {
    if (value == nullptr || *value == '\0')
        throw std::invalid_argument(std::string("--") + what + " needs a value");
    return value;
}

} // namespace

// getopt_long with its own messages off (opterr = 0), so that every usage error is one line in
// the tool's own words. "--opt value" and "--opt=value" both work; arguments that are not options
// are an error (the scanner takes none).
Options parse_options(int argc, char** argv) {
    Options o;
    opterr = 0;
    optind = 0; // 0, not 1: also resets getopt's internal state between calls (tests call twice)
    const std::string shorts = ":d:n:x:f:hV";
    while (true) {
        const int previous = optind;
        const int c = getopt_long(argc, argv, shorts.c_str(), kLongOptions, nullptr);
        if (c == -1)
            break;
        const std::string arg = previous < argc && argv[previous] ? argv[previous] : "";
        switch (c) {
        case 'd':
            o.dsn = optarg;
            break;
        case 'n':
            o.schemas.push_back(non_empty(optarg, "schema"));
            break;
        case 'x':
            o.exclude.push_back(non_empty(optarg, "exclude"));
            break;
        case 'f':
            o.format = parse_format(optarg);
            break;
        case kFailOn: {
            const auto f = scan::parse_fail_on(optarg);
            if (!f)
                throw std::invalid_argument("invalid --fail-on \"" + std::string(optarg) +
                                            "\": expected error, warning or never");
            o.fail_on = *f;
            o.fail_on_given = true;
            break;
        }
        case kConfig:
            o.config = non_empty(optarg, "config");
            break;
        case kNoConfig:
            o.no_config = true;
            break;
        case kBaseline:
            o.baseline = non_empty(optarg, "baseline");
            break;
        case kWriteBaseline:
            o.write_baseline = non_empty(optarg, "write-baseline");
            break;
        case kFixSql:
            o.fix_sql = true;
            break;
        case kLockTimeout:
            o.lock_timeout = parse_lock_timeout(optarg);
            break;
        case kEnforce:
            o.enforce = true;
            break;
        case kAssumeTimezone:
            o.assume_timezone = non_empty(optarg, "assume-timezone");
            break;
        case kAllowRewrite:
            o.allow_rewrite = true;
            break;
        case 'h':
            o.help = true;
            break;
        case 'V':
            o.version = true;
            break;
        case ':':
            throw std::invalid_argument("option " + arg + " needs a value");
        default: {
            // '?': unknown option, or a value given to a flag ("--fix-sql=yes").
            const std::size_t eq = arg.find('=');
            if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
                const std::string name = arg.substr(2, eq - 2);
                for (const option* opt = kLongOptions; opt->name != nullptr; ++opt)
                    if (name == opt->name && opt->has_arg == no_argument)
                        throw std::invalid_argument("option --" + name + " takes no value");
            }
            throw std::invalid_argument("unknown argument \"" + arg + "\" (see --help)");
        }
        }
    }
    if (optind < argc)
        throw std::invalid_argument("unknown argument \"" + std::string(argv[optind]) +
                                    "\" (see --help)");
    if (o.no_config && !o.config.empty())
        throw std::invalid_argument("--config and --no-config contradict each other");
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
           "                         schemas); a schema that does not exist or has no table is\n"
           "                         an error\n"
           "  -x, --exclude PATTERN  skip tables matching the glob, e.g. 'public.tmp_*' or\n"
           "                         'django_*' (no dot: table name in any schema; repeatable)\n"
           "  -f, --format FORMAT    text (default), json, markdown, junit, sarif or github\n"
           "      --fail-on LEVEL    exit 1 on findings at or above error (default), warning,\n"
           "                         or never\n"
           "      --config FILE      TOML configuration: fail_on, exclude, [aliases], [checks]\n"
           "                         (default: .audit-fields.toml when present)\n"
           "      --no-config        ignore .audit-fields.toml\n"
           "      --baseline FILE    findings recorded in FILE are reported as baselined and\n"
           "                         do not fail the run\n"
           "      --write-baseline FILE  record today's findings in FILE\n"
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
           "Waivers go in table comments: \"@audit_fields:ignore <reason>\" skips the table;\n"
           "\"@audit_fields:ignore AF001,AF008 until 2027-03-31: <reason>\" waives those checks\n"
           "until that day. Checks: AF001-AF013 (see docs/scanner.md).\n"
           "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or connection\n"
           "error (also: a --schema that matches nothing, an unreadable configuration).\n";
}

} // namespace audit_fields::cli
