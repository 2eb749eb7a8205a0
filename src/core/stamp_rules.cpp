// The decision table of SPEC.md "What the trigger guarantees", as code. "stamp" = the clock for
// *_at, audit_fields.actor for *_by, audit_fields.actor_name (else the actor) for *_by_name.
//
// fill_on_insert is fill for INSERT and force for everything else (UPDATE, soft delete).
//
//   event                          force                               fill
//   INSERT                         stamp created_*, updated_*          same, NULL columns only
//   INSERT, deleted_at set         also stamp deleted_by*              same, NULL columns only
//   INSERT, deleted_at NULL        clear deleted_by*                   leave deleted_by*
//   UPDATE                         stamp updated_*; created_* back     stamp updated_* the client
//                                  to OLD if changed (or reject)       left unchanged or NULLed;
//                                                                      created_* NULL in OLD may
//                                                                      be filled
//   UPDATE deleted_at NULL->set    deleted_at = clock, stamp           keep deleted_at; stamp
//   (soft delete)                  deleted_by*                         deleted_by* left unchanged
//   UPDATE deleted_at set->NULL    clear deleted_by*                   same
//   UPDATE of a deleted row        deleted_* keep OLD values           same
//   UPDATE of a live row           deleted_by* keep OLD values         leave deleted_by*
//   DELETE, soft_delete => true    becomes UPDATE SET deleted_at (rules above); a deleted row:
//                                  nothing happens; no deleted_at column: refused; issued by
//                                  a foreign key's ON DELETE CASCADE: refused (live or deleted row)
//   DELETE/INSERT halves of a row  the row passes unchanged (the UPDATE half stamped it)
//   moved between partitions
//   any stamp on UPDATE            never earlier than OLD's created_at/updated_at: a clock behind
//                                  them writes the latest of them instead
//
// Test: test/core/stamp_rules_test.cpp (row by row) and sql/stamp_*.sql (end to end).
#include "stamp_rules.h"

namespace audit_fields {

namespace {

using C = AuditColumn;

constexpr C kCreated[] = {C::CreatedAt, C::CreatedBy, C::CreatedByName};
constexpr C kUpdated[] = {C::UpdatedAt, C::UpdatedBy, C::UpdatedByName};
constexpr C kDeletedBy[] = {C::DeletedBy, C::DeletedByName};
constexpr C kDeleted[] = {C::DeletedAt, C::DeletedBy, C::DeletedByName};

// The value the server would write for a column that is being stamped.
Action stamp_for(C column) {
    switch (kind_of(column)) {
    case ColumnKind::Timestamp:
        return Action::SetClock;
    case ColumnKind::Actor:
        return Action::SetActor;
    case ColumnKind::ActorName:
        return Action::SetActorName;
    }
    return Action::Keep;
}

class Decider {
  public:
    Decider(const StampPolicy& policy, const RowFacts& row) : policy_(policy), row_(row) {}

    StampDecision run() {
        switch (row_.event) {
        case RowEvent::Insert:
            insert();
            break;
        case RowEvent::Update:
            update();
            break;
        case RowEvent::Delete:
            remove();
            break;
        }
        return d_;
    }

  private:
    bool fill() const {
        return policy_.mode == StampMode::Fill ||
               (policy_.mode == StampMode::FillOnInsert && row_.event == RowEvent::Insert);
    }
    bool present(C c) const { return row_[c].present; }

    void set(C c, Action a) {
        if (present(c))
            d_.actions[index_of(c)] = a;
    }

    // force: always the server's value. fill: only where the client supplied nothing (NULL).
    // The clock, unless it is behind the row's own stamps (UPDATE).
    Action stamp_value(C c) const {
        const Action a = stamp_for(c);
        return a == Action::SetClock && row_[c].clock_behind_old ? Action::SetLatestOldStamp : a;
    }

    void stamp_on_insert(C c) {
        if (!fill() || row_[c].new_null)
            set(c, stamp_for(c));
    }

