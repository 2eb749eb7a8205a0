// Waivers in table comments: the grammar, what is honoured, and what the scan does with them.
#include "core/fix_sql.h"
#include "core/ignore_marker.h"
#include "core/scan_rules.h"

#include "scan_test_tables.h"

#include <gtest/gtest.h>

using namespace audit_fields;
using namespace audit_fields::scan;
using namespace audit_fields::scan::testing;
using Ids = std::vector<std::string>;

namespace {

const CivilDate kToday{2026, 6, 15};

ScanOptions on(const CivilDate& today) {
    ScanOptions o;
    o.today = today;
    return o;
}

Table plain(const std::string& comment) {
    Table t;
    t.schema = "app";
    t.name = "log";
    t.comment = comment;
    return t;
}

} // namespace

TEST(Waiver, ChecksUntilAndReason) {
    const auto w =
        parse_waivers("@audit_fields:ignore AF001,AF008 until 2027-03-31: append-only log");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].checks, (Ids{"AF001", "AF008"}));
    ASSERT_TRUE(w[0].until);
    EXPECT_EQ(w[0].until->iso(), "2027-03-31");
    EXPECT_EQ(w[0].reason, "append-only log");
    EXPECT_FALSE(w[0].whole_table());
    EXPECT_EQ(waiver_problem(w[0], kToday), WaiverProblem::None);
    EXPECT_TRUE(waiver_covers(w[0], "AF008"));
    EXPECT_FALSE(waiver_covers(w[0], "AF002"));
}

TEST(Waiver, SpellingVariants) {
    // Spaces after commas, no colon, no date, date without checks.
    auto w = parse_waivers("x @audit_fields:ignore AF001, AF002 cache table\nnext line");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].checks, (Ids{"AF001", "AF002"}));
    EXPECT_EQ(w[0].reason, "cache table");
    EXPECT_FALSE(w[0].until);
    w = parse_waivers("@audit_fields:ignore until 2030-01-01 frozen archive");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_TRUE(w[0].whole_table());
    EXPECT_EQ(w[0].until->iso(), "2030-01-01");
    EXPECT_EQ(w[0].reason, "frozen archive");
    // "until" followed by words is part of the reason, as in the plain form it always was.
    w = parse_waivers("@audit_fields:ignore until the import is rewritten");
    EXPECT_FALSE(w[0].until);
    EXPECT_EQ(w[0].reason, "until the import is rewritten");
    // Two markers on two lines.
    w = parse_waivers("@audit_fields:ignore AF005: legacy zone\n@audit_fields:ignore AF008: ok");
    ASSERT_EQ(w.size(), 2u);
    EXPECT_EQ(w[1].checks, (Ids{"AF008"}));
    EXPECT_EQ(w[1].reason, "ok");
}

TEST(Waiver, WhatIsNotHonoured) {
    auto problem = [](const char* comment) {
        const auto w = parse_waivers(comment);
        return w.empty() ? WaiverProblem::None : waiver_problem(w[0], kToday);
    };
    EXPECT_EQ(problem("@audit_fields:ignore AF001"), WaiverProblem::NoReason);
    EXPECT_EQ(problem("@audit_fields:ignore AF001 until 2027-01-01:"), WaiverProblem::NoReason);
    EXPECT_EQ(problem("@audit_fields:ignore"), WaiverProblem::NoReason);
    EXPECT_EQ(problem("@audit_fields:ignore AF001 until 2026-06-14: log"), WaiverProblem::Expired);
    // The end date itself is still honoured.
    EXPECT_EQ(problem("@audit_fields:ignore AF001 until 2026-06-15: log"), WaiverProblem::None);
    EXPECT_EQ(problem("@audit_fields:ignore AF001,AF099: log"), WaiverProblem::UnknownCheck);
    EXPECT_EQ(problem("@audit_fields:ignore AF001 until 2027-02-30: log"), WaiverProblem::BadDate);
    EXPECT_EQ(problem("@audit_fields:ignore AF001 until 31/12/2027: log"), WaiverProblem::BadDate);
    const auto w = parse_waivers("@audit_fields:ignore AF001,AF099: log");
    EXPECT_EQ(describe(w[0], WaiverProblem::UnknownCheck), "names unknown check AF099");
}

