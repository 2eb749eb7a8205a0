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
        } else if (arg == "--fix-sql") {
            no_value();
            o.fix_sql = true;
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
           "                         report\n"
           "  -h, --help             show this help\n"
           "  -V, --version          show the version\n"
           "\n"
           "A table is skipped when its comment contains \"@audit_fields:ignore <reason>\".\n"
           "Checks: AF001-AF008 (see docs/scanner.md).\n"
           "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or connection\n"
           "error.\n";
}

} // namespace audit_fields::cli
