-- The values the row trigger would write, computed in the plan: planner stamping puts calls of
-- these into INSERT, UPDATE, ON CONFLICT DO UPDATE and MERGE on enabled tables (README "Planner
-- stamping"). Arguments: a key (the table's audit_fields trigger, and which column and value, in
-- a code of the extension's own), and the statement's own value, returned where the trigger would
-- not fire (audit_fields.enabled off, session_replication_role = replica).
-- planned_from_old() computes the UPDATE values that depend on the row's OLD values: the clock,
-- never earlier than OLD's created_at and updated_at (old_a, old_b), and OLD's value itself
-- (old_a). Called by hand they refuse anything but a valid trigger, table and column of the right
-- type, and only ever compute the value the trigger would write.
CREATE FUNCTION audit_fields.planned_stamp(key int8, fallback anyelement)
    RETURNS anyelement
    AS 'MODULE_PATHNAME', 'audit_fields_planned_stamp'
    LANGUAGE c VOLATILE;

CREATE FUNCTION audit_fields.planned_from_old(key int8, fallback anyelement, old_a anyelement,
                                              old_b anyelement)
    RETURNS anyelement
    AS 'MODULE_PATHNAME', 'audit_fields_planned_from_old'
    LANGUAGE c VOLATILE;
