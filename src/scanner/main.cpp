// audit-fields-scan: reports which tables lack audit columns or their enforcement (SPEC.md
// "Scanner"). Exit status 0: nothing at or above --fail-on; 1: findings; 2: usage, configuration
// or connection error, or a --schema that matches nothing. Every failure is one line on stderr,
// never a crash.
#include "catalog_reader.h"
#include "cli_options.h"
#include "config_file.h"

#include "core/civil_date.h"
#include "core/fix_sql.h"
#include "core/report_format.h"
#include "core/scan_baseline.h"
#include "core/scan_rules.h"

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#ifndef AUDIT_FIELDS_VERSION
#define AUDIT_FIELDS_VERSION "dev"
#endif

namespace {

constexpr int kExitUsage = 2;

// A usage, configuration or connection problem: one line on stderr, exit 2.
struct Fatal : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string read_text(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Fatal(std::string("cannot read ") + what + " " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const std::string& path, const std::string& text, const char* what) {
    // Written beside the target and renamed, so a failed write never leaves half a file.
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            throw Fatal(std::string("cannot write ") + what + " " + path);
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Fatal(std::string("cannot write ") + what + " " + path);
    }
}

// A --schema that matches nothing is a typo until proven otherwise: never a green empty report.
void check_schemas(const audit_fields::cli::Options& options,
                   const audit_fields::cli::CatalogSnapshot& snap) {
    if (!snap.missing_schemas.empty())
        throw Fatal("schema \"" + snap.missing_schemas.front() +
                    "\" does not exist (--schema matches nothing)");
    std::set<std::string> with_tables;
    for (const auto& t : snap.tables)
        with_tables.insert(t.schema);
    for (const std::string& s : options.schemas)
        if (!with_tables.count(s))
            throw Fatal("schema \"" + s + "\" has no table to scan (--schema matches nothing)");
}

int run(int argc, char** argv) {
    using namespace audit_fields;
    cli::Options options;
    try {
        options = cli::parse_options(argc, argv);
    } catch (const std::invalid_argument& e) {
        throw Fatal(e.what());
    }
    if (options.help) {
        std::cout << cli::usage();
        return 0;
    }
    if (options.version) {
        std::cout << "audit-fields-scan " << AUDIT_FIELDS_VERSION << "\n";
        return 0;
    }

    scan::Config config;
    try {
        config = cli::load_config(options.config, options.no_config);
    } catch (const scan::ConfigError& e) {
        throw Fatal(e.what());
    }
    std::vector<scan::BaselineEntry> baseline;
    if (!options.baseline.empty()) {
        try {
            baseline = scan::read_baseline(read_text(options.baseline, "baseline"));
        } catch (const scan::BaselineError& e) {
            throw Fatal("baseline " + options.baseline + ": " + e.what());
        }
    }
    // The command line wins over the file.
    const scan::FailOn fail_on =
        options.fail_on_given ? options.fail_on : config.fail_on.value_or(scan::FailOn::Error);

    cli::CatalogSnapshot snap;
    try {
        snap = cli::read_catalog(options.dsn, options.schemas);
    } catch (const cli::DatabaseError& e) {
        throw Fatal(e.what());
    }
    check_schemas(options, snap);

    scan::ScanOptions scan_options;
    scan_options.exclude = options.exclude;
    scan_options.config = config;
    scan_options.today = today_utc();
    scan::ScanResult result = scan::run_scan(snap.tables, scan_options);
    if (!options.baseline.empty())
        scan::apply_baseline(result, baseline);
    if (!options.write_baseline.empty()) {
        write_text(options.write_baseline, scan::write_baseline(result, snap.database), "baseline");
        // What was just recorded is, from now on, the baseline of this run too.
        baseline = scan::read_baseline(scan::write_baseline(result, snap.database));
        scan::apply_baseline(result, baseline);
    }

    if (options.fix_sql) {
        scan::FixOptions fix;
        fix.database = snap.database;
        fix.extension_installed = snap.extension_installed;
        fix.extension_version = snap.extension_version;
        fix.lock_timeout = options.lock_timeout;
        fix.enforce = options.enforce;
        fix.assume_timezone = options.assume_timezone;
        fix.allow_rewrite = options.allow_rewrite;
        std::cout << scan::fix_migration(result, fix);
        std::cout.flush();
        if (!std::cout)
            throw Fatal("cannot write the migration");
        // Printing the migration is the job done; CI that wants it to fail says so.
        return options.fail_on_given ? scan::exit_status(result, fail_on) : 0;
    }

    scan::ReportContext context;
    context.database = snap.database;
    context.tool_version = AUDIT_FIELDS_VERSION;
    context.schemas = options.schemas;
    context.exclude = options.exclude;
    context.exclude.insert(context.exclude.end(), config.exclude.begin(), config.exclude.end());
    context.fail_on = fail_on;
    context.extension_installed = snap.extension_installed;
    context.config = config;
    context.baseline = !options.baseline.empty() ? options.baseline : options.write_baseline;
    context.baseline_entries = static_cast<int>(baseline.size());
    context.today = scan_options.today->iso();
    switch (options.format) {
    case cli::Format::Text:
        std::cout << scan::format_text(result, context);
        break;
    case cli::Format::Json:
        std::cout << scan::format_json(result, context);
        break;
    case cli::Format::Markdown:
        std::cout << scan::format_markdown(result, context);
        break;
    case cli::Format::Junit:
        std::cout << scan::format_junit(result, context);
        break;
    case cli::Format::Sarif:
        std::cout << scan::format_sarif(result, context);
        break;
    case cli::Format::Github:
        std::cout << scan::format_github(result, context);
        break;
    }
    std::cout.flush();
    if (!std::cout)
        throw Fatal("cannot write the report");
    return scan::exit_status(result, fail_on);
}

} // namespace

int main(int argc, char** argv) {
    // Anything unexpected (out of memory, a malformed catalog row) is still one line and exit 2.
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "audit-fields-scan: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "audit-fields-scan: unexpected error\n";
    }
    return kExitUsage;
}
