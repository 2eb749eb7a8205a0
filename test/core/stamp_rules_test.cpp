// The decision table of SPEC.md "What the trigger guarantees", row by row, in both stamp modes.
// decide() is pure, so every rule is checked here without a server; sql/stamp_*.sql checks the
// same rules end to end.
#include "core/stamp_rules.h"

#include <gtest/gtest.h>

#include <initializer_list>

using namespace audit_fields;

namespace {

using C = AuditColumn;

constexpr C kCreated[] = {C::CreatedAt, C::CreatedBy, C::CreatedByName};
constexpr C kUpdated[] = {C::UpdatedAt, C::UpdatedBy, C::UpdatedByName};
constexpr C kDeletedBy[] = {C::DeletedBy, C::DeletedByName};

StampPolicy force() {
    return StampPolicy{};
}

StampPolicy fill() {
    StampPolicy p;
    p.mode = StampMode::Fill;
    return p;
}

StampPolicy reject(StampMode mode = StampMode::Force) {
    StampPolicy p;
    p.mode = mode;
    p.on_created_change = CreatedChange::Reject;
    return p;
}

StampPolicy soft(StampMode mode = StampMode::Force) {
    StampPolicy p;
    p.mode = mode;
    p.soft_delete = true;
    return p;
}

// A row of a table with all nine columns, every value non-NULL and unchanged.
RowFacts full_row(RowEvent event) {
    RowFacts row;
    row.event = event;
    for (C c : kAllAuditColumns)
        row[c].present = true;
    return row;
}

// An INSERT in which the client sent nothing: every audit column NULL; deleted_at NULL.
RowFacts bare_insert() {
    RowFacts row = full_row(RowEvent::Insert);
    for (C c : kAllAuditColumns)
        row[c].new_null = true;
    return row;
}

// An UPDATE of a live row that touched no audit column.
RowFacts live_update() {
    RowFacts row = full_row(RowEvent::Update);
    for (C c : {C::DeletedAt, C::DeletedBy, C::DeletedByName})
        row[c].new_null = row[c].old_null = true;
    return row;
}

// An UPDATE of a soft-deleted row that touched no audit column.
RowFacts deleted_update() {
    return full_row(RowEvent::Update);
}

void set_to_null(RowFacts& row, C c) {
    row[c].new_null = true;
    row[c].changed = !row[c].old_null;
}

void set_value(RowFacts& row, C c) {
    row[c].new_null = false;
    row[c].changed = true;
}

Action expected_stamp(C c) {
    switch (kind_of(c)) {
    case ColumnKind::Timestamp:
        return Action::SetClock;
    case ColumnKind::Actor:
        return Action::SetActor;
    case ColumnKind::ActorName:
        return Action::SetActorName;
    }
    return Action::Keep;
}

void expect_stamped(const StampDecision& d, std::initializer_list<C> columns) {
    for (C c : columns)
        EXPECT_EQ(d.action(c), expected_stamp(c)) << default_name(c);
}

template <std::size_t N> void expect_stamped(const StampDecision& d, const C (&columns)[N]) {
    for (C c : columns)
        EXPECT_EQ(d.action(c), expected_stamp(c)) << default_name(c);
}

template <std::size_t N>
void expect_action(const StampDecision& d, const C (&columns)[N], Action a) {
    for (C c : columns)
        EXPECT_EQ(d.action(c), a) << default_name(c);
}

void expect_action(const StampDecision& d, std::initializer_list<C> columns, Action a) {
    for (C c : columns)
        EXPECT_EQ(d.action(c), a) << default_name(c);
}

} // namespace

// --- INSERT ---------------------------------------------------------------------------------

TEST(StampRulesInsert, ForceStampsCreatedAndUpdatedWhateverTheClientSent) {
    for (bool client_sent : {false, true}) {
        RowFacts row = bare_insert();
        if (client_sent)
            for (C c : kCreated)
                row[c].new_null = false;
        const StampDecision d = decide(force(), row);
        EXPECT_EQ(d.outcome, Outcome::WriteRow);
        expect_stamped(d, kCreated);
        expect_stamped(d, kUpdated);
        EXPECT_EQ(d.action(C::DeletedAt), Action::Keep);
        expect_action(d, kDeletedBy, Action::Keep); // already NULL
        EXPECT_TRUE(d.needs_actor());
        EXPECT_TRUE(d.modifies_row());
    }
}

