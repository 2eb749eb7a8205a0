// audit-fields-scan's command line (getopt_long).
#pragma once

#include "core/report_format.h"

#include <string>
#include <vector>

namespace audit_fields::cli {

enum class Format { Text, Json, Markdown, Junit, Sarif, Github };

struct Options {
    std::string dsn; // "" = libpq's PG* environment
    std::vector<std::string> schemas;
    std::vector<std::string> exclude;
    Format format = Format::Text;
    scan::FailOn fail_on = scan::FailOn::Error;
    bool fail_on_given = false; // --fix-sql exits 0 once printed unless --fail-on is given
    std::string config;         // --config FILE; "" = .audit-fields.toml when present
    bool no_config = false;
    std::string baseline;       // --baseline FILE
    std::string write_baseline; // --write-baseline FILE
    bool fix_sql = false;
    // --fix-sql: how the migration is made safe on a live database (core/fix_sql.h).
    std::string lock_timeout = "5s";
    bool enforce = false;
    std::string assume_timezone = "UTC";
    bool allow_rewrite = false;
    bool help = false;
    bool version = false;
};

// Throws std::invalid_argument with a one-line message on a usage error.
Options parse_options(int argc, char** argv);

const char* usage();

} // namespace audit_fields::cli
