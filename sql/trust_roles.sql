-- Trust, part 1: who may claim to be whom (docs/contract.md "Hardening"), and who may switch enforcement off.
-- audit_fields.actor_setter_role restricts audit_fields.actor/actor_name to members of a role;
-- every way an ordinary login could set a value anyway is tried here and must be refused.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA trust_roles;
SET search_path = trust_roles;

CREATE ROLE af_trust_writers NOLOGIN;
CREATE ROLE af_trust_app LOGIN IN ROLE af_trust_writers;
CREATE ROLE af_trust_reporter LOGIN;
GRANT USAGE, CREATE ON SCHEMA trust_roles TO af_trust_app, af_trust_reporter;

CREATE TABLE docs (
    id int PRIMARY KEY,
    body text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by text NOT NULL,
    created_by_name text,
    updated_by text NOT NULL,
    updated_by_name text
);
SELECT audit_fields.enable('docs');
GRANT SELECT, INSERT, UPDATE, DELETE ON docs TO af_trust_app, af_trust_reporter;

-- Only a superuser may turn the hardening on or off.
SET ROLE af_trust_reporter;
SET audit_fields.actor_setter_role = '';
RESET ROLE;
SET audit_fields.actor_setter_role = 'af_trust_writers';

-- An ordinary login is refused, with a clear error, whichever way it tries.
SET ROLE af_trust_reporter;
SET audit_fields.actor = 'ceo@example.com';
SET audit_fields.actor_name = 'The CEO';
BEGIN;
SET LOCAL audit_fields.actor = 'ceo@example.com';
ROLLBACK;
SELECT set_config('audit_fields.actor', 'ceo@example.com', false);
SELECT set_config('audit_fields.actor', 'ceo@example.com', true);
SELECT audit_fields.set_actor('ceo@example.com', 'The CEO');
-- a function's SET clause: refused when the function is created ...
CREATE FUNCTION forge() RETURNS void LANGUAGE sql
    SET audit_fields.actor = 'ceo@example.com'
    AS 'INSERT INTO trust_roles.docs (id) VALUES (100)';
-- ... a SECURITY DEFINER function it owns runs as itself, and is refused too ...
CREATE FUNCTION forge_definer() RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    PERFORM set_config('audit_fields.actor', 'ceo@example.com', true);
    INSERT INTO trust_roles.docs (id) VALUES (101);
    RETURN current_setting('audit_fields.actor');
END $$;
SELECT forge_definer();
-- ... ALTER FUNCTION ... SET on a function it owns ...
CREATE FUNCTION own_function() RETURNS void LANGUAGE sql AS 'SELECT';
ALTER FUNCTION own_function() SET audit_fields.actor = 'ceo@example.com';
-- ... the pg_settings view ...
UPDATE pg_settings SET setting = 'ceo@example.com' WHERE name = 'audit_fields.actor';
-- ... and ALTER ROLE ... SET, which an ordinary role may do for itself.
ALTER ROLE af_trust_reporter SET audit_fields.actor = 'ceo@example.com';
ALTER ROLE af_trust_reporter SET audit_fields.actor_name = 'The CEO';
SELECT count(*) AS reporter_settings FROM pg_db_role_setting
WHERE setrole = 'af_trust_reporter'::regrole;
-- Clearing the actor is always allowed, and without an actor nothing is written.
RESET audit_fields.actor;
SET audit_fields.actor = '';
INSERT INTO docs (id) VALUES (1);
SELECT current_setting('audit_fields.actor') AS actor_seen_by_reporter;
RESET ROLE;

-- A function created by a superuser with a SET clause is judged by its caller (it is not
-- SECURITY DEFINER), so it does not lend the superuser's right to an ordinary role.
CREATE FUNCTION trust_roles.with_actor() RETURNS text LANGUAGE sql
    SET audit_fields.actor = 'batch@example.com'
    AS $$SELECT current_setting('audit_fields.actor')$$;
