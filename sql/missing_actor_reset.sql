-- The missing-actor report's table grants PUBLIC nothing but SELECT: an ordinary role cannot lock
-- it in a mode that holds up readers of the report (or its writers), and
-- reset_missing_actor_report() still clears what its caller may clear, judged for the role that
-- calls it (SET ROLE included), without any privilege on the table.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA reset_test;
SET search_path = reset_test;
SET audit_fields.missing_actor_flush_interval = 0;
SELECT audit_fields.reset_missing_actor_report();
CREATE ROLE regress_reset_owner;
CREATE ROLE regress_reset_other;
GRANT USAGE, CREATE ON SCHEMA reset_test TO regress_reset_owner, regress_reset_other;

CREATE TABLE mine (id int, created_at timestamptz, created_by text);
CREATE TABLE mine_gone (LIKE mine);
CREATE TABLE theirs (LIKE mine);
ALTER TABLE mine OWNER TO regress_reset_owner;
ALTER TABLE mine_gone OWNER TO regress_reset_owner;
SELECT audit_fields.enable('mine', missing_actor => 'warn');
SELECT audit_fields.enable('mine_gone', missing_actor => 'warn');
SELECT audit_fields.enable('theirs', missing_actor => 'warn');
CREATE FUNCTION misses() RETURNS TABLE (relation text, misses bigint) LANGUAGE sql AS $$
    SELECT coalesce(c.relname::text, 'a dropped table'), sum(m.misses)::bigint
    FROM audit_fields.missing_actor_misses m LEFT JOIN pg_class c ON c.oid = m.relid
    WHERE c.oid IS NULL OR c.relnamespace = 'reset_test'::regnamespace
    GROUP BY 1 ORDER BY 1 $$;
CREATE PROCEDURE miss_everywhere() LANGUAGE sql AS $$
    INSERT INTO mine (id) VALUES (1);
    INSERT INTO theirs (id) VALUES (1) $$;

-- Privileges on the table: SELECT only.
SELECT grantee, privilege_type FROM information_schema.role_table_grants
WHERE table_schema = 'audit_fields' AND table_name = 'missing_actor_misses' AND grantee = 'PUBLIC'
ORDER BY 2;

-- An ordinary role may read and take ACCESS SHARE (blocks nobody but ACCESS EXCLUSIVE), nothing
-- stronger, and may not delete.
CALL miss_everywhere();
SET ROLE regress_reset_other;
BEGIN;
LOCK TABLE audit_fields.missing_actor_misses IN ACCESS SHARE MODE;
ROLLBACK;
BEGIN;
LOCK TABLE audit_fields.missing_actor_misses IN ACCESS EXCLUSIVE MODE;
ROLLBACK;
BEGIN;
LOCK TABLE audit_fields.missing_actor_misses IN EXCLUSIVE MODE;
ROLLBACK;
BEGIN;
LOCK TABLE audit_fields.missing_actor_misses IN SHARE MODE;
ROLLBACK;
BEGIN;
LOCK TABLE audit_fields.missing_actor_misses IN ROW EXCLUSIVE MODE;
ROLLBACK;
DELETE FROM audit_fields.missing_actor_misses;
\echo :LAST_ERROR_SQLSTATE
-- Nor reset a table it does not own, and reset() clears nothing (it owns no counted table).
SELECT audit_fields.reset_missing_actor_report('mine');
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.reset_missing_actor_report();
RESET ROLE;
SELECT * FROM misses();

-- A table's owner, reached by SET ROLE from a superuser's session (judged as the role it is, not
-- as the session's superuser): reset() clears the tables it owns, a dropped one's rows stay
-- (it has no owner left), and reset(rel) of another's table is refused.
INSERT INTO mine_gone (id) VALUES (1);
SELECT 'mine_gone'::regclass::oid AS gone_oid \gset
DROP TABLE mine_gone;
SELECT * FROM misses();
SET ROLE regress_reset_owner;
SELECT audit_fields.reset_missing_actor_report('theirs');
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.reset_missing_actor_report();
RESET ROLE;
SELECT * FROM misses();
-- reset(rel) by its owner clears that table only.
CALL miss_everywhere();
SET ROLE regress_reset_owner;
SELECT audit_fields.reset_missing_actor_report('mine');
RESET ROLE;
SELECT * FROM misses();
-- A member of the owner's role may reset it too (pg_has_role(..., 'USAGE')).
CALL miss_everywhere();
GRANT regress_reset_owner TO regress_reset_other;
SET ROLE regress_reset_other;
SELECT audit_fields.reset_missing_actor_report('mine');
RESET ROLE;
REVOKE regress_reset_owner FROM regress_reset_other;
SELECT * FROM misses();
-- With row_security off, a role row security applies to gets the error a query would.
SET ROLE regress_reset_owner;
SET row_security = off;
SELECT audit_fields.reset_missing_actor_report();
\echo :LAST_ERROR_SQLSTATE
RESET row_security;
RESET ROLE;
-- Inside another role's SECURITY DEFINER function, the caller is that function's owner.
CREATE FUNCTION reset_as_owner() RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog AS $$ SELECT audit_fields.reset_missing_actor_report() $$;
ALTER FUNCTION reset_as_owner() OWNER TO regress_reset_owner;
CALL miss_everywhere();
SELECT reset_as_owner();
SELECT * FROM misses();
-- A superuser clears everything, dropped tables' rows included.
SELECT audit_fields.reset_missing_actor_report();
SELECT count(*) AS rows_left FROM audit_fields.missing_actor_misses WHERE relid = :gone_oid;
SELECT * FROM misses();

DROP SCHEMA reset_test CASCADE;
DROP ROLE regress_reset_owner;
DROP ROLE regress_reset_other;
