// Fuzzes the trigger's decision table, decide(), with every combination of policy, event and
// column facts, and checks the rules SPEC.md states as invariants.
#include "core/stamp_rules.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace audit_fields;

namespace {

[[noreturn]] void violated(const char* what, const StampPolicy& p, const RowFacts& row) {
    fprintf(stderr,
            "invariant violated: %s (event %d mode %d reject %d soft_delete %d cascade %d)\n", what,
            static_cast<int>(row.event), static_cast<int>(p.mode),
            static_cast<int>(p.on_created_change), static_cast<int>(p.soft_delete),
            static_cast<int>(row.foreign_key_cascade));
    for (AuditColumn c : kAllAuditColumns) {
        const ColumnFacts& f = row[c];
        fprintf(stderr, "  %-16.*s present %d new_null %d old_null %d changed %d\n",
                static_cast<int>(default_name(c).size()), default_name(c).data(), f.present,
                f.new_null, f.old_null, f.changed);
    }
    abort();
}

bool is_created(AuditColumn c) {
    return c == AuditColumn::CreatedAt || c == AuditColumn::CreatedBy ||
           c == AuditColumn::CreatedByName;
}

bool stamps(Action a) {
    return a == Action::SetClock || a == Action::SetLatestOldStamp || a == Action::SetActor ||
           a == Action::SetActorName;
}

// The only actions a column of this kind may receive.
bool fits_kind(AuditColumn c, Action a) {
    switch (a) {
    case Action::SetClock:
    case Action::SetLatestOldStamp:
        return kind_of(c) == ColumnKind::Timestamp;
    case Action::SetActor:
        return kind_of(c) == ColumnKind::Actor;
    case Action::SetActorName:
        return kind_of(c) == ColumnKind::ActorName;
    default:
        return true;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 + kAuditColumnCount)
        return 0;
    StampPolicy policy;
    policy.mode = (data[0] & 1) ? StampMode::Fill : StampMode::Force;
    if (data[0] & 0x20)
        policy.mode = StampMode::FillOnInsert;
    policy.on_created_change = (data[0] & 2) ? CreatedChange::Reject : CreatedChange::Restore;
    policy.soft_delete = (data[0] & 4) != 0;
    RowFacts row;
    const int event = ((data[0] >> 3) & 3) % 3;
    row.event = static_cast<RowEvent>(event);
    row.foreign_key_cascade = row.event == RowEvent::Delete && (data[0] & 0x40) != 0;
    row.partition_move = row.event != RowEvent::Update && (data[0] & 0x80) != 0;
    for (size_t i = 0; i < kAuditColumnCount; ++i) {
        const uint8_t b = data[1 + i];
        ColumnFacts& f = row.columns[i];
        f.present = b & 1;
        f.new_null = b & 2;
        if (row.event == RowEvent::Update) {
            f.old_null = b & 4;
            // Facts the trigger can actually observe: NULL vs non-NULL is a change; two NULLs
            // are not; two non-NULLs may or may not be equal.
            f.changed = f.new_null != f.old_null || (!f.new_null && (b & 8));
            f.clock_behind_old =
                kind_of(static_cast<AuditColumn>(i)) == ColumnKind::Timestamp && (b & 16) != 0;
        }
        if (!f.present)
            f = ColumnFacts{};
    }

    const StampDecision d = decide(policy, row);
    const bool write = d.outcome == Outcome::WriteRow;

    // fill_on_insert is exactly fill for INSERT and force for everything else.
    if (policy.mode == StampMode::FillOnInsert) {
        StampPolicy same = policy;
        same.mode = row.event == RowEvent::Insert ? StampMode::Fill : StampMode::Force;
        const StampDecision expected = decide(same, row);
        if (expected.outcome != d.outcome || expected.actions != d.actions)
            violated("fill_on_insert differs from fill (INSERT) / force (UPDATE)", policy, row);
    }

    bool any_actor = false;
    bool any_change = false;
    for (AuditColumn c : kAllAuditColumns) {
        const Action a = d.action(c);
        const ColumnFacts& f = row[c];
        if (a != Action::Keep && !f.present)
            violated("an action on a column the table lacks", policy, row);
        if (!fits_kind(c, a))
            violated("an action of the wrong kind for the column", policy, row);
        if (a == Action::RestoreOld && row.event != RowEvent::Update)
            violated("RestoreOld outside UPDATE", policy, row);
        if (a == Action::RestoreOld && !f.changed)
            violated("RestoreOld on an unchanged column", policy, row);
        if (row.event == RowEvent::Update && is_created(c) && stamps(a))
            violated("UPDATE stamps a created_* column", policy, row);
        if (row.event == RowEvent::Delete && a != Action::Keep)
            violated("DELETE returns column actions", policy, row);
        any_actor = any_actor || a == Action::SetActor || a == Action::SetActorName;
        any_change = any_change || a != Action::Keep;
    }
    if (d.needs_actor() != (write && any_actor))
        violated("needs_actor() disagrees with the actions", policy, row);
    if (d.modifies_row() != (write && any_change))
        violated("modifies_row() disagrees with the actions", policy, row);

    switch (row.event) {
    case RowEvent::Insert:
        if (!write)
            violated("INSERT not written", policy, row);
        if (row.partition_move) { // the destination half of a move keeps the UPDATE's stamps
            if (d.modifies_row())
                violated("a row moved between partitions is stamped again", policy, row);
            break;
        }
        // force: every created_*/updated_* column present is the server's.
        if (policy.mode == StampMode::Force)
            for (AuditColumn c :
                 {AuditColumn::CreatedAt, AuditColumn::CreatedBy, AuditColumn::CreatedByName,
                  AuditColumn::UpdatedAt, AuditColumn::UpdatedBy, AuditColumn::UpdatedByName})
                if (row[c].present && !stamps(d.action(c)))
                    violated("forced INSERT leaves a created/updated column to the client", policy,
                             row);
        // fill (and fill_on_insert): a non-NULL client value is never overwritten by a stamp.
        if (policy.mode != StampMode::Force)
            for (AuditColumn c : kAllAuditColumns)
                if (row[c].present && !row[c].new_null && d.action(c) != Action::Keep)
                    violated("fill INSERT overwrites a client value", policy, row);
        break;
    case RowEvent::Update: {
        bool created_changed = false;
        for (AuditColumn c :
             {AuditColumn::CreatedAt, AuditColumn::CreatedBy, AuditColumn::CreatedByName}) {
            const ColumnFacts& f = row[c];
            const bool protected_change =
                f.present && f.changed && !(policy.mode == StampMode::Fill && f.old_null);
            created_changed = created_changed || protected_change;
            if (write && protected_change && d.action(c) != Action::RestoreOld)
                violated("a changed created_* column is not restored", policy, row);
        }
        if (created_changed && policy.on_created_change == CreatedChange::Reject &&
            d.outcome != Outcome::RejectCreatedChange)
            violated("a created_* change is not rejected", policy, row);
        if (d.outcome != Outcome::WriteRow && d.outcome != Outcome::RejectCreatedChange)
            violated("UPDATE with a DELETE outcome", policy, row);
        if (write && policy.mode != StampMode::Fill && row[AuditColumn::UpdatedAt].present &&
            d.action(AuditColumn::UpdatedAt) != (row[AuditColumn::UpdatedAt].clock_behind_old
                                                     ? Action::SetLatestOldStamp
                                                     : Action::SetClock))
            violated("forced UPDATE does not stamp updated_at", policy, row);
        // a row that stays deleted keeps who deleted it
        const ColumnFacts& del = row[AuditColumn::DeletedAt];
        if (write && del.present && !del.old_null && !del.new_null)
            for (AuditColumn c : {AuditColumn::DeletedBy, AuditColumn::DeletedByName})
                if (row[c].present && stamps(d.action(c)))
                    violated("UPDATE of a deleted row changes its deleter", policy, row);
        break;
    }
    case RowEvent::Delete: {
        // soft_delete never degrades into a hard delete, even when deleted_at is gone
        const ColumnFacts& del = row[AuditColumn::DeletedAt];
        if (row.partition_move) { // the source half of a move is a real delete
            if (d.outcome != Outcome::AllowDelete)
                violated("the source half of a partition move is not deleted", policy, row);
            break;
        }
        if (!policy.soft_delete && d.outcome != Outcome::AllowDelete)
            violated("DELETE without soft_delete is not allowed through", policy, row);
        if (policy.soft_delete && row.foreign_key_cascade) {
            if (d.outcome != Outcome::RejectCascadeDelete)
                violated("cascaded DELETE into a soft-delete table is not refused", policy, row);
            break;
        }
        if (policy.soft_delete && !del.present && d.outcome != Outcome::RejectDelete)
            violated("soft DELETE without deleted_at is not refused", policy, row);
        if (policy.soft_delete && del.present &&
            d.outcome != (del.new_null ? Outcome::SoftDelete : Outcome::SkipDelete))
            violated("soft DELETE outcome wrong", policy, row);
        break;
    }
    }
    return 0;
}
