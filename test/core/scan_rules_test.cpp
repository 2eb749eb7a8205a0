#include "core/scan_rules.h"

#include "scan_test_tables.h"

#include <gtest/gtest.h>

using namespace audit_fields;
using namespace audit_fields::scan;
using namespace audit_fields::scan::testing;
using Ids = std::vector<std::string>;

TEST(ScanRules, CompliantTableIsOk) {
    const TableReport r = check_table(compliant());
    EXPECT_EQ(r.status, TableStatus::Ok);
    EXPECT_EQ(r.trigger, TriggerState::Enabled);
    EXPECT_TRUE(r.findings.empty());
    EXPECT_TRUE(r.missing.empty());
    EXPECT_EQ(r.present.size(), 6u);
}

TEST(ScanRules, AF001BothTimestampsMissing) {
    Table t;
    t.schema = "public";
    t.name = "plain";
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF001", "AF002"}));
    EXPECT_EQ(r.status, TableStatus::Error);
    EXPECT_EQ(r.findings[0].severity, Severity::Error);
    EXPECT_NE(r.findings[0].message.find("neither created_at nor updated_at"), std::string::npos);
    EXPECT_NE(r.findings[0].remediation.find("ADD COLUMN IF NOT EXISTS created_at timestamp with "
                                             "time zone"),
              std::string::npos);
    // No audit column at all: nothing to enforce yet, so no AF006 (AF001's fix comes first).
    EXPECT_EQ(r.trigger, TriggerState::Missing);
}

TEST(ScanRules, AF001OneTimestampMissing) {
    Table t = compliant();
    drop_column(t, "updated_at");
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF001"}));
    EXPECT_EQ(r.findings[0].message, "table has no updated_at column");
    EXPECT_EQ(r.missing, (std::vector<std::string>{"updated_at"}));
}

TEST(ScanRules, AF002ListsMissingActorColumns) {
    Table t = compliant();
    drop_column(t, "created_by_name");
    drop_column(t, "updated_by_name");
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF002"}));
    EXPECT_EQ(r.status, TableStatus::Warning);
    EXPECT_NE(r.findings[0].message.find("created_by_name, updated_by_name"), std::string::npos);
}

TEST(ScanRules, AF003DeletedAtWithoutDeletedBy) {
    Table t = compliant();
    t.columns.push_back(col("deleted_at", "timestamp with time zone", 'D', false));
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF003"}));
    EXPECT_EQ(r.missing, (std::vector<std::string>{"deleted_by", "deleted_by_name"}));
}

TEST(ScanRules, AF003DeletedByWithoutDeletedAt) {
    Table t = compliant();
    t.columns.push_back(text_col("deleted_by"));
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF003"}));
    EXPECT_EQ(r.missing, (std::vector<std::string>{"deleted_at"}));
}

TEST(ScanRules, CompleteSoftDeleteColumnsAreFine) {
    Table t = compliant();
    t.columns.push_back(col("deleted_at", "timestamp with time zone", 'D', false));
    t.columns.push_back(text_col("deleted_by"));
    t.columns.push_back(text_col("deleted_by_name"));
    EXPECT_TRUE(check_table(t).findings.empty());
}

TEST(ScanRules, AF004UnusableTypesUseTheSharedTypeRules) {
    Table t = compliant();
    t.columns[0] = col("created_at", "integer", 'N');
    t.columns[2] = col("created_by", "jsonb", 'U');
    t.columns[3] = col("created_by_name", "text[]", 'A');
    const TableReport r = check_table(t);
    // jsonb is a scalar user-defined category ('U') and accepted by the shared rule; arrays are
    // not.
    EXPECT_EQ(ids(r), (Ids{"AF004", "AF004"}));
    EXPECT_EQ(r.findings[0].column, "created_at");
    EXPECT_NE(r.findings[0].message.find("has type integer"), std::string::npos);
    EXPECT_EQ(r.findings[1].column, "created_by_name");
    EXPECT_EQ(r.findings[0].remediation.rfind("-- AF004", 0), 0u);
}

TEST(ScanRules, AF004GeneratedColumn) {
    Table t = compliant();
    t.columns[1].generated = true;
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF004"}));
    EXPECT_NE(r.findings[0].message.find("generated"), std::string::npos);
}

