// Planner stamping, at executor start: the row trigger is taken out of this statement's copy of
// the table's trigger list (ResultRelInfo.ri_TrigDesc, which InitResultRelInfo copied), for INSERT
// and for UPDATE separately, when the final plan provably leaves the trigger nothing to do:
// - the table is a plain table (a partition targeted directly included: no row can move out of
//   it), the statement's only result relation, and ours is its only BEFORE ROW trigger for the
//   event;
// - reading the plan's own expressions for the audit columns (a constant, OLD's value, a planned
//   call for exactly this trigger, column and event, with OLD's stamps as its arguments), and
//   asking plan_statement_stamps() about every row they allow, the trigger would change no row;
// - exactly one planned actor call counts a missing actor, as the trigger would once per row, and
//   none leaves a missing actor to the trigger.
// What the rewrite did is not trusted: a plan analysed before enable(), while the setting was off,
// rewritten by a rule, or with planned calls a user wrote by hand is judged by the same test.
#include "planner_stamping.h"

#include "settings.h"

extern "C" {
#include "catalog/pg_trigger.h"
#include "executor/executor.h"
#include "nodes/plannodes.h"
}

namespace audit_fields::pg {

namespace {

using C = AuditColumn;

struct Judge {
    const TriggerCache* cache;
    Oid trigger_oid;
    Index rti; // the result relation's range table index
    RowEvent event;
    int miss_counters = 0;
    bool deferring = false; // an actor call leaves a missing actor to the trigger
};

// Whether every row `plan` returns carries its child's column unchanged: a join fills the side
// it null-extends with NULLs (LEFT JOIN: the inner side's columns), and grouping sets NULL a
// grouping column in their super-aggregate rows. Only the nodes known to pass values through.
bool passes_through(const Plan* plan, bool from_outer) {
    switch (nodeTag(plan)) {
    case T_Result:
    case T_ProjectSet:
    case T_Sort:
    case T_IncrementalSort:
    case T_Material:
    case T_Memoize:
    case T_Limit:
    case T_LockRows:
    case T_Unique:
    case T_Hash:
    case T_Group:
    case T_WindowAgg:
    case T_SetOp:
        return true;
    case T_Agg:
        return reinterpret_cast<const Agg*>(plan)->groupingSets == NIL;
    case T_NestLoop:
    case T_MergeJoin:
    case T_HashJoin: {
        const JoinType type = reinterpret_cast<const Join*>(plan)->jointype;
        if (from_outer)
            return type == JOIN_INNER || type == JOIN_LEFT || type == JOIN_SEMI ||
                   type == JOIN_ANTI;
        return type == JOIN_INNER || type == JOIN_RIGHT;
    }
    default:
        return false;
    }
}

// Follows a non-projected column down to the node that computes it, as long as every row carries
// that node's value.
Expr* computed_by(const Plan* plan, Expr* expr) {
    for (;;) {
        while (expr != nullptr && IsA(expr, RelabelType))
            expr = castNode(RelabelType, expr)->arg;
        if (expr == nullptr || !IsA(expr, Var) || plan == nullptr)
            return expr;
        const Var* var = castNode(Var, expr);
        const Plan* child = var->varno == OUTER_VAR   ? outerPlan(plan)
                            : var->varno == INNER_VAR ? innerPlan(plan)
                                                      : nullptr;
        if (child == nullptr || var->varattno <= 0 ||
            var->varattno > list_length(child->targetlist) ||
            !passes_through(plan, var->varno == OUTER_VAR))
            return expr;
        expr = list_nth_node(TargetEntry, child->targetlist, var->varattno - 1)->expr;
        plan = child;
    }
}

bool is_old_column(const Judge& judge, const Plan* plan, Expr* expr, AttrNumber attnum) {
    expr = computed_by(plan, expr);
    if (expr == nullptr || !IsA(expr, Var))
        return false;
    const Var* var = castNode(Var, expr);
    return var->varno == static_cast<int>(judge.rti) && var->varattno == attnum &&
           var->varlevelsup == 0;
}

bool is_null_constant(Expr* expr) {
    return expr != nullptr && IsA(expr, Const) && castNode(Const, expr)->constisnull;
}

// planned_from_old()'s OLD arguments must be OLD's created_at/updated_at, as the rewrite puts them.
bool old_stamp_argument_ok(const Judge& judge, const Plan* plan, Expr* arg, C stamp,
                           const ResolvedColumn& column) {
    const ResolvedColumn& old = judge.cache->layout.column(stamp);
    if (old.attnum == InvalidAttrNumber || old.is_timestamptz != column.is_timestamptz)
        return is_null_constant(computed_by(plan, arg));
    return is_old_column(judge, plan, arg, old.attnum);
}

StatementValue planned_call_value(Judge* judge, const Plan* plan, const FuncExpr* call, C c) {
    const bool from_old = call->funcid == audit_function_oids().planned_from_old;
    if (list_length(call->args) != (from_old ? 4 : 2))
        return StatementValue::Unknown;
    auto arg = [call](int i) { return static_cast<Expr*>(list_nth(call->args, i)); };
    Expr* key = arg(0);
    if (!IsA(key, Const) || castNode(Const, key)->constisnull)
        return StatementValue::Unknown;
    Oid trigger_oid;
    PlannedCall decoded;
    if (!split_planned_call_key(DatumGetInt64(castNode(Const, key)->constvalue), &trigger_oid,
                                &decoded) ||
        trigger_oid != judge->trigger_oid || decoded.column != c || decoded.event != judge->event)
        return StatementValue::Unknown;
    if (needs_old(decoded) != from_old)
        return StatementValue::Unknown;
    const ResolvedColumn& column = judge->cache->layout.column(c);
    if (decoded.value == PlannedValue::Old &&
        !(is_old_column(*judge, plan, arg(2), column.attnum) &&
          is_null_constant(computed_by(plan, arg(3)))))
        return StatementValue::Unknown;
    if (decoded.value == PlannedValue::Clock && from_old &&
        !(old_stamp_argument_ok(*judge, plan, arg(2), C::CreatedAt, column) &&
          old_stamp_argument_ok(*judge, plan, arg(3), C::UpdatedAt, column)))
        return StatementValue::Unknown;
    const bool actor =
        decoded.value == PlannedValue::Actor || decoded.value == PlannedValue::ActorName;
    if (actor && decoded.missing == MissingActorRole::Counts)
        ++judge->miss_counters;
    if (actor && decoded.missing == MissingActorRole::Defers)
        judge->deferring = true;
    switch (decoded.value) {
    case PlannedValue::Clock:
        return StatementValue::Clock;
    case PlannedValue::Actor:
        return StatementValue::Actor;
    case PlannedValue::ActorName:
        return StatementValue::ActorName;
    case PlannedValue::Null:
        return StatementValue::Null;
    case PlannedValue::Old:
        return StatementValue::Old;
    case PlannedValue::Statement:
        break;
    }
    return StatementValue::Unknown;
}

StatementValue value_of(Judge* judge, const Plan* plan, Expr* expr, C c) {
    const AttrNumber attnum = judge->cache->layout.column(c).attnum;
    if (judge->event == RowEvent::Update && is_old_column(*judge, plan, expr, attnum))
        return StatementValue::Old;
    expr = computed_by(plan, expr);
    if (expr == nullptr)
        return StatementValue::Unknown;
    if (IsA(expr, Const))
        return castNode(Const, expr)->constisnull ? StatementValue::Null : StatementValue::NotNull;
    if (IsA(expr, FuncExpr)) {
        const auto* call = castNode(FuncExpr, expr);
        const AuditFunctionOids& functions = audit_function_oids();
        if (call->funcid == functions.planned_stamp || call->funcid == functions.planned_from_old)
            return planned_call_value(judge, plan, call, c);
    }
    return StatementValue::Unknown;
}

// The expression the plan writes into attnum: an INSERT's full row (resno = attnum), or an
// UPDATE's assignments (target list entry i assigns column colnos[i]). nullptr: not assigned.
Expr* written_expression(const List* target_list, const List* colnos, AttrNumber attnum) {
    if (colnos == nullptr) {
        ListCell* cell;
        foreach (cell, target_list) {
            auto* tle = lfirst_node(TargetEntry, cell);
            if (!tle->resjunk && tle->resno == attnum)
                return tle->expr;
        }
        return nullptr;
    }
    int i = 0;
    ListCell* cell;
    foreach (cell, colnos) {
        if (lfirst_int(cell) == attnum) {
            if (i >= list_length(target_list))
                return nullptr;
            return list_nth_node(TargetEntry, target_list, i)->expr;
        }
        ++i;
    }
    return nullptr;
}

// target_list's expressions are evaluated in plan (nullptr: evaluated directly against the
// result relation and the EXCLUDED row, as ON CONFLICT's SET list).
bool proven(Judge* judge, const Plan* plan, const List* target_list, const List* colnos) {
    StatementShape shape;
    shape.event = judge->event;
    const ColumnLayout& layout = judge->cache->layout;
    for (C c : kAllAuditColumns) {
        const ResolvedColumn& column = layout.column(c);
        if (column.attnum == InvalidAttrNumber) {
            shape[c] = StatementValue::Absent;
            continue;
        }
        Expr* expr = written_expression(target_list, colnos, column.attnum);
        if (expr == nullptr)
            shape[c] =
                judge->event == RowEvent::Update ? StatementValue::Old : StatementValue::Unknown;
        else
            shape[c] = value_of(judge, plan, expr, c);
    }
    bool actors = false;
    for (StatementValue v : shape.columns)
        actors = actors || v == StatementValue::Actor || v == StatementValue::ActorName;
    if (actors && (judge->miss_counters != 1 || judge->deferring))
        return false;
    // Through the memo: a prepared one-row statement is judged at every execution, and for an
    // UPDATE enumerating OLD's possible values costs millions of instructions.
    const StatementStamps stamps = statement_stamps(judge->cache->policy, shape);
    return stamps.planned && stamps.writes_nothing();
}

bool any_before_row(const TriggerDesc* triggers, int16 event_type) {
    for (int i = 0; i < triggers->numtriggers; ++i)
        if (TRIGGER_TYPE_MATCHES(triggers->triggers[i].tgtype, TRIGGER_TYPE_ROW,
                                 TRIGGER_TYPE_BEFORE, event_type))
            return true;
    return false;
}

// This statement's trigger list only: the relcache's stays as it is.
void take_out(TriggerDesc* triggers, Oid mine, bool insert, bool update) {
    for (int i = 0; i < triggers->numtriggers; ++i) {
        Trigger* t = &triggers->triggers[i];
        if (t->tgoid != mine)
            continue;
        if (insert)
            t->tgtype &= ~TRIGGER_TYPE_INSERT;
        if (update)
            t->tgtype &= ~TRIGGER_TYPE_UPDATE;
    }
    triggers->trig_insert_before_row = any_before_row(triggers, TRIGGER_TYPE_INSERT);
    triggers->trig_update_before_row = any_before_row(triggers, TRIGGER_TYPE_UPDATE);
}

} // namespace

void skip_proven_triggers(QueryDesc* query_desc) {
    const PlannedStmt* stmt = query_desc->plannedstmt;
    if (stmt == nullptr || (stmt->commandType != CMD_INSERT && stmt->commandType != CMD_UPDATE) ||
        stmt->planTree == nullptr || !IsA(stmt->planTree, ModifyTable))
        return;
    if (!settings.enabled || SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA)
        return;
    const auto* modify = castNode(ModifyTable, stmt->planTree);
    if (list_length(modify->resultRelations) != 1)
        return;
    const Index rti = linitial_int(modify->resultRelations);
    EState* estate = query_desc->estate;
    ResultRelInfo* result =
        estate->es_result_relations != nullptr ? estate->es_result_relations[rti - 1] : nullptr;
    if (result == nullptr || result->ri_TrigDesc == nullptr)
        return;
    Relation rel = result->ri_RelationDesc;
    if (rel->rd_rel->relkind != RELKIND_RELATION)
        return;
    const Trigger* mine = plannable_audit_trigger(rel);
    if (mine == nullptr)
        return;
    TriggerDesc* triggers = result->ri_TrigDesc;
    const Plan* subplan = outerPlan(&modify->plan);

    begin_trigger_call();
    Judge judge{trigger_cache_of(rel, mine), mine->tgoid, rti, RowEvent::Insert};
    bool insert = false;
    bool update = false;
    if (modify->operation == CMD_INSERT) {
        insert = TRIGGER_FOR_INSERT(mine->tgtype) && subplan != nullptr &&
                 only_before_row_trigger(triggers, mine->tgoid, RowEvent::Insert) &&
                 proven(&judge, subplan, subplan->targetlist, nullptr);
        if (modify->onConflictAction == ONCONFLICT_UPDATE && TRIGGER_FOR_UPDATE(mine->tgtype) &&
            only_before_row_trigger(triggers, mine->tgoid, RowEvent::Update)) {
            judge.event = RowEvent::Update;
            judge.miss_counters = 0;
            judge.deferring = false;
            update = proven(&judge, nullptr, modify->onConflictSet, modify->onConflictCols);
        }
    } else if (modify->operation == CMD_UPDATE && subplan != nullptr &&
               TRIGGER_FOR_UPDATE(mine->tgtype) &&
               only_before_row_trigger(triggers, mine->tgoid, RowEvent::Update)) {
        judge.event = RowEvent::Update;
        update = proven(&judge, subplan, subplan->targetlist,
                        static_cast<List*>(linitial(modify->updateColnosLists)));
    }
    end_trigger_call();
    if (insert || update)
        take_out(triggers, mine->tgoid, insert, update);
}

} // namespace audit_fields::pg