    // force: always. fill: only where the client left the column as it was, or set it to NULL.
    void stamp_on_update(C c) {
        if (!fill() || !row_[c].changed || row_[c].new_null)
            set(c, stamp_value(c));
    }

    void restore_if_changed(C c) {
        if (present(c) && row_[c].changed)
            set(c, Action::RestoreOld);
    }

    // SPEC: INSERT sets created_* and updated_*; deleted_by* only for a row inserted as deleted.
    void insert() {
        if (row_.partition_move)
            return; // the row keeps the values the UPDATE half wrote
        for (C c : kCreated)
            stamp_on_insert(c);
        for (C c : kUpdated)
            stamp_on_insert(c);
        const bool inserted_deleted = present(C::DeletedAt) && !row_[C::DeletedAt].new_null;
        for (C c : kDeletedBy) {
            if (inserted_deleted)
                stamp_on_insert(c);
            else if (present(C::DeletedAt) && !fill() && !row_[c].new_null)
                set(c, Action::SetNull); // a live row names no deleter
        }
    }

    // SPEC: UPDATE stamps updated_*, keeps created_* and follows deleted_at's transition.
    void update() {
        for (C c : kCreated) {
            const ColumnFacts& f = row_[c];
            if (!f.present || !f.changed)
                continue;
            if (fill() && f.old_null)
                continue; // fill mode may fill a created_* value that was never set
            if (policy_.on_created_change == CreatedChange::Reject) {
                d_.outcome = Outcome::RejectCreatedChange;
                d_.rejected_column = c;
                return;
            }
            set(c, Action::RestoreOld);
        }
        for (C c : kUpdated)
            stamp_on_update(c);
        if (present(C::DeletedAt))
            update_deleted();
    }

    void update_deleted() {
        const ColumnFacts& at = row_[C::DeletedAt];
        const bool was_deleted = !at.old_null;
        const bool is_deleted = !at.new_null;
        if (!was_deleted && is_deleted) { // soft delete
            if (!fill())
                set(C::DeletedAt, stamp_value(C::DeletedAt));
            for (C c : kDeletedBy)
                stamp_on_update(c);
        } else if (was_deleted && !is_deleted) { // restore
            for (C c : kDeletedBy)
                set(c, Action::SetNull);
        } else if (was_deleted && is_deleted) { // an already deleted row keeps its deletion
            for (C c : kDeleted)
                restore_if_changed(c);
        } else if (!fill()) { // a live row stays without a deleter
            for (C c : kDeletedBy)
                restore_if_changed(c);
        }
    }

    // SPEC: with soft_delete, DELETE marks the row deleted; an already deleted row is left alone.
    // A table whose deleted_at was dropped after enable() cannot soft-delete; removing the row
    // instead would lose data the configuration promised to keep, so the DELETE is refused.
    // A cascaded DELETE is refused whatever the row's state: its parent is about to disappear, and
    // keeping the row (soft-deleted or not) would leave a reference to nothing.
    void remove() {
        if (!policy_.soft_delete || row_.partition_move)
            d_.outcome = Outcome::AllowDelete;
        else if (row_.foreign_key_cascade)
            d_.outcome = Outcome::RejectCascadeDelete;
        else if (!present(C::DeletedAt))
            d_.outcome = Outcome::RejectDelete;
        else
            d_.outcome = row_[C::DeletedAt].new_null ? Outcome::SoftDelete : Outcome::SkipDelete;
    }

    const StampPolicy& policy_;
    const RowFacts& row_;
    StampDecision d_;
};

} // namespace

bool StampDecision::modifies_row() const {
    if (outcome != Outcome::WriteRow)
        return false;
    for (Action a : actions)
        if (a != Action::Keep)
            return true;
    return false;
}

bool StampDecision::needs_actor() const {
    if (outcome != Outcome::WriteRow)
        return false;
    for (Action a : actions)
        if (a == Action::SetActor || a == Action::SetActorName)
            return true;
    return false;
}

StampDecision decide(const StampPolicy& policy, const RowFacts& row) noexcept {
    return Decider(policy, row).run();
}

} // namespace audit_fields