TEST(ScanRules, AF005TimestampWithoutTimeZone) {
    Table t = compliant();
    t.columns[0] = col("created_at", "timestamp without time zone");
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF005"}));
    EXPECT_EQ(r.findings[0].severity, Severity::Warning);
    EXPECT_EQ(r.findings[0].column, "created_at");
}

TEST(ScanRules, DomainsAreJudgedByTheirBaseType) {
    Table t = compliant();
    t.columns[0].declared_type = "public.audit_ts";
    EXPECT_TRUE(check_table(t).findings.empty());
}

TEST(ScanRules, AF006AuditColumnsWithoutTrigger) {
    Table t = compliant();
    t.triggers.clear();
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF006"}));
    EXPECT_EQ(r.trigger, TriggerState::Missing);
    EXPECT_EQ(r.findings[0].remediation, "SELECT audit_fields.enable('public.users');");
}

TEST(ScanRules, AF006TriggerRecognisedByFunctionNameOnly) {
    Table t = compliant();
    t.triggers[0].name = "my_own_name";
    EXPECT_TRUE(check_table(t).findings.empty());
    t.triggers[0].function_schema = "public"; // a look-alike is not ours
    EXPECT_EQ(ids(check_table(t)), (Ids{"AF006"}));
}

TEST(ScanRules, AF007DisabledTrigger) {
    Table t = compliant();
    t.triggers[0].enabled = false;
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF007"}));
    EXPECT_EQ(r.trigger, TriggerState::Disabled);
    EXPECT_NE(r.findings[0].message.find("is disabled"), std::string::npos);
}

TEST(ScanRules, AF007WrongTimingLevelOrEvents) {
    for (int variant = 0; variant < 4; ++variant) {
        Table t = compliant();
        Trigger& g = t.triggers[0];
        if (variant == 0)
            g.before = false;
        if (variant == 1)
            g.row = false;
        if (variant == 2)
            g.on_insert = false;
        if (variant == 3)
            g.on_update = false;
        const TableReport r = check_table(t);
        EXPECT_EQ(ids(r), (Ids{"AF007"})) << variant;
        EXPECT_EQ(r.trigger, TriggerState::Misconfigured) << variant;
    }
}

TEST(ScanRules, AF007TriggerNotNamedByEnableIsDroppedFirst) {
    Table t = compliant();
    t.triggers[0].name = "stamp_after";
    t.triggers[0].quoted_name = "stamp_after";
    t.triggers[0].before = false;
    const TableReport r = check_table(t);
    EXPECT_EQ(r.findings[0].remediation, "DROP TRIGGER IF EXISTS stamp_after ON public.users;\n"
                                         "SELECT audit_fields.enable('public.users');");
}

TEST(ScanRules, AF007UnparseableArguments) {
    Table t = compliant();
    t.triggers[0].args = {"stamp_mode=sometimes"};
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF007"}));
    EXPECT_FALSE(r.options_valid);
    EXPECT_EQ(r.findings[0].remediation.rfind("--", 0), 0u);
}

TEST(ScanRules, OneGoodTriggerOutweighsABrokenOne) {
    Table t = compliant();
    Trigger broken = stamp();
    broken.name = "old_stamp";
    broken.enabled = false;
    t.triggers.insert(t.triggers.begin(), broken);
    EXPECT_EQ(check_table(t).trigger, TriggerState::Enabled);
}

TEST(ScanRules, AF008NullableTimestampsWithoutEnforcement) {
    Table t = compliant();
    t.triggers.clear();
    t.columns[0].not_null = false;
    t.columns[1].not_null = false;
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF006", "AF008", "AF008"}));
    EXPECT_EQ(r.findings[1].column, "created_at");
    EXPECT_EQ(r.findings[2].column, "updated_at");
}

TEST(ScanRules, AF008NotRaisedWhenEnforcedOrForDeletedAt) {
    Table t = compliant();
    t.columns[0].not_null = false;
    EXPECT_TRUE(check_table(t).findings.empty()); // the trigger writes it
    Table u = compliant();
    u.triggers.clear();
    u.columns.push_back(col("deleted_at", "timestamp with time zone", 'D', false));
    u.columns.push_back(text_col("deleted_by"));
    u.columns.push_back(text_col("deleted_by_name"));
    EXPECT_EQ(ids(check_table(u)), (Ids{"AF006"})); // NULL deleted_at means "not deleted"
}

