// Fuzzes the scanner's rule engine (checks AF001..AF013) and everything that renders its verdict:
// random tables with random columns, types, comments (waivers among them), triggers, unique
// indexes and foreign keys, random --exclude globs and configurations.
// Invariants: nothing throws; the summary adds up; a table's status follows from its findings;
// partitions and system schemas are never reported; each finding's severity is the configured one
// and no finding of a check that is off survives; the output is sorted; every report format and
// the --fix-sql migration render without crashing; Markdown stays within its budget; a baseline
// written from a result and applied to it leaves no active finding and no stale entry; the
// plain-data waiver verdict agrees with the waiver parser.
#include "core/fix_sql.h"
#include "core/ignore_marker.h"
#include "core/report_format.h"
#include "core/scan_baseline.h"
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

// Waivers in every shape the grammar has, and broken ones: checks (known or not), an end date
// (past, future, not a day), a reason or none, several markers.
std::string pick_comment(FuzzedDataProvider& in) {
    static const char* const kPieces[] = {"@audit_fields:ignore",
                                          " ",
                                          "AF001",
                                          "AF008",
                                          ",",
                                          ", ",
                                          "AF099",
                                          " until ",
                                          "2001-01-01",
                                          "2999-12-31",
                                          "2027-02-30",
                                          ":",
                                          " reason",
                                          "\n",
                                          "@audit_fields:ignored"};
    std::string out;
    const size_t n = in.ConsumeIntegralInRange<size_t>(0, 12);
    for (size_t i = 0; i < n; ++i)
        out += in.ConsumeBool() ? kPieces[in.ConsumeIntegralInRange<size_t>(0, 14)]
                                : in.ConsumeRandomLengthString(12);
    return out;
}

UniqueIndex pick_index(FuzzedDataProvider& in) {
    UniqueIndex u;
    u.name = in.ConsumeRandomLengthString(12);
    u.constraint = in.ConsumeBool();
    const size_t ncols = in.ConsumeIntegralInRange<size_t>(0, 3);
    for (size_t i = 0; i < ncols; ++i)
        u.columns.push_back(pick_name(in));
    u.predicate = in.ConsumeBool() ? "(deleted_at IS NULL)" : in.ConsumeRandomLengthString(20);
    u.definition = in.ConsumeBool()
                       ? "CREATE UNIQUE INDEX " + u.name + " ON public.t USING btree (x)"
                       : in.ConsumeRandomLengthString(40);
    return u;
}

ForeignKey pick_key(FuzzedDataProvider& in) {
    ForeignKey k;
    k.name = in.ConsumeRandomLengthString(12);
    k.parent_schema = in.ConsumeBool() ? "public" : in.ConsumeRandomLengthString(8);
    k.parent_table = in.ConsumeRandomLengthString(8);
    k.on_delete = in.ConsumeBool() ? 'c' : static_cast<char>(in.ConsumeIntegral<uint8_t>());
    k.definition = in.ConsumeBool() ? "FOREIGN KEY (p) REFERENCES t(id) ON DELETE CASCADE"
                                    : in.ConsumeRandomLengthString(30);
    return k;
}

Config pick_config(FuzzedDataProvider& in) {
    Config c;
    for (const CheckInfo& check : all_checks())
        if (in.ConsumeIntegralInRange<int>(0, 3) == 0)
            c.checks[check.id] = static_cast<CheckLevel>(in.ConsumeIntegralInRange<int>(0, 2));
    if (in.ConsumeBool())
        c.aliases[in.ConsumeBool() ? "created_by" : "updated_at"] = {pick_name(in), pick_name(in)};
    return c;
}

