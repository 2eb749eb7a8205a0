// Fuzzes the scanner's rule engine (checks AF001..AF008) and everything that renders its verdict:
// random tables with random columns, types, comments and triggers, random --exclude globs.
// Invariants: nothing throws; the summary adds up; a table's status follows from its findings;
// partitions and system schemas are never reported; each finding's severity is its check's; the
// output is sorted; every report format and the --fix-sql migration render without crashing.
#include "core/fix_sql.h"
#include "core/report_format.h"
#include "core/scan_checks.h"
#include "core/scan_rules.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

using namespace audit_fields;
using namespace audit_fields::scan;

namespace {

[[noreturn]] void violated(const char* what) {
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
}

// Names biased towards the ones the rules care about, so the fuzzer reaches them quickly.
std::string pick_name(FuzzedDataProvider& in) {
    static const char* const kNames[] = {
        "created_at",      "updated_at", "deleted_at",       "created_by",
        "created_by_name", "updated_by", "updated_by_name",  "deleted_by",
        "deleted_by_name", "id",         "created_by_email", "modified_at"};
    if (in.ConsumeBool())
        return kNames[in.ConsumeIntegralInRange<size_t>(0, std::size(kNames) - 1)];
    return in.ConsumeRandomLengthString(40);
}

ColumnTypeInfo pick_type(FuzzedDataProvider& in) {
    static const char* const kTypes[] = {
        kTimestampTz, kTimestamp, "text",    "uuid",   "integer",
        "bigint",     "date",     "boolean", "text[]", "character varying(10)"};
    ColumnTypeInfo t;
    t.base_type = in.ConsumeBool() ? kTypes[in.ConsumeIntegralInRange<size_t>(0, 9)]
                                   : in.ConsumeRandomLengthString(30);
    static const char kCategories[] = "ADSNUBX";
    t.category = in.ConsumeBool() ? kCategories[in.ConsumeIntegralInRange<size_t>(0, 6)]
                                  : static_cast<char>(in.ConsumeIntegral<uint8_t>());
    return t;
}

Trigger pick_trigger(FuzzedDataProvider& in) {
    Trigger t;
    t.name = in.ConsumeBool() ? "zz_audit_fields" : in.ConsumeRandomLengthString(20);
    t.function_schema = in.ConsumeBool() ? "audit_fields" : in.ConsumeRandomLengthString(12);
    t.function_name = in.ConsumeBool() ? "stamp" : in.ConsumeRandomLengthString(12);
    const size_t nargs = in.ConsumeIntegralInRange<size_t>(0, 6);
    for (size_t i = 0; i < nargs; ++i)
        t.args.push_back(in.ConsumeRandomLengthString(40));
    t.before = in.ConsumeBool();
    t.row = in.ConsumeBool();
    t.on_insert = in.ConsumeBool();
    t.on_update = in.ConsumeBool();
    t.on_delete = in.ConsumeBool();
    t.enabled = in.ConsumeBool();
    return t;
}

Table pick_table(FuzzedDataProvider& in) {
    Table t;
    t.schema = in.ConsumeBool() ? "public" : in.ConsumeRandomLengthString(16);
    t.name = in.ConsumeRandomLengthString(16);
    t.relkind = in.ConsumeBool() ? 'r' : 'p';
    t.is_partition = in.ConsumeIntegralInRange<int>(0, 3) == 0;
    if (in.ConsumeIntegralInRange<int>(0, 3) == 0)
        t.comment = in.ConsumeBool() ? "@audit_fields:ignore " + in.ConsumeRandomLengthString(30)
                                     : in.ConsumeRandomLengthString(60);
    const size_t ncols = in.ConsumeIntegralInRange<size_t>(0, 12);
    for (size_t i = 0; i < ncols; ++i) {
        Column c;
        c.name = pick_name(in);
        c.type = pick_type(in);
        c.declared_type = c.type.base_type;
        c.not_null = in.ConsumeBool();
        c.generated = in.ConsumeIntegralInRange<int>(0, 7) == 0;
        t.columns.push_back(std::move(c));
    }
    const size_t ntrig = in.ConsumeIntegralInRange<size_t>(0, 2);
    for (size_t i = 0; i < ntrig; ++i)
        t.triggers.push_back(pick_trigger(in));
    return t;
}

void check_result(const std::vector<Table>& input, const ScanResult& result) {
    ScanSummary counted;
    counted.tables = static_cast<int>(result.tables.size());
    for (size_t i = 0; i < result.tables.size(); ++i) {
        const TableReport& r = result.tables[i];
        if (i > 0) {
            const TableReport& p = result.tables[i - 1];
            if (p.schema > r.schema || (p.schema == r.schema && p.table > r.table))
                violated("tables not sorted by schema, then name");
        }
        if (is_system_schema(r.schema))
            violated("a system schema is reported");
        bool from_partition_only = true;
        for (const Table& t : input)
            if (t.schema == r.schema && t.name == r.table && !t.is_partition)
                from_partition_only = false;
        if (from_partition_only)
            violated("a partition (or an unknown table) is reported");
        bool any_error = false;
        bool any_warning = false;
        for (const Finding& f : r.findings) {
            if (find_check(f.check_id) == nullptr)
                violated("unknown check id");
            if (f.severity != severity_of(f.check_id))
                violated("a finding's severity is not its check's");
            if (f.schema != r.schema || f.table != r.table)
                violated("a finding names another table");
            any_error = any_error || f.severity == Severity::Error;
            any_warning = any_warning || f.severity == Severity::Warning;
            (f.severity == Severity::Error ? counted.errors : counted.warnings)++;
        }
        switch (r.status) {
        case TableStatus::Ignored:
            ++counted.ignored;
            if (!r.findings.empty())
                violated("an ignored table has findings");
            break;
        case TableStatus::Error:
            ++counted.error;
            if (!any_error)
                violated("status error without an error finding");
            break;
        case TableStatus::Warning:
            ++counted.warning;
            if (any_error || !any_warning)
                violated("status warning does not match the findings");
            break;
        case TableStatus::Ok:
            ++counted.ok;
            if (any_error || any_warning)
                violated("status ok with findings");
            break;
        }
    }
    const ScanSummary& s = result.summary;
    if (s.tables != counted.tables || s.ok != counted.ok || s.warning != counted.warning ||
        s.error != counted.error || s.ignored != counted.ignored || s.errors != counted.errors ||
        s.warnings != counted.warnings)
        violated("the summary does not add up");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    std::vector<Table> tables;
    const size_t ntables = in.ConsumeIntegralInRange<size_t>(0, 4);
    for (size_t i = 0; i < ntables; ++i)
        tables.push_back(pick_table(in));
    ScanOptions options;
    const size_t nexclude = in.ConsumeIntegralInRange<size_t>(0, 2);
    for (size_t i = 0; i < nexclude; ++i)
        options.exclude.push_back(in.ConsumeRandomLengthString(24));
    try {
        const ScanResult result = run_scan(tables, options);
        check_result(tables, result);
        ReportContext context;
        context.database = in.ConsumeRandomLengthString(16);
        context.tool_version = "fuzz";
        (void)format_text(result, context);
        (void)format_json(result, context);
        (void)format_markdown(result, context);
        (void)format_junit(result, context);
        FixOptions fix;
        fix.database = context.database;
        fix.enforce = in.ConsumeBool();
        fix.assume_timezone = in.ConsumeBool() ? "UTC" : in.ConsumeRandomLengthString(16);
        fix.allow_rewrite = in.ConsumeBool();
        (void)fix_migration(result, fix);
        (void)exit_status(result, FailOn::Warning);
    } catch (const std::exception& e) {
        fprintf(stderr, "exception: %s\n", e.what());
        violated("the scanner threw");
    }
    return 0;
}
