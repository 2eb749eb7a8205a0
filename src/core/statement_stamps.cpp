// Every row a statement's shape allows is a set of facts (stamp_rules.h); decide() answers each.
// A column gets a planned value only when one value satisfies every answer:
//   Keep          the statement's own value; on UPDATE of an unchanged column also OLD's value,
//                 and a NULL the row already holds is also a NULL
//   SetClock      the clock; on UPDATE, SetLatestOldStamp is the same planned clock, which never
//                 goes earlier than OLD's stamps (the planned function compares, as the trigger
//                 does)
//   SetActor(Name) the actor (name)
//   SetNull       NULL, or the statement's value where that is NULL already
//   RestoreOld    OLD's value, or the statement's where it did not change
// A planned value already in the statement (shape Clock, Actor, ActorName, Null, Old) also counts
// as the statement's own value, which is how the proof on the final plan succeeds.
#include "statement_stamps.h"

#include <cstddef>

namespace audit_fields {

namespace {

using C = AuditColumn;
using Mask = unsigned;

constexpr Mask bit(PlannedValue v) {
    return 1u << static_cast<unsigned>(v);
}
constexpr Mask kAll = bit(PlannedValue::Statement) | bit(PlannedValue::Clock) |
                      bit(PlannedValue::Actor) | bit(PlannedValue::ActorName) |
                      bit(PlannedValue::Null) | bit(PlannedValue::Old);

// One column's possible facts for one row: (new_null, old_null, changed).
struct Variant {
    bool new_null;
    bool old_null;
    bool changed;
};

struct Variants {
    Variant items[5];
    int count = 0;
    void add(bool new_null, bool old_null, bool changed) {
        items[count++] = {new_null, old_null, changed};
    }
};

// Which NULL-ness the statement's value can have.
void value_nullness(StatementValue v, bool* can_be_null, bool* can_be_set) {
    *can_be_null = v == StatementValue::Null || v == StatementValue::Unknown ||
                   v == StatementValue::Actor || v == StatementValue::ActorName; // allow: NULL
    *can_be_set = v != StatementValue::Null;
}

Variants variants_of(RowEvent event, StatementValue v) {
    Variants out;
    if (v == StatementValue::Absent) {
        out.add(false, false, false);
        return out;
    }
    bool can_be_null = false;
    bool can_be_set = false;
    value_nullness(v, &can_be_null, &can_be_set);
    if (event == RowEvent::Insert) {
        if (can_be_null)
            out.add(true, false, false);
        if (can_be_set)
            out.add(false, false, false);
        return out;
    }
    if (v == StatementValue::Old) { // unchanged: NULL before and after, or set before and after
        out.add(true, true, false);
        out.add(false, false, false);
        return out;
    }
    for (bool old_null : {true, false}) {
        if (can_be_null)
            out.add(true, old_null, !old_null);
        if (can_be_set) {
            out.add(false, old_null, true);
            if (!old_null)
                out.add(false, false, false); // the same value again
        }
    }
    return out;
}

// The planned values that give this column the value the trigger would leave in the row.
Mask acceptable(const StatementShape& shape, C c, const ColumnFacts& f, Action a) {
    const bool update = shape.event == RowEvent::Update;
    Mask m = 0;
    switch (a) {
    case Action::Keep:
        m = bit(PlannedValue::Statement);
        if (update && !f.changed)
            m |= bit(PlannedValue::Old);
        if (f.new_null)
            m |= bit(PlannedValue::Null);
        break;
    case Action::SetClock:
    case Action::SetLatestOldStamp:
        m = bit(PlannedValue::Clock);
        break;
    case Action::SetActor:
        m = bit(PlannedValue::Actor);
        break;
    case Action::SetActorName:
        m = bit(PlannedValue::ActorName);
        break;
    case Action::SetNull:
        m = bit(PlannedValue::Null);
        if (f.new_null)
            m |= bit(PlannedValue::Statement);
        break;
    case Action::RestoreOld:
        m = bit(PlannedValue::Old);
        if (!f.changed)
            m |= bit(PlannedValue::Statement);
        break;
    }
    // A planned value the statement already holds is the statement's own value.
    const StatementValue v = shape[c];
    const bool holds = (v == StatementValue::Clock && (m & bit(PlannedValue::Clock))) ||
                       (v == StatementValue::Actor && (m & bit(PlannedValue::Actor))) ||
                       (v == StatementValue::ActorName && (m & bit(PlannedValue::ActorName))) ||
                       (v == StatementValue::Null && (m & bit(PlannedValue::Null))) ||
                       (v == StatementValue::Old && (m & bit(PlannedValue::Old)));
    if (holds)
        m |= bit(PlannedValue::Statement);
    return m;
}

class Enumeration {
  public:
    Enumeration(const StampPolicy& policy, const StatementShape& shape)
        : policy_(policy), shape_(shape) {
        for (C c : kAllAuditColumns) {
            variants_[index_of(c)] = variants_of(shape.event, shape[c]);
            allowed_[index_of(c)] = kAll;
        }
        facts_.event = shape.event;
    }