TEST(StampRulesInsert, ForceClearsDeleterOfALiveRow) {
    RowFacts row = bare_insert();
    row[C::DeletedBy].new_null = false;
    row[C::DeletedByName].new_null = false;
    const StampDecision d = decide(force(), row);
    expect_action(d, kDeletedBy, Action::SetNull);
    EXPECT_EQ(d.action(C::DeletedAt), Action::Keep);
}

TEST(StampRulesInsert, FillKeepsNonNullClientValues) {
    RowFacts row = bare_insert();
    for (C c : {C::CreatedAt, C::CreatedBy, C::UpdatedByName})
        row[c].new_null = false;
    const StampDecision d = decide(fill(), row);
    expect_action(d, {C::CreatedAt, C::CreatedBy, C::UpdatedByName}, Action::Keep);
    expect_stamped(d, {C::CreatedByName, C::UpdatedAt, C::UpdatedBy});
}

TEST(StampRulesInsert, FillWithEveryColumnSuppliedNeedsNoActor) {
    RowFacts row = full_row(RowEvent::Insert);
    row[C::DeletedAt].new_null = true;
    const StampDecision d = decide(fill(), row);
    EXPECT_FALSE(d.needs_actor());
    EXPECT_FALSE(d.modifies_row());
    // a live row's deleter, sent by the client, is the client's business in fill mode
    expect_action(d, kDeletedBy, Action::Keep);
}

TEST(StampRulesInsert, InsertedAsDeletedNamesTheDeleter) {
    for (StampPolicy policy : {force(), fill()}) {
        RowFacts row = bare_insert();
        row[C::DeletedAt].new_null = false;
        const StampDecision d = decide(policy, row);
        EXPECT_EQ(d.action(C::DeletedAt), Action::Keep) << to_string(policy.mode);
        expect_stamped(d, kDeletedBy);
    }
    // force overwrites a client-sent deleter, fill keeps it
    RowFacts row = bare_insert();
    row[C::DeletedAt].new_null = false;
    row[C::DeletedBy].new_null = false;
    EXPECT_EQ(decide(force(), row).action(C::DeletedBy), Action::SetActor);
    EXPECT_EQ(decide(fill(), row).action(C::DeletedBy), Action::Keep);
    EXPECT_EQ(decide(fill(), row).action(C::DeletedByName), Action::SetActorName);
}

TEST(StampRulesInsert, OnlyPresentColumnsAreTouched) {
    RowFacts row;
    row.event = RowEvent::Insert;
    row[C::UpdatedAt].present = true;
    row[C::UpdatedAt].new_null = true;
    const StampDecision d = decide(force(), row);
    for (C c : kAllAuditColumns)
        EXPECT_EQ(d.action(c), c == C::UpdatedAt ? Action::SetClock : Action::Keep)
            << default_name(c);
    EXPECT_FALSE(d.needs_actor()); // no actor column: no actor needed
}

TEST(StampRulesInsert, DeleterWithoutDeletedAtIsLeftAlone) {
    RowFacts row = bare_insert();
    row[C::DeletedAt].present = false;
    row[C::DeletedBy].new_null = false;
    const StampDecision d = decide(force(), row);
    EXPECT_EQ(d.action(C::DeletedBy), Action::Keep);
}

// --- UPDATE ---------------------------------------------------------------------------------

TEST(StampRulesUpdate, ForceStampsUpdatedAndKeepsCreated) {
    const StampDecision d = decide(force(), live_update());
    EXPECT_EQ(d.outcome, Outcome::WriteRow);
    expect_stamped(d, kUpdated);
    expect_action(d, kCreated, Action::Keep);
    expect_action(d, {C::DeletedAt, C::DeletedBy, C::DeletedByName}, Action::Keep);
    EXPECT_TRUE(d.needs_actor());
}

TEST(StampRulesUpdate, ForceOverwritesClientUpdatedValues) {
    RowFacts row = live_update();
    for (C c : kUpdated)
        set_value(row, c);
    expect_stamped(decide(force(), row), kUpdated);
}

TEST(StampRulesUpdate, ChangedCreatedIsRestoredToOld) {
    for (StampPolicy policy : {force(), fill()}) {
        RowFacts row = live_update();
        set_value(row, C::CreatedAt);
        set_to_null(row, C::CreatedBy);
        const StampDecision d = decide(policy, row);
        EXPECT_EQ(d.outcome, Outcome::WriteRow);
        EXPECT_EQ(d.action(C::CreatedAt), Action::RestoreOld) << to_string(policy.mode);
        EXPECT_EQ(d.action(C::CreatedBy), Action::RestoreOld) << to_string(policy.mode);
        EXPECT_EQ(d.action(C::CreatedByName), Action::Keep);
    }
}

