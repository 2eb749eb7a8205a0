-- Trust, part 2: a fresh session that sets the actor before anything loaded the library.
-- PostgreSQL keeps such a value as a placeholder, unchecked, until the library loads (when the
-- trigger first fires); the hardening check then runs on it, and a refused value is dropped with a
-- WARNING before any row is written. With the library in shared_preload_libraries the SET itself
-- fails (expected/trust_placeholder_1.out). A value that arrives before the hardening setting
-- (startup packet options are applied before ALTER ROLE settings) is refused when the trigger uses
-- it. Either way no row ever carries the forged actor.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
\set superuser :USER
CREATE SCHEMA trust_placeholder;
CREATE ROLE af_trust_ph_writers NOLOGIN;
CREATE ROLE af_trust_ph_app LOGIN IN ROLE af_trust_ph_writers;
CREATE ROLE af_trust_ph_reporter LOGIN;
GRANT USAGE ON SCHEMA trust_placeholder TO af_trust_ph_app, af_trust_ph_reporter;
CREATE TABLE trust_placeholder.docs (
    id int PRIMARY KEY,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by text NOT NULL,
    updated_by text NOT NULL
);
SELECT audit_fields.enable('trust_placeholder.docs');
GRANT SELECT, INSERT, UPDATE ON trust_placeholder.docs TO af_trust_ph_app, af_trust_ph_reporter;
-- The application's own SECURITY DEFINER function, owned by a member of the writers role.
CREATE FUNCTION trust_placeholder.app_insert(new_id int) RETURNS void LANGUAGE sql
    SECURITY DEFINER SET search_path = pg_catalog
    AS 'INSERT INTO trust_placeholder.docs (id) VALUES (new_id)';
ALTER FUNCTION trust_placeholder.app_insert(int) OWNER TO af_trust_ph_app;
GRANT EXECUTE ON FUNCTION trust_placeholder.app_insert(int) TO af_trust_ph_reporter;
-- Hardening as an administrator would configure it; the reporter falls back to its own name.
ALTER ROLE af_trust_ph_app SET audit_fields.actor_setter_role = 'af_trust_ph_writers';
ALTER ROLE af_trust_ph_reporter SET audit_fields.actor_setter_role = 'af_trust_ph_writers';
ALTER ROLE af_trust_ph_reporter SET audit_fields.missing_actor = 'session_user';

-- 1. session-level SET, then a write
\c - af_trust_ph_reporter
SET audit_fields.actor = 'ceo@example.com';
INSERT INTO trust_placeholder.docs (id) VALUES (1);
SELECT current_setting('audit_fields.actor') AS actor_after_load;

-- 2. SET LOCAL inside the writing transaction
\c - af_trust_ph_reporter
BEGIN;
SET LOCAL audit_fields.actor = 'ceo@example.com';
INSERT INTO trust_placeholder.docs (id) VALUES (2);
COMMIT;

-- 3. the library first loads inside a SECURITY DEFINER function owned by a member: the value
--    must not borrow the owner's membership
\c - af_trust_ph_reporter
SELECT set_config('audit_fields.actor', 'ceo@example.com', false) IS NOT NULL AS placeholder_set;
SELECT trust_placeholder.app_insert(3);

-- 4. enabled = off before the library is loaded
\c - af_trust_ph_reporter
SET audit_fields.enabled = off;
INSERT INTO trust_placeholder.docs (id) VALUES (4);

-- 5. ALTER ROLE ... SET for itself before the library is loaded
\c - af_trust_ph_reporter
ALTER ROLE af_trust_ph_reporter SET audit_fields.actor = 'ceo@example.com';

-- 6. the actor given in the startup packet (PGOPTIONS)
\set conn 'user=af_trust_ph_reporter options=-caudit_fields.actor=ceo@example.com'
\c -reuse-previous=on :conn
INSERT INTO trust_placeholder.docs (id) VALUES (6);

-- 7. the application role, in a fresh session, is not disturbed
\set conn 'user=af_trust_ph_app options=-capplication_name=af_trust'
\c -reuse-previous=on :conn
SET audit_fields.actor = 'alice@example.com';
INSERT INTO trust_placeholder.docs (id) VALUES (7);

\c - :superuser
SET client_min_messages = warning;
SELECT id, created_by, updated_by FROM trust_placeholder.docs ORDER BY id;
SELECT count(*) AS forged_rows FROM trust_placeholder.docs
WHERE 'ceo@example.com' IN (created_by, updated_by);

DROP SCHEMA trust_placeholder CASCADE;
DROP ROLE af_trust_ph_app;
DROP ROLE af_trust_ph_reporter;
DROP ROLE af_trust_ph_writers;