    bool run() {
        std::uint64_t rows = 1;
        for (const Variants& v : variants_)
            rows *= static_cast<std::uint64_t>(v.count);
        if (rows > kMaxEnumeratedRows)
            return false;
        return visit(0);
    }

    Mask allowed(C c) const { return allowed_[index_of(c)]; }

  private:
    bool visit(std::size_t column) {
        if (column == kAuditColumnCount)
            return judge();
        const C c = kAllAuditColumns[column];
        ColumnFacts& f = facts_[c];
        f.present = shape_[c] != StatementValue::Absent;
        for (int i = 0; i < variants_[index_of(c)].count; ++i) {
            const Variant& v = variants_[index_of(c)].items[i];
            f.new_null = v.new_null;
            f.old_null = v.old_null;
            f.changed = v.changed;
            if (!visit(column + 1))
                return false;
        }
        return true;
    }

    bool judge() {
        const StampDecision d = decide(policy_, facts_);
        if (d.outcome != Outcome::WriteRow)
            return false;
        for (C c : kAllAuditColumns) {
            if (!facts_[c].present)
                continue;
            Mask& m = allowed_[index_of(c)];
            m &= acceptable(shape_, c, facts_[c], d.action(c));
            if (m == 0)
                return false;
        }
        return true;
    }

    const StampPolicy& policy_;
    const StatementShape& shape_;
    std::array<Variants, kAuditColumnCount> variants_{};
    std::array<Mask, kAuditColumnCount> allowed_{};
    RowFacts facts_;
};

} // namespace

bool StatementStamps::writes_nothing() const {
    for (PlannedValue v : values)
        if (v != PlannedValue::Statement)
            return false;
    return true;
}

StatementStamps plan_statement_stamps(const StampPolicy& policy, const StatementShape& shape) {
    StatementStamps out;
    if (shape.event != RowEvent::Insert && shape.event != RowEvent::Update)
        return out;
    Enumeration rows(policy, shape);
    if (!rows.run())
        return out;
    // The statement's own value where it will do; else the first planned value that does.
    constexpr PlannedValue kPreference[] = {PlannedValue::Statement, PlannedValue::Clock,
                                            PlannedValue::Actor,     PlannedValue::ActorName,
                                            PlannedValue::Null,      PlannedValue::Old};
    for (C c : kAllAuditColumns) {
        if (shape[c] == StatementValue::Absent)
            continue;
        const Mask m = rows.allowed(c);
        for (PlannedValue v : kPreference) {
            if (m & bit(v)) {
                out.values[index_of(c)] = v;
                break;
            }
        }
    }
    out.planned = true;
    return out;
}

} // namespace audit_fields