TEST(StampRulesUpdate, ChangedCreatedIsRejectedWhenConfigured) {
    for (C c : kCreated) {
        for (StampMode mode : {StampMode::Force, StampMode::Fill}) {
            RowFacts row = live_update();
            set_value(row, c);
            const StampDecision d = decide(reject(mode), row);
            EXPECT_EQ(d.outcome, Outcome::RejectCreatedChange) << default_name(c);
            EXPECT_EQ(d.rejected_column, c);
            EXPECT_FALSE(d.modifies_row());
            EXPECT_FALSE(d.needs_actor());
        }
    }
    // unchanged created_* is no reason to reject
    EXPECT_EQ(decide(reject(), live_update()).outcome, Outcome::WriteRow);
}

TEST(StampRulesUpdate, NullCreatedInOld) {
    RowFacts row = live_update();
    row[C::CreatedBy].old_null = true;
    set_value(row, C::CreatedBy);
    // force: created_* never changes after INSERT, not even from NULL
    EXPECT_EQ(decide(force(), row).action(C::CreatedBy), Action::RestoreOld);
    EXPECT_EQ(decide(reject(), row).outcome, Outcome::RejectCreatedChange);
    // fill: a value that was never set may be filled by the client, also under reject
    EXPECT_EQ(decide(fill(), row).action(C::CreatedBy), Action::Keep);
    EXPECT_EQ(decide(reject(StampMode::Fill), row).outcome, Outcome::WriteRow);
}

TEST(StampRulesUpdate, FillStampsUpdatedOnlyWhereTheClientLeftIt) {
    RowFacts row = live_update();
    set_value(row, C::UpdatedAt);
    set_to_null(row, C::UpdatedByName);
    const StampDecision d = decide(fill(), row);
    EXPECT_EQ(d.action(C::UpdatedAt), Action::Keep);             // client's value
    EXPECT_EQ(d.action(C::UpdatedBy), Action::SetActor);         // unchanged
    EXPECT_EQ(d.action(C::UpdatedByName), Action::SetActorName); // set to NULL = missing
}

TEST(StampRulesUpdate, LiveRowKeepsNoDeleter) {
    RowFacts row = live_update();
    set_value(row, C::DeletedBy);
    EXPECT_EQ(decide(force(), row).action(C::DeletedBy), Action::RestoreOld);
    EXPECT_EQ(decide(fill(), row).action(C::DeletedBy), Action::Keep);
}

TEST(StampRulesUpdate, SoftDeleteByUpdate) {
    RowFacts row = live_update();
    set_value(row, C::DeletedAt);
    {
        const StampDecision d = decide(force(), row);
        EXPECT_EQ(d.action(C::DeletedAt), Action::SetClock);
        expect_stamped(d, kDeletedBy);
        expect_stamped(d, kUpdated);
    }
    {
        const StampDecision d = decide(fill(), row);
        EXPECT_EQ(d.action(C::DeletedAt), Action::Keep);
        expect_stamped(d, kDeletedBy);
    }
    set_value(row, C::DeletedBy); // client names a deleter
    EXPECT_EQ(decide(force(), row).action(C::DeletedBy), Action::SetActor);
    EXPECT_EQ(decide(fill(), row).action(C::DeletedBy), Action::Keep);
}

TEST(StampRulesUpdate, RestoreClearsTheDeleter) {
    for (StampPolicy policy : {force(), fill()}) {
        RowFacts row = deleted_update();
        set_to_null(row, C::DeletedAt);
        const StampDecision d = decide(policy, row);
        EXPECT_EQ(d.action(C::DeletedAt), Action::Keep) << to_string(policy.mode);
        expect_action(d, kDeletedBy, Action::SetNull);
        expect_stamped(d, {C::UpdatedAt, C::UpdatedBy, C::UpdatedByName});
    }
}

