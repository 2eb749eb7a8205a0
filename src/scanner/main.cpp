// audit-fields-scan: reports which tables lack audit columns or their enforcement (SPEC.md
// "Scanner"). Exit status 0: nothing at or above --fail-on; 1: findings; 2: usage or connection
// error. Every failure is one line on stderr, never a crash.
#include "catalog_reader.h"
#include "cli_options.h"

#include "core/fix_sql.h"
#include "core/report_format.h"
#include "core/scan_rules.h"

#include <cstdio>
#include <exception>
#include <iostream>

#ifndef AUDIT_FIELDS_VERSION
#define AUDIT_FIELDS_VERSION "dev"
#endif

namespace {

constexpr int kExitUsage = 2;

int run(int argc, char** argv) {
    using namespace audit_fields;
    cli::Options options;
    try {
        options = cli::parse_options(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::cerr << "audit-fields-scan: " << e.what() << "\n";
        return kExitUsage;
    }
    if (options.help) {
        std::cout << cli::usage();
        return 0;
    }
    if (options.version) {
        std::cout << "audit-fields-scan " << AUDIT_FIELDS_VERSION << "\n";
        return 0;
    }

    cli::CatalogSnapshot snap;
    try {
        snap = cli::read_catalog(options.dsn, options.schemas);
    } catch (const cli::DatabaseError& e) {
        std::cerr << "audit-fields-scan: " << e.what() << "\n";
        return kExitUsage;
    }

    scan::ScanOptions scan_options;
    scan_options.exclude = options.exclude;
    const scan::ScanResult result = scan::run_scan(snap.tables, scan_options);

    if (options.fix_sql) {
        scan::FixOptions fix;
        fix.database = snap.database;
        fix.extension_installed = snap.extension_installed;
        fix.lock_timeout = options.lock_timeout;
        fix.enforce = options.enforce;
        fix.assume_timezone = options.assume_timezone;
        fix.allow_rewrite = options.allow_rewrite;
        std::cout << scan::fix_migration(result, fix);
        std::cout.flush();
        if (!std::cout) {
            std::cerr << "audit-fields-scan: cannot write the migration\n";
            return kExitUsage;
        }
        // Printing the migration is the job done; CI that wants it to fail says so.
        return options.fail_on_given ? scan::exit_status(result, options.fail_on) : 0;
    }

    scan::ReportContext context;
    context.database = snap.database;
    context.tool_version = AUDIT_FIELDS_VERSION;
    context.schemas = options.schemas;
    context.fail_on = options.fail_on;
    context.extension_installed = snap.extension_installed;
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
    }
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "audit-fields-scan: cannot write the report\n";
        return kExitUsage;
    }
    return scan::exit_status(result, options.fail_on);
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
