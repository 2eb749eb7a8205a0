-- The missing-actor report's table loses PUBLIC's DELETE privilege: DELETE also lets a role
-- LOCK TABLE audit_fields.missing_actor_misses in any mode (ACCESS EXCLUSIVE blocks every reader
-- of the report view) for as long as it keeps its transaction open. SELECT remains, which allows
-- only ACCESS SHARE, a mode that blocks no reader or writer.
-- The reset no longer needs the privilege: it is a C function that judges its caller exactly as
-- the 1.2 SQL function and its row-level security did, and deletes as the table's owner
-- (src/extension/missing_actor_reset.cpp). The DELETE policy stays, for a role an administrator
-- grants DELETE to.
REVOKE DELETE ON audit_fields.missing_actor_misses FROM PUBLIC;

CREATE OR REPLACE FUNCTION audit_fields.reset_missing_actor_report(rel regclass DEFAULT NULL)
    RETURNS void
    AS 'MODULE_PATHNAME', 'audit_fields_reset_missing_actor_report'
    LANGUAGE c VOLATILE;
COMMENT ON FUNCTION audit_fields.reset_missing_actor_report(regclass) IS
'Clears the missing-actor report for one table (its owner), or for every table the caller owns (NULL; a superuser: everything). Needs no privilege on the report''s table. Counts other sessions hold in memory and have not written yet still arrive later.';