TEST(StampRulesUpdate, AlreadyDeletedRowKeepsItsDeletion) {
    for (StampPolicy policy : {force(), fill()}) {
        RowFacts row = deleted_update();
        set_value(row, C::DeletedAt);
        set_value(row, C::DeletedBy);
        set_to_null(row, C::DeletedByName);
        const StampDecision d = decide(policy, row);
        expect_action(d, {C::DeletedAt, C::DeletedBy, C::DeletedByName}, Action::RestoreOld);
        expect_stamped(d, kUpdated);
    }
    // untouched deletion columns stay as they are
    const StampDecision d = decide(force(), deleted_update());
    expect_action(d, {C::DeletedAt, C::DeletedBy, C::DeletedByName}, Action::Keep);
}

// --- DELETE ---------------------------------------------------------------------------------

TEST(StampRulesDelete, WithoutSoftDeleteTheRowGoes) {
    RowFacts row = full_row(RowEvent::Delete);
    row[C::DeletedAt].new_null = true;
    EXPECT_EQ(decide(force(), row).outcome, Outcome::AllowDelete);
    EXPECT_EQ(decide(fill(), row).outcome, Outcome::AllowDelete);
}

TEST(StampRulesDelete, SoftDeleteOfALiveRow) {
    for (StampMode mode : {StampMode::Force, StampMode::Fill}) {
        RowFacts row = full_row(RowEvent::Delete);
        row[C::DeletedAt].new_null = true;
        const StampDecision d = decide(soft(mode), row);
        EXPECT_EQ(d.outcome, Outcome::SoftDelete);
        EXPECT_FALSE(d.modifies_row()); // the UPDATE it becomes does the stamping
        EXPECT_FALSE(d.needs_actor());
    }
}

TEST(StampRulesDelete, DeletingASoftDeletedRowChangesNothing) {
    RowFacts row = full_row(RowEvent::Delete);
    EXPECT_EQ(decide(soft(), row).outcome, Outcome::SkipDelete);
    EXPECT_EQ(decide(soft(StampMode::Fill), row).outcome, Outcome::SkipDelete);
}

TEST(StampRulesDelete, SoftDeleteWithoutDeletedAtIsRefusedNotHardDeleted) {
    RowFacts row = full_row(RowEvent::Delete);
    row[C::DeletedAt].present = false;
    EXPECT_EQ(decide(soft(), row).outcome, Outcome::RejectDelete);
    EXPECT_EQ(decide(force(), row).outcome, Outcome::AllowDelete);
}

// --- StampDecision helpers ------------------------------------------------------------------

TEST(StampDecision, NeedsActorOnlyForActorActions) {
    StampDecision d;
    EXPECT_FALSE(d.needs_actor());
    EXPECT_FALSE(d.modifies_row());
    d.actions[index_of(C::UpdatedAt)] = Action::SetClock;
    EXPECT_FALSE(d.needs_actor());
    EXPECT_TRUE(d.modifies_row());
    d.actions[index_of(C::DeletedByName)] = Action::SetActorName;
    EXPECT_TRUE(d.needs_actor());
    d.outcome = Outcome::SkipDelete;
    EXPECT_FALSE(d.needs_actor());
    EXPECT_FALSE(d.modifies_row());
}

// Exhaustive: for every combination of NULL/changed facts on a full table, decide() never stamps
// a created_* column on UPDATE, never touches an absent column and never asks for an actor it
// will not write.
TEST(StampRulesProperties, InvariantsOverAllUpdateFacts) {
    for (StampPolicy policy : {force(), fill(), reject(), reject(StampMode::Fill)}) {
        for (unsigned bits = 0; bits < (1u << 9); ++bits) {
            RowFacts row = live_update();
            for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
                if (bits & (1u << i)) {
                    row.columns[i].changed = true;
                    row.columns[i].new_null = !row.columns[i].old_null;
                }
            }
            const StampDecision d = decide(policy, row);
            for (C c : kCreated) {
                EXPECT_NE(d.action(c), Action::SetClock);
                EXPECT_NE(d.action(c), Action::SetActor);
                EXPECT_NE(d.action(c), Action::SetActorName);
            }
            if (d.outcome == Outcome::WriteRow && policy.mode == StampMode::Force)
                expect_stamped(d, kUpdated);
            bool writes_actor = false;
            for (Action a : d.actions)
                writes_actor |= a == Action::SetActor || a == Action::SetActorName;
            EXPECT_EQ(d.needs_actor(), writes_actor && d.outcome == Outcome::WriteRow);
        }
    }
}