TEST(Waiver, PlainDataVerdictForTheSqlSide) {
    const std::string comment = "Sessions. @audit_fields:ignore  short-lived sessions \n";
    WaiverVerdict v = waiver_verdict(comment.data(), comment.size(), 2026, 6, 15);
    EXPECT_TRUE(v.marked);
    EXPECT_TRUE(v.ignores_table);
    EXPECT_FALSE(v.has_invalid);
    EXPECT_EQ(comment.substr(v.reason_offset, v.reason_length), "short-lived sessions");

    const std::string checks = "@audit_fields:ignore AF001,AF008 until 2027-03-31: log\n"
                               "@audit_fields:ignore AF002 until 2020-01-01: expired";
    v = waiver_verdict(checks.data(), checks.size(), 2026, 6, 15);
    EXPECT_TRUE(v.marked);
    EXPECT_FALSE(v.ignores_table);
    EXPECT_TRUE(v.has_invalid);
    EXPECT_EQ(v.waived_checks, (1u << 1) | (1u << 8));

    v = waiver_verdict(nullptr, 0, 2026, 6, 15);
    EXPECT_FALSE(v.marked);
    const std::string no_reason = "@audit_fields:ignore";
    v = waiver_verdict(no_reason.data(), no_reason.size(), 2026, 6, 15);
    EXPECT_TRUE(v.marked);
    EXPECT_FALSE(v.ignores_table);
    EXPECT_TRUE(v.has_invalid);
}

TEST(Waiver, PerCheckWaiverKeepsTheOtherChecks) {
    const TableReport r = check_table(
        plain("@audit_fields:ignore AF001 until 2027-03-31: append-only log"), on(kToday));
    EXPECT_EQ(r.status, TableStatus::Warning); // AF002 stays
    EXPECT_EQ(ids(r), (Ids{"AF002"}));
    ASSERT_EQ(r.waived.size(), 1u);
    EXPECT_EQ(r.waived[0].check_id, "AF001");
    EXPECT_EQ(r.waived[0].waiver, "append-only log");
    ASSERT_EQ(r.waivers.size(), 1u);
    EXPECT_TRUE(r.waivers[0].honoured);
}

TEST(Waiver, ExpiredWaiverRaisesAF010AndWaivesNothing) {
    const std::string comment = "@audit_fields:ignore AF001,AF002 until 2026-01-31: log";
    TableReport r = check_table(plain(comment), on(kToday));
    EXPECT_EQ(ids(r), (Ids{"AF001", "AF002", "AF010"}));
    EXPECT_EQ(r.findings[2].message,
              "waiver \"" + comment + "\" expired on 2026-01-31: it waives nothing");
    EXPECT_TRUE(r.waived.empty());
    // The day before it ended, the same waiver works.
    r = check_table(plain(comment), on(CivilDate{2026, 1, 31}));
    EXPECT_TRUE(r.findings.empty());
    EXPECT_EQ(r.waived.size(), 2u);
    EXPECT_EQ(r.status, TableStatus::Ok);
}

TEST(Waiver, WholeTableWaiverNeedsAReason) {
    TableReport r = check_table(plain("@audit_fields:ignore"), on(kToday));
    EXPECT_NE(r.status, TableStatus::Ignored);
    EXPECT_EQ(ids(r), (Ids{"AF001", "AF002", "AF010"}));
    r = check_table(plain("@audit_fields:ignore cache, rebuilt hourly"), on(kToday));
    EXPECT_EQ(r.status, TableStatus::Ignored);
    EXPECT_EQ(r.ignore_reason, "cache, rebuilt hourly");
    EXPECT_TRUE(r.findings.empty());
    // A whole-table waiver with an end date ends too.
    r = check_table(plain("@audit_fields:ignore until 2026-01-01: migration window"), on(kToday));
    EXPECT_EQ(ids(r), (Ids{"AF001", "AF002", "AF010"}));
}

TEST(Waiver, UnknownCheckIsReported) {
    const TableReport r = check_table(plain("@audit_fields:ignore AF001,AF100: log"), on(kToday));
    EXPECT_EQ(ids(r), (Ids{"AF001", "AF002", "AF010"}));
    EXPECT_NE(r.findings[2].message.find("names unknown check AF100"), std::string::npos);
}

TEST(Waiver, WaivedColumnsAreNotMissingAndNotAdded) {
    Table t = compliant("actor");
    t.triggers.clear();
    drop_column(t, "updated_at");
    t.comment = "@audit_fields:ignore AF001: actors are never renamed, only created";
    const TableReport r = check_table(t, on(kToday));
    EXPECT_EQ(ids(r), (Ids{"AF006"}));
    EXPECT_TRUE(r.missing.empty());
    EXPECT_EQ(fix_table(r).find("ADD COLUMN"), std::string::npos) << fix_table(r);
}
