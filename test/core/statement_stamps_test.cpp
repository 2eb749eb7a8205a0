// plan_statement_stamps(): what planner stamping writes for a whole statement, and when it must
// leave the statement to the trigger. Each expectation follows from the decision table
// (stamp_rules.h); the last tests check the planned values against decide() row by row.
#include "core/statement_stamps.h"

#include <gtest/gtest.h>

using namespace audit_fields;

namespace {

using C = AuditColumn;

bool trigger_changes_nothing(const StampPolicy& policy, const StatementShape& shape) {
    const StatementStamps stamps = plan_statement_stamps(policy, shape);
    return stamps.planned && stamps.writes_nothing();
}
using V = StatementValue;
using P = PlannedValue;

StampPolicy policy(StampMode mode = StampMode::Force) {
    StampPolicy p;
    p.mode = mode;
    return p;
}

// Every column present, holding `value`.
StatementShape shape(RowEvent event, V value) {
    StatementShape s;
    s.event = event;
    s.columns.fill(value);
    return s;
}

TEST(StatementStamps, ForcedInsertStampsCreatedAndUpdated) {
    const StatementStamps st = plan_statement_stamps(policy(), shape(RowEvent::Insert, V::Null));
    ASSERT_TRUE(st.planned);
    EXPECT_EQ(st.value(C::CreatedAt), P::Clock);
    EXPECT_EQ(st.value(C::UpdatedAt), P::Clock);
    EXPECT_EQ(st.value(C::CreatedBy), P::Actor);
    EXPECT_EQ(st.value(C::UpdatedByName), P::ActorName);
    // a live row (deleted_at NULL) names no deleter: NULL already is what the trigger leaves
    EXPECT_EQ(st.value(C::DeletedAt), P::Statement);
    EXPECT_EQ(st.value(C::DeletedBy), P::Statement);
}

TEST(StatementStamps, ForcedInsertOverridesWhateverTheClientSends) {
    StatementShape s = shape(RowEvent::Insert, V::Unknown);
    s[C::DeletedAt] = V::Null;
    s[C::DeletedBy] = V::Unknown; // a forged deleter on a live row is cleared
    const StatementStamps st = plan_statement_stamps(policy(), s);
    ASSERT_TRUE(st.planned);
    EXPECT_EQ(st.value(C::CreatedBy), P::Actor);
    EXPECT_EQ(st.value(C::DeletedBy), P::Null);
}

TEST(StatementStamps, InsertWithUnknownDeletedAtIsLeftToTheTrigger) {
    StatementShape s = shape(RowEvent::Insert, V::Null);
    s[C::DeletedAt] = V::Unknown; // deleted_by depends on whether the row arrives deleted
    EXPECT_FALSE(plan_statement_stamps(policy(), s).planned);
    s[C::DeletedBy] = V::Absent;
    s[C::DeletedByName] = V::Absent;
    EXPECT_TRUE(plan_statement_stamps(policy(), s).planned);
}

TEST(StatementStamps, FillKeepsClientValuesOnlyWhereKnown) {
    StatementShape s = shape(RowEvent::Insert, V::Null);
    s[C::CreatedBy] = V::NotNull; // a constant: kept
    StatementStamps st = plan_statement_stamps(policy(StampMode::Fill), s);
    ASSERT_TRUE(st.planned);
    EXPECT_EQ(st.value(C::CreatedBy), P::Statement);
    EXPECT_EQ(st.value(C::UpdatedBy), P::Actor);
    s[C::CreatedBy] = V::Unknown; // a parameter that may be NULL: only the trigger can tell
    EXPECT_FALSE(plan_statement_stamps(policy(StampMode::Fill), s).planned);
    // force does not care what the client sent
    EXPECT_TRUE(plan_statement_stamps(policy(), s).planned);
}

TEST(StatementStamps, UpdateNotTouchingAuditColumnsStampsUpdated) {
    const StatementStamps st = plan_statement_stamps(policy(), shape(RowEvent::Update, V::Old));
    ASSERT_TRUE(st.planned);
    EXPECT_EQ(st.value(C::UpdatedAt), P::Clock);
    EXPECT_EQ(st.value(C::UpdatedBy), P::Actor);
    EXPECT_EQ(st.value(C::UpdatedByName), P::ActorName);
    EXPECT_EQ(st.value(C::CreatedAt), P::Statement);
    EXPECT_EQ(st.value(C::DeletedBy), P::Statement);
}

TEST(StatementStamps, UpdateOfCreatedIsRestoredOrRejected) {
    StatementShape s = shape(RowEvent::Update, V::Old);
    s[C::CreatedBy] = V::Unknown; // Django re-sends every column
    StatementStamps st = plan_statement_stamps(policy(), s);
    ASSERT_TRUE(st.planned);
    EXPECT_EQ(st.value(C::CreatedBy), P::Old);
    StampPolicy reject = policy();
    reject.on_created_change = CreatedChange::Reject;
    EXPECT_FALSE(plan_statement_stamps(reject, s).planned); // some rows raise: the trigger's job
}

TEST(StatementStamps, SoftDeleteByUpdateIsLeftToTheTrigger) {
    StatementShape s = shape(RowEvent::Update, V::Old);
    s[C::DeletedAt] = V::NotNull; // live rows become deleted, deleted rows stay: row by row
    EXPECT_FALSE(plan_statement_stamps(policy(), s).planned);
}

TEST(StatementStamps, ThePlannedValuesAreTheStatementsOwnForTheProof) {
    StatementShape s = shape(RowEvent::Insert, V::Null);
    const StatementStamps st = plan_statement_stamps(policy(), s);
    ASSERT_TRUE(st.planned);
    EXPECT_FALSE(st.writes_nothing());
    for (C c : kAllAuditColumns) {
        switch (st.value(c)) {
        case P::Clock:
            s[c] = V::Clock;
            break;
        case P::Actor:
            s[c] = V::Actor;
            break;
        case P::ActorName:
            s[c] = V::ActorName;
            break;
        default:
            break;
        }
    }
    EXPECT_TRUE(trigger_changes_nothing(policy(), s));
    s[C::UpdatedBy] = V::Unknown; // one stamp missing from the plan: the trigger must run
    EXPECT_FALSE(trigger_changes_nothing(policy(), s));
    s[C::UpdatedBy] = V::Clock; // the wrong kind of value
    EXPECT_FALSE(trigger_changes_nothing(policy(), s));
}

TEST(StatementStamps, TooManyUnknownsAreLeftToTheTrigger) {
    // An UPDATE assigning every audit column from parameters: 5^9 rows to ask about.
    EXPECT_FALSE(plan_statement_stamps(policy(), shape(RowEvent::Update, V::Unknown)).planned);
}

TEST(StatementStamps, DeleteIsNeverPlanned) {
    EXPECT_FALSE(plan_statement_stamps(policy(), shape(RowEvent::Delete, V::Old)).planned);
}

// Every INSERT shape over three values per column of a four-column table, in all modes: where a
// plan is found, each row the shape allows gets from decide() exactly what the plan writes.
TEST(StatementStamps, AgreesWithDecideOnEveryInsertRow) {
    const C cols[] = {C::CreatedAt, C::CreatedBy, C::DeletedAt, C::DeletedBy};
    const V values[] = {V::Null, V::NotNull, V::Unknown};
    int planned = 0;
    for (StampMode mode : {StampMode::Force, StampMode::Fill, StampMode::FillOnInsert}) {
        for (int code = 0; code < 81; ++code) {
            StatementShape s;
            s.event = RowEvent::Insert;
            s.columns.fill(V::Absent);
            int rest = code;
            for (C c : cols) {
                s[c] = values[rest % 3];
                rest /= 3;
            }
            const StatementStamps st = plan_statement_stamps(policy(mode), s);
            if (!st.planned)
                continue;
            ++planned;
            // Each concrete row: NULL-ness of every Unknown column chosen both ways.
            for (int nulls = 0; nulls < 16; ++nulls) {
                RowFacts row;
                row.event = RowEvent::Insert;
                bool consistent = true;
                for (int i = 0; i < 4; ++i) {
                    const bool is_null = (nulls >> i) & 1;
                    const V v = s[cols[i]];
                    consistent =
                        consistent && !(v == V::Null && !is_null) && !(v == V::NotNull && is_null);
                    row[cols[i]].present = true;
                    row[cols[i]].new_null = is_null;
                }
                if (!consistent)
                    continue;
                const StampDecision d = decide(policy(mode), row);
                ASSERT_EQ(d.outcome, Outcome::WriteRow);
                for (C c : cols) {
                    const Action a = d.action(c);
                    const P p = st.value(c);
                    const bool agrees =
                        (a == Action::Keep &&
                         (p == P::Statement || (p == P::Null && row[c].new_null))) ||
                        (a == Action::SetClock && p == P::Clock) ||
                        (a == Action::SetActor && p == P::Actor) ||
                        (a == Action::SetNull &&
                         (p == P::Null || (p == P::Statement && row[c].new_null)));
                    EXPECT_TRUE(agrees) << "mode " << static_cast<int>(mode) << " shape " << code
                                        << " nulls " << nulls << " column " << index_of(c);
                }
            }
        }
    }
    EXPECT_GT(planned, 50);
}

} // namespace