Table pick_table(FuzzedDataProvider& in) {
    Table t;
    t.schema = in.ConsumeBool() ? "public" : in.ConsumeRandomLengthString(16);
    t.name = in.ConsumeRandomLengthString(16);
    t.relkind = in.ConsumeBool() ? 'r' : 'p';
    t.is_partition = in.ConsumeIntegralInRange<int>(0, 3) == 0;
    if (in.ConsumeIntegralInRange<int>(0, 3) == 0)
        t.comment = pick_comment(in);
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
    const size_t nidx = in.ConsumeIntegralInRange<size_t>(0, 2);
    for (size_t i = 0; i < nidx; ++i)
        t.unique_indexes.push_back(pick_index(in));
    const size_t nkeys = in.ConsumeIntegralInRange<size_t>(0, 2);
    for (size_t i = 0; i < nkeys; ++i)
        t.foreign_keys.push_back(pick_key(in));
    return t;
}

// waiver_verdict() (what the SQL side calls) says what parse_waivers() says.
void check_waivers(const std::string& comment) {
    const CivilDate today{2026, 6, 15};
    const WaiverVerdict v = waiver_verdict(comment.data(), comment.size(), 2026, 6, 15);
    const std::vector<Waiver> waivers = parse_waivers(comment);
    if (v.marked != !waivers.empty())
        violated("waiver_verdict.marked disagrees with parse_waivers");
    bool ignores = false, invalid = false;
    for (const Waiver& w : waivers) {
        const bool ok = waiver_problem(w, today) == WaiverProblem::None;
        invalid = invalid || !ok;
        ignores = ignores || (ok && w.whole_table());
        if (w.reason_offset + w.reason.size() > comment.size() ||
            comment.compare(w.reason_offset, w.reason.size(), w.reason) != 0)
            violated("a waiver's reason is not where its offset says");
    }
    if (v.ignores_table != ignores || v.has_invalid != invalid)
        violated("waiver_verdict disagrees with waiver_problem");
    if (ignores != ignore_reason(comment, today).has_value())
        violated("ignore_reason disagrees with the waivers");
}

void check_result(const std::vector<Table>& input, const ScanResult& result, const Config& config) {
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
            if (!config.severity(f.check_id))
                violated("a finding of a check that is off");
            if (f.severity != *config.severity(f.check_id))
                violated("a finding's severity is not the configured one");
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
    options.today = CivilDate{2026, 6, 15};
    options.config = pick_config(in);
    const size_t nexclude = in.ConsumeIntegralInRange<size_t>(0, 2);
    for (size_t i = 0; i < nexclude; ++i)
        options.exclude.push_back(in.ConsumeRandomLengthString(24));
    try {
        for (const Table& t : tables)
            check_waivers(t.comment);
        ScanResult result = run_scan(tables, options);
        check_result(tables, result, options.config);
        ReportContext context;
        context.database = in.ConsumeRandomLengthString(16);
        context.tool_version = "fuzz";
        (void)format_text(result, context);
        (void)format_json(result, context);
        (void)format_markdown(result, context);
        (void)format_junit(result, context);
        (void)format_sarif(result, context);
        (void)format_github(result, context);
        if (format_markdown(result, context).size() >= kMarkdownBudget)
            violated("the Markdown report exceeds its budget");
        FixOptions fix;
        fix.database = context.database;
        fix.enforce = in.ConsumeBool();
        fix.assume_timezone = in.ConsumeBool() ? "UTC" : in.ConsumeRandomLengthString(16);
        fix.allow_rewrite = in.ConsumeBool();
        (void)fix_migration(result, fix);
        (void)exit_status(result, FailOn::Warning);
        ScanResult baselined = result;
        apply_baseline(baselined, read_baseline(write_baseline(result, context.database)));
        if (baselined.summary.errors + baselined.summary.warnings != 0 ||
            !baselined.stale_baseline.empty() || exit_status(baselined, FailOn::Warning) != 0)
            violated("a result's own baseline leaves findings or stale entries");
    } catch (const std::exception& e) {
        fprintf(stderr, "exception: %s\n", e.what());
        violated("the scanner threw");
    }
    return 0;
}