TEST(StampRulesProperties, AbsentColumnsAreNeverTouched) {
    for (RowEvent event : {RowEvent::Insert, RowEvent::Update}) {
        for (unsigned present = 0; present < (1u << 9); ++present) {
            RowFacts row = event == RowEvent::Insert ? bare_insert() : live_update();
            for (std::size_t i = 0; i < kAuditColumnCount; ++i)
                row.columns[i].present = (present & (1u << i)) != 0;
            const StampDecision d = decide(force(), row);
            for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
                if (!row.columns[i].present) {
                    EXPECT_EQ(d.actions[i], Action::Keep);
                }
            }
        }
    }
}

// --- fill_on_insert ---------------------------------------------------------------------------

namespace {

StampPolicy fill_on_insert(StampPolicy p = StampPolicy{}) {
    p.mode = StampMode::FillOnInsert;
    return p;
}

// Every UPDATE fact combination of the full row: each column NULL or not in OLD and NEW, and
// changed or not where both are non-NULL (the facts the trigger can observe).
template <typename Check> void for_each_update(Check check) {
    const std::size_t per_column = 5; // (old, new) in {NN,NV,VN,VV same,VV changed}
    std::size_t total = 1;
    for (std::size_t i = 0; i < kAuditColumnCount; ++i)
        total *= per_column;
    for (std::size_t n = 0; n < total; n += 97) { // a spread sample, every column exercised
        RowFacts row = full_row(RowEvent::Update);
        std::size_t rest = n;
        for (C c : kAllAuditColumns) {
            const std::size_t k = rest % per_column;
            rest /= per_column;
            ColumnFacts& f = row[c];
            f.old_null = k == 0 || k == 1;
            f.new_null = k == 0 || k == 2;
            f.changed = f.old_null != f.new_null || k == 4;
        }
        check(row);
    }
}

} // namespace

TEST(StampRulesFillOnInsert, InsertKeepsClientValuesLikeFill) {
    RowFacts row = bare_insert();
    for (C c : {C::CreatedAt, C::CreatedBy, C::UpdatedAt})
        row[c].new_null = false; // an import with its historical values
    const StampDecision d = decide(fill_on_insert(), row);
    EXPECT_EQ(d.outcome, Outcome::WriteRow);
    expect_action(d, {C::CreatedAt, C::CreatedBy, C::UpdatedAt}, Action::Keep);
    expect_stamped(d, {C::CreatedByName, C::UpdatedBy, C::UpdatedByName});
    EXPECT_EQ(d.actions, decide(fill(), row).actions);
}

TEST(StampRulesFillOnInsert, UpdateOverwritesAStaleEditorLikeForce) {
    // Django's save() re-sends every column: updated_by carries the previous editor, changed.
    RowFacts row = live_update();
    set_value(row, C::UpdatedBy);
    set_value(row, C::UpdatedAt);
    const StampDecision d = decide(fill_on_insert(), row);
    EXPECT_EQ(d.outcome, Outcome::WriteRow);
    expect_stamped(d, kUpdated);
    // fill would have kept the client's (wrong) editor
    EXPECT_EQ(decide(fill(), row).action(C::UpdatedBy), Action::Keep);
}

TEST(StampRulesFillOnInsert, UpdateRestoresCreatedEvenWhereOldWasNull) {
    // fill may fill a created_* that was NULL; fill_on_insert updates as force and restores.
    RowFacts row = live_update();
    row[C::CreatedBy].old_null = true;
    set_value(row, C::CreatedBy);
    EXPECT_EQ(decide(fill_on_insert(), row).action(C::CreatedBy), Action::RestoreOld);
    EXPECT_EQ(decide(fill(), row).action(C::CreatedBy), Action::Keep);
}

TEST(StampRulesFillOnInsert, EqualsFillForInsertsAndForceForEverythingElse) {
    for (bool reject_created : {false, true})
        for (bool soft_delete : {false, true}) {
            StampPolicy base;
            base.on_created_change =
                reject_created ? CreatedChange::Reject : CreatedChange::Restore;
            base.soft_delete = soft_delete;
            StampPolicy as_fill = base, as_force = base;
            as_fill.mode = StampMode::Fill;
            as_force.mode = StampMode::Force;
            for (unsigned mask = 0; mask < (1u << kAuditColumnCount); ++mask) {
                RowFacts row = bare_insert();
                for (C c : kAllAuditColumns)
                    row[c].new_null = (mask >> index_of(c)) & 1;
                const StampDecision d = decide(fill_on_insert(base), row);
                const StampDecision e = decide(as_fill, row);
                ASSERT_EQ(d.outcome, e.outcome);
                ASSERT_EQ(d.actions, e.actions) << "insert mask " << mask;
            }
            for_each_update([&](const RowFacts& row) {
                const StampDecision d = decide(fill_on_insert(base), row);
                const StampDecision e = decide(as_force, row);
                ASSERT_EQ(d.outcome, e.outcome);
                ASSERT_EQ(d.actions, e.actions);
            });
            for (bool deleted : {false, true}) {
                RowFacts row = full_row(RowEvent::Delete);
                row[C::DeletedAt].new_null = !deleted;
                EXPECT_EQ(decide(fill_on_insert(base), row).outcome, decide(as_force, row).outcome);
            }
        }
}