GRANT EXECUTE ON FUNCTION trust_roles.with_actor() TO af_trust_reporter;
SET ROLE af_trust_reporter;
SELECT trust_roles.with_actor();
RESET ROLE;

-- The application role (a member of af_trust_writers) can, by every route.
SET ROLE af_trust_app;
BEGIN;
SET LOCAL audit_fields.actor = 'alice@example.com';
SET LOCAL audit_fields.actor_name = 'Alice';
INSERT INTO docs (id, body) VALUES (2, 'by alice');
COMMIT;
BEGIN;
SELECT audit_fields.set_actor('bob@example.com', 'Bob');
UPDATE docs SET body = 'by bob' WHERE id = 2;
COMMIT;
SELECT set_config('audit_fields.actor', 'carol@example.com', false);
INSERT INTO docs (id, body) VALUES (3, 'by carol');
RESET audit_fields.actor;
RESET ROLE;
SELECT id, body, created_by, created_by_name, updated_by, updated_by_name,
       created_at <= updated_at AS ordered
FROM docs ORDER BY id;

-- A value set before the hardening took effect is judged when it is used, by who set it.
RESET audit_fields.actor_setter_role;
SET ROLE af_trust_reporter;
SET audit_fields.actor = 'ceo@example.com';
RESET ROLE;
SET audit_fields.actor_setter_role = 'af_trust_writers';
SET ROLE af_trust_reporter;
INSERT INTO docs (id) VALUES (103);
RESET audit_fields.actor;
RESET ROLE;

-- A role name that does not exist fails closed: nobody may set the actor, superusers included.
SET audit_fields.actor_setter_role = 'af_trust_no_such_role';
SET ROLE af_trust_app;
SET audit_fields.actor = 'alice@example.com';
RESET ROLE;
SET audit_fields.actor = 'admin@example.com';
SET audit_fields.actor_setter_role = 'af_trust_writers';

-- audit_fields.enabled = off stays superuser-only, by every route.
SET ROLE af_trust_reporter;
SET audit_fields.enabled = off;
BEGIN;
SET LOCAL audit_fields.enabled = off;
ROLLBACK;
SELECT set_config('audit_fields.enabled', 'off', true);
ALTER ROLE af_trust_reporter SET audit_fields.enabled = off;
CREATE FUNCTION bypass() RETURNS void LANGUAGE sql
    SET audit_fields.enabled = off
    AS 'INSERT INTO trust_roles.docs (id) VALUES (102)';
-- missing_actor and replication mode are superuser-only as well
SET audit_fields.missing_actor = 'allow';
SET session_replication_role = replica;
SHOW audit_fields.enabled;

-- A non-owner can neither drop nor disable the trigger, nor reconfigure it.
ALTER TABLE docs DISABLE TRIGGER zz_audit_fields;
ALTER TABLE docs DISABLE TRIGGER ALL;
DROP TRIGGER zz_audit_fields ON docs;
SELECT audit_fields.disable('docs');
SELECT audit_fields.enable('docs', stamp_mode => 'fill');
RESET ROLE;
SELECT relation, stamp_mode, trigger_enabled FROM audit_fields.tables
WHERE schema_name = 'trust_roles';

-- Nothing the reporter tried reached the table.
SELECT count(*) AS rows_written_by_reporter FROM docs WHERE id >= 100 OR id = 1;
SELECT count(*) AS forged_rows FROM docs
WHERE 'ceo@example.com' IN (created_by, updated_by) OR 'The CEO' IN (created_by_name, updated_by_name);

RESET audit_fields.actor_setter_role;
RESET search_path;
DROP SCHEMA trust_roles CASCADE;
DROP OWNED BY af_trust_app, af_trust_reporter;
DROP ROLE af_trust_app;
DROP ROLE af_trust_reporter;
DROP ROLE af_trust_writers;
