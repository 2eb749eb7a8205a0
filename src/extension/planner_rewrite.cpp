// Planner stamping, at parse analysis: puts the stamps the trigger would write into the target
// lists of INSERT, UPDATE, ON CONFLICT DO UPDATE and MERGE on an enabled plain table
// (planner_stamping.h). A target list is changed only when plan_statement_stamps() finds one value
// per column that holds for every row the statement can write; otherwise it is left to the
// trigger. Every planned call carries the statement's own value as its fallback (returned where
// the trigger would not fire), so the rewrite changes nothing in sessions where the trigger does
// nothing; the fallback is evaluated once per row, as the statement's value (or the column's
// default, which the rewriter would add) is without planner stamping.
#include "planner_stamping.h"

extern "C" {
#include "access/relation.h"
#include "access/transam.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "rewrite/rewriteHandler.h"
}

namespace audit_fields::pg {

namespace {

using C = AuditColumn;

struct Target {
    Relation rel;
    const Trigger* trigger;
    const TriggerCache* cache;
    Index result_varno;   // UPDATE: OLD's columns are Vars of this range table entry
    bool with_children;   // an UPDATE also reaches inheritance children, with triggers of their own
    bool trigger_remains; // MERGE, UPDATE ... FROM: the trigger stays (planner_proof.cpp never
                          // proves a plan whose actor calls leave a missing actor to it,
                          // MissingActorRole::Defers)
};

// set_config(), or a volatile function of the user's, can change the actor or the clock while
// a row is computed. The trigger reads them after the whole row; the plan's calls read them in
// column order. Built-in volatile functions other than set_config() (nextval(), random(),
// clock_timestamp()) change no setting.
bool changes_settings(Oid function, void* /*context*/) {
    return function == F_SET_CONFIG ||
           (function >= FirstNormalObjectId && func_volatile(function) == PROVOLATILE_VOLATILE);
}

bool may_change_settings(Node* node, void* context) {
    if (node == nullptr)
        return false;
    if (check_functions_in_node(node, changes_settings, context))
        return true;
    if (IsA(node, Query))
        return query_tree_walker(castNode(Query, node), compat_tree_walker(may_change_settings),
                                 context, 0);
    return expression_tree_walker(node, compat_tree_walker(may_change_settings), context);
}

bool default_may_change_settings(Relation rel, AttrNumber attnum) {
    return may_change_settings(build_column_default(rel, attnum), nullptr);
}

// Whether any value of the row (an assignment, or a default the rewriter will add) may change the
// settings the planned calls read.
bool row_may_change_settings(const Target& target, RowEvent event, List* target_list) {
    ListCell* cell;
    foreach (cell, target_list) {
        auto* tle = lfirst_node(TargetEntry, cell);
        const bool changes = IsA(tle->expr, SetToDefault)
                                 ? default_may_change_settings(target.rel, tle->resno)
                                 : may_change_settings(reinterpret_cast<Node*>(tle->expr), nullptr);
        if (changes)
            return true;
    }
    if (event != RowEvent::Insert)
        return false;
    const TupleDesc desc = RelationGetDescr(target.rel);
    for (AttrNumber attnum = 1; attnum <= desc->natts; ++attnum) {
        if (TupleDescAttr(desc, attnum - 1)->attisdropped)
            continue;
        bool listed = false;
        foreach (cell, target_list)
            listed = listed || lfirst_node(TargetEntry, cell)->resno == attnum;
        if (!listed && default_may_change_settings(target.rel, attnum))
            return true;
    }
    return false;
}

// Only statements whose every row is this table's and passes through no other BEFORE trigger:
// where another trigger sees or changes NEW, or rows land in an inheritance child, the values the
// trigger would write are not the plan's to decide.
bool plannable_statement(const Target& target, RowEvent event, List* target_list) {
    if (event == RowEvent::Update && target.with_children)
        return false;
    if (!only_before_row_trigger(target.rel->trigdesc, target.trigger->tgoid, event))
        return false;
    return !row_may_change_settings(target, event, target_list);
}

TargetEntry* entry_for(List* target_list, AttrNumber attnum) {
    ListCell* cell;
    foreach (cell, target_list) {
        auto* tle = lfirst_node(TargetEntry, cell);
        if (!tle->resjunk && tle->resno == attnum)
            return tle;
    }
    return nullptr;
}

Form_pg_attribute attribute(const Target& target, AttrNumber attnum) {
    return TupleDescAttr(RelationGetDescr(target.rel), attnum - 1);
}

Var* old_value(const Target& target, AttrNumber attnum) {
    Form_pg_attribute att = attribute(target, attnum);
    return makeVar(target.result_varno, attnum, att->atttypid, att->atttypmod, att->attcollation,
                   0);
}

Expr* null_value(const Target& target, AttrNumber attnum) {
    Form_pg_attribute att = attribute(target, attnum);
    return reinterpret_cast<Expr*>(makeNullConst(att->atttypid, att->atttypmod, att->attcollation));
}

StatementValue classify(const Target& target, RowEvent event, AttrNumber attnum, Node* expr) {
    while (expr != nullptr && IsA(expr, RelabelType))
        expr = reinterpret_cast<Node*>(castNode(RelabelType, expr)->arg);
    if (expr == nullptr)
        return StatementValue::Null;
    if (IsA(expr, Const))
        return castNode(Const, expr)->constisnull ? StatementValue::Null : StatementValue::NotNull;
    if (event == RowEvent::Update && IsA(expr, Var)) {
        const Var* var = castNode(Var, expr);
        if (var->varno == static_cast<int>(target.result_varno) && var->varattno == attnum &&
            var->varlevelsup == 0)
            return StatementValue::Old;
    }
    return StatementValue::Unknown;
}

// One column: what the statement puts there, and the expression to fall back on.
StatementValue column_value(const Target& target, RowEvent event, List* target_list,
                            AttrNumber attnum, Expr** fallback) {
    TargetEntry* tle = entry_for(target_list, attnum);
    if (tle != nullptr && !IsA(tle->expr, SetToDefault)) {
        *fallback = tle->expr;
        return classify(target, event, attnum, reinterpret_cast<Node*>(tle->expr));
    }
    if (event == RowEvent::Update && tle == nullptr) {
        *fallback = reinterpret_cast<Expr*>(old_value(target, attnum));
        return StatementValue::Old;
    }
    Node* default_value = build_column_default(target.rel, attnum);
    if (default_value == nullptr) {
        *fallback = null_value(target, attnum);
        return StatementValue::Null;
    }
    *fallback = reinterpret_cast<Expr*>(default_value);
    return classify(target, event, attnum, default_value);
}

// planned_from_old()'s OLD arguments: created_at and updated_at where they share the column's time
// zone kind (the trigger compares with those only), else NULL.
Expr* old_stamp_argument(const Target& target, C stamp, const ResolvedColumn& column) {
    const ResolvedColumn& old = target.cache->layout.column(stamp);
    if (old.attnum == InvalidAttrNumber || old.is_timestamptz != column.is_timestamptz)
        return null_value(target, column.attnum);
    return reinterpret_cast<Expr*>(old_value(target, old.attnum));
}

// The planned value as a call: it falls back to the statement's own value where the trigger
// would not fire.
Expr* planned_call(const Target& target, const PlannedCall& call, Expr* fallback) {
    const ResolvedColumn& column = target.cache->layout.column(call.column);
    Form_pg_attribute att = attribute(target, column.attnum);
    Const* key = makeConst(INT8OID, -1, InvalidOid, sizeof(int64),
                           Int64GetDatum(planned_call_key(target.trigger->tgoid, call)), false,
                           FLOAT8PASSBYVAL);
    List* args = list_make2(key, fallback);
    Oid function = audit_function_oids().planned_stamp;
    if (needs_old(call)) {
        function = audit_function_oids().planned_from_old;
        if (call.value == PlannedValue::Old) {
            args = lappend(args, old_value(target, column.attnum));
            args = lappend(args, null_value(target, column.attnum));
        } else {
            args = lappend(args, old_stamp_argument(target, C::CreatedAt, column));
            args = lappend(args, old_stamp_argument(target, C::UpdatedAt, column));
        }
    }
    return reinterpret_cast<Expr*>(makeFuncExpr(function, att->atttypid, args, att->attcollation,
                                                InvalidOid, COERCE_EXPLICIT_CALL));
}

// Rewrites one INSERT or UPDATE target list; returns it (a new entry may have been appended).
List* stamp_target_list(const Target& target, RowEvent event, List* target_list) {
    StatementShape shape;
    shape.event = event;
    Expr* fallbacks[kAuditColumnCount] = {};
    const ColumnLayout& layout = target.cache->layout;
    for (C c : kAllAuditColumns) {
        const ResolvedColumn& column = layout.column(c);
        shape[c] =
            column.attnum == InvalidAttrNumber
                ? StatementValue::Absent
                : column_value(target, event, target_list, column.attnum, &fallbacks[index_of(c)]);
    }
    const StatementStamps stamps = statement_stamps(target.cache->policy, shape);
    if (!stamps.planned || stamps.writes_nothing())
        return target_list;
    note_planned_statement();
    const bool skippable = !target.trigger_remains;
    uint16 actor_columns = 0;
    for (C c : kAllAuditColumns)
        if (stamps.value(c) == PlannedValue::Actor || stamps.value(c) == PlannedValue::ActorName)
            actor_columns |= static_cast<uint16>(1u << index_of(c));
    bool miss_counted = false;
    for (C c : kAllAuditColumns) {
        const PlannedValue value = stamps.value(c);
        if (shape[c] == StatementValue::Absent || value == PlannedValue::Statement)
            continue;
        PlannedCall call{c, value, event, MissingActorRole::Defers, actor_columns};
        if (skippable && (value == PlannedValue::Actor || value == PlannedValue::ActorName)) {
            call.missing = miss_counted ? MissingActorRole::Follows : MissingActorRole::Counts;
            miss_counted = true;
        }
        const AttrNumber attnum = layout.column(c).attnum;
        Expr* expr = planned_call(target, call, fallbacks[index_of(c)]);
        TargetEntry* tle = entry_for(target_list, attnum);
        if (tle != nullptr)
            tle->expr = expr;
        else
            target_list = lappend(
                target_list,
                makeTargetEntry(expr, attnum, pstrdup(NameStr(attribute(target, attnum)->attname)),
                                false));
    }
    return target_list;
}

bool fires_on(const Trigger* trigger, RowEvent event) {
    return event == RowEvent::Insert ? TRIGGER_FOR_INSERT(trigger->tgtype)
                                     : TRIGGER_FOR_UPDATE(trigger->tgtype);
}

List* stamp_if_fired(const Target& target, RowEvent event, List* target_list) {
    return fires_on(target.trigger, event) && plannable_statement(target, event, target_list)
               ? stamp_target_list(target, event, target_list)
               : target_list;
}

void rewrite_statement(Query* query, const Target& target) {
    switch (query->commandType) {
    case CMD_INSERT:
        query->targetList = stamp_if_fired(target, RowEvent::Insert, query->targetList);
        if (query->onConflict != nullptr && query->onConflict->action == ONCONFLICT_UPDATE)
            query->onConflict->onConflictSet =
                stamp_if_fired(target, RowEvent::Update, query->onConflict->onConflictSet);
        break;
    case CMD_UPDATE: {
        // UPDATE ... FROM: a row joined to several rows of FROM is updated once, but its values
        // are computed once per joined row, and a planned call counting a missing actor would
        // count it as often. The trigger, which fires once per row written, stays and counts.
        Target update = target;
        update.trigger_remains = list_length(query->jointree->fromlist) > 1;
        query->targetList = stamp_if_fired(update, RowEvent::Update, query->targetList);
        break;
    }
    case CMD_MERGE: {
        Target merge = target;
        merge.trigger_remains = true;
        ListCell* cell;
        foreach (cell, query->mergeActionList) {
            auto* action = lfirst_node(MergeAction, cell);
            if (action->commandType == CMD_INSERT)
                action->targetList = stamp_if_fired(merge, RowEvent::Insert, action->targetList);
            else if (action->commandType == CMD_UPDATE)
                action->targetList = stamp_if_fired(merge, RowEvent::Update, action->targetList);
        }
        break;
    }
    default:
        break;
    }
}

} // namespace

void rewrite_for_planner_stamping(Query* query) {
    if (query->commandType == CMD_UTILITY && query->utilityStmt != nullptr &&
        IsA(query->utilityStmt, ExplainStmt)) {
        Node* inner = castNode(ExplainStmt, query->utilityStmt)->query;
        if (inner == nullptr || !IsA(inner, Query))
            return;
        query = castNode(Query, inner);
    }
    if (query->commandType != CMD_INSERT && query->commandType != CMD_UPDATE &&
        query->commandType != CMD_MERGE)
        return;
    if (query->resultRelation <= 0)
        return;
    const RangeTblEntry* rte = rt_fetch(query->resultRelation, query->rtable);
    // A partitioned table's rows are stamped by its partitions' triggers, which must see each row
    // (its partition's trigger may be disabled, errors name the partition, rows move between
    // partitions): only a plain table's statements are planned.
    if (rte->rtekind != RTE_RELATION || rte->relkind != RELKIND_RELATION)
        return;
    if (!OidIsValid(audit_function_oids().stamp))
        return; // the extension is not installed in this database
    Relation rel = relation_open(rte->relid, NoLock); // parse analysis locked it
    const TupleDesc desc = RelationGetDescr(rel);
    const bool generated = desc->constr != nullptr && desc->constr->has_generated_stored;
    const Trigger* trigger =
        rel->rd_rules == nullptr && !generated ? plannable_audit_trigger(rel) : nullptr;
    if (trigger != nullptr) {
        begin_trigger_call();
        const Target target{rel,
                            trigger,
                            trigger_cache_of(rel, trigger),
                            static_cast<Index>(query->resultRelation),
                            rte->inh && rel->rd_rel->relhassubclass,
                            false};
        rewrite_statement(query, target);
        end_trigger_call();
    }
    relation_close(rel, NoLock);
}

} // namespace audit_fields::pg