// --- DELETE through a foreign key's ON DELETE CASCADE -------------------------------------

TEST(StampRulesDelete, CascadedDeleteIntoASoftDeleteTableIsRefused) {
    for (StampMode mode : {StampMode::Force, StampMode::Fill, StampMode::FillOnInsert})
        for (bool already_deleted : {false, true}) {
            RowFacts row = full_row(RowEvent::Delete);
            row[C::DeletedAt].new_null = !already_deleted;
            row.foreign_key_cascade = true;
            // a soft-deleted child would still point at the vanished parent: refused as well
            EXPECT_EQ(decide(soft(mode), row).outcome, Outcome::RejectCascadeDelete);
            EXPECT_FALSE(decide(soft(mode), row).needs_actor());
            // without soft_delete the cascade goes through as PostgreSQL intends
            StampPolicy hard;
            hard.mode = mode;
            EXPECT_EQ(decide(hard, row).outcome, Outcome::AllowDelete);
        }
}

TEST(StampRulesDelete, CascadeFlagDoesNotChangeOrdinaryDeletes) {
    RowFacts row = full_row(RowEvent::Delete);
    row[C::DeletedAt].new_null = true;
    EXPECT_EQ(decide(soft(), row).outcome, Outcome::SoftDelete);
}

// --- Rows moved between partitions ----------------------------------------------------------

TEST(StampRulesPartitionMove, BothHalvesPassTheRowThroughUnchanged) {
    for (StampMode mode : {StampMode::Force, StampMode::Fill, StampMode::FillOnInsert}) {
        RowFacts insert = full_row(RowEvent::Insert);
        insert.partition_move = true;
        const StampDecision d = decide(soft(mode), insert);
        EXPECT_EQ(d.outcome, Outcome::WriteRow);
        EXPECT_FALSE(d.modifies_row()); // created_* written by the original INSERT survive
        EXPECT_FALSE(d.needs_actor());

        RowFacts remove = full_row(RowEvent::Delete);
        remove[C::DeletedAt].new_null = true;
        remove.partition_move = true;
        // with soft_delete the source half is still a real delete: the row lives on elsewhere
        EXPECT_EQ(decide(soft(mode), remove).outcome, Outcome::AllowDelete);
    }
}

// --- The clock never goes backwards ---------------------------------------------------------

TEST(StampRulesClock, UpdateBehindTheRowsStampsWritesTheLatestOldStamp) {
    RowFacts row = live_update();
    row[C::UpdatedAt].clock_behind_old = true;
    const StampDecision d = decide(force(), row);
    EXPECT_EQ(d.action(C::UpdatedAt), Action::SetLatestOldStamp);
    EXPECT_EQ(d.action(C::UpdatedBy), Action::SetActor); // the actor is still this writer
    EXPECT_TRUE(d.modifies_row());

    row[C::UpdatedAt].clock_behind_old = false;
    EXPECT_EQ(decide(force(), row).action(C::UpdatedAt), Action::SetClock);
}

TEST(StampRulesClock, SoftDeleteBehindTheRowsStampsWritesTheLatestOldStamp) {
    RowFacts row = live_update();
    set_value(row, C::DeletedAt);
    row[C::DeletedAt].clock_behind_old = true;
    EXPECT_EQ(decide(force(), row).action(C::DeletedAt), Action::SetLatestOldStamp);
    // fill keeps the client's deleted_at, whatever the clock
    EXPECT_EQ(decide(fill(), row).action(C::DeletedAt), Action::Keep);
}

TEST(StampRulesClock, FillLeavesAClientsUpdatedAtAlone) {
    RowFacts row = live_update();
    set_value(row, C::UpdatedAt);
    row[C::UpdatedAt].clock_behind_old = true;
    EXPECT_EQ(decide(fill(), row).action(C::UpdatedAt), Action::Keep);
}