TEST(ScanRules, AF008WithDisabledTrigger) {
    Table t = compliant();
    t.triggers[0].enabled = false;
    t.columns[1].not_null = false;
    EXPECT_EQ(ids(check_table(t)), (Ids{"AF007", "AF008"}));
}

TEST(ScanRules, ColumnMapJudgesMappedNames) {
    Table t = compliant();
    t.columns[2].name = "created_by_email";
    t.columns[1].name = "modified";
    t.triggers[0].args = {"stamp_mode=force", "created_by=created_by_email", "updated_at=modified"};
    const TableReport r = check_table(t);
    EXPECT_TRUE(r.findings.empty()) << (r.findings.empty() ? "" : r.findings[0].message);
    EXPECT_EQ(r.options.column_name(AuditColumn::CreatedBy), "created_by_email");
}

TEST(ScanRules, ColumnMapMissingMappedColumnIsNamedBothWays) {
    Table t = compliant();
    drop_column(t, "updated_at");
    t.triggers[0].args = {"updated_at=modified"};
    const TableReport r = check_table(t);
    ASSERT_EQ(ids(r), (Ids{"AF001"}));
    EXPECT_NE(r.findings[0].message.find("\"modified\" (updated_at)"), std::string::npos);
    EXPECT_NE(r.findings[0].remediation.find("ADD COLUMN IF NOT EXISTS \"modified\" "),
              std::string::npos);
}

TEST(ScanRules, ColumnMapOfDisabledTriggerStillApplies) {
    Table t = compliant();
    t.columns[2].name = "author";
    t.triggers[0].args = {"created_by=author", "soft_delete=false"};
    t.triggers[0].enabled = false;
    const TableReport r = check_table(t);
    EXPECT_EQ(ids(r), (Ids{"AF007"}));
    EXPECT_EQ(r.findings[0].remediation,
              "SELECT audit_fields.enable('public.users', column_map => '{\"created_by\": "
              "\"author\"}');");
}

TEST(ScanRules, IgnoreMarkerSuppressesFindings) {
    Table t;
    t.schema = "public";
    t.name = "legacy";
    t.comment = "Imported once.\n@audit_fields:ignore read-only archive\nOwner: data team";
    const TableReport r = check_table(t);
    EXPECT_EQ(r.status, TableStatus::Ignored);
    EXPECT_EQ(r.ignore_reason, "read-only archive");
    EXPECT_TRUE(r.findings.empty());
    EXPECT_EQ(r.missing.size(), 6u); // still shown by the report view
}

TEST(ScanRules, RunScanSkipsPartitionsSystemSchemasAndExcluded) {
    Table part = compliant("orders_2024");
    part.is_partition = true;
    Table sys = compliant("pg_thing");
    sys.schema = "pg_catalog";
    Table ext = compliant("x");
    ext.schema = "audit_fields";
    Table tmp = compliant("tmp_import");
    Table b = compliant("b");
    b.schema = "app";
    Table a = compliant("a");
    a.schema = "app";
    a.triggers.clear();
    ScanOptions options;
    options.exclude = {"tmp_*"};
    const ScanResult r = run_scan({part, sys, ext, tmp, b, a, compliant("z")}, options);
    ASSERT_EQ(r.tables.size(), 3u);
    EXPECT_EQ(r.tables[0].table, "a");
    EXPECT_EQ(r.tables[1].table, "b");
    EXPECT_EQ(r.tables[2].table, "z");
    EXPECT_EQ(r.summary.tables, 3);
    EXPECT_EQ(r.summary.ok, 2);
    EXPECT_EQ(r.summary.error, 1);
    EXPECT_EQ(r.summary.errors, 1);
}

TEST(ScanRules, SeverityTable) {
    for (const char* id : {"AF001", "AF004", "AF006", "AF007"})
        EXPECT_EQ(severity_of(id), Severity::Error) << id;
    for (const char* id : {"AF002", "AF003", "AF005", "AF008"})
        EXPECT_EQ(severity_of(id), Severity::Warning) << id;
}

TEST(ScanRules, SystemSchemas) {
    EXPECT_TRUE(is_system_schema("pg_catalog"));
    EXPECT_TRUE(is_system_schema("pg_toast"));
    EXPECT_TRUE(is_system_schema("information_schema"));
    EXPECT_TRUE(is_system_schema("audit_fields"));
    EXPECT_FALSE(is_system_schema("public"));
    EXPECT_FALSE(is_system_schema("pgx"));
}
