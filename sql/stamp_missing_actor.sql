-- audit_fields.missing_actor: what happens when a row needs an actor and none is set.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_missing_actor;
SET search_path = stamp_missing_actor;

CREATE TABLE orders (
    id int PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    created_by text,
    created_by_name text,
    updated_by text NOT NULL DEFAULT 'nobody',
    updated_by_name text
);
SELECT audit_fields.enable('orders');
SHOW audit_fields.missing_actor;

-- reject (default): 23502, naming the table, the operation and how to set the actor; nothing
-- is written.
INSERT INTO orders (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM orders;
-- An empty actor is no actor.
SET audit_fields.actor = '';
INSERT INTO orders (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
-- A multi-row statement fails as a whole.
SET audit_fields.enabled = off;
INSERT INTO orders (id, updated_by) VALUES (10, 'seed');
RESET audit_fields.enabled;
INSERT INTO orders (id) VALUES (2), (3);
\echo :LAST_ERROR_SQLSTATE
UPDATE orders SET id = id WHERE id = 10;
\echo :LAST_ERROR_SQLSTATE
SELECT id, updated_by FROM orders ORDER BY id;
-- A name alone is not an actor.
SET audit_fields.actor_name = 'Someone';
INSERT INTO orders (id) VALUES (4);
\echo :LAST_ERROR_SQLSTATE
RESET audit_fields.actor_name;
RESET audit_fields.actor;

-- Rows that need no actor are not refused: a table without actor columns, or fill mode with
-- every actor column supplied.
CREATE TABLE times_only (id int, created_at timestamptz, updated_at timestamptz);
SELECT audit_fields.enable('times_only');
INSERT INTO times_only (id) VALUES (1);
UPDATE times_only SET id = 2;
SELECT id, created_at IS NOT NULL AS stamped FROM times_only;
SELECT audit_fields.enable('orders', stamp_mode => 'fill');
INSERT INTO orders (id, created_by, created_by_name, updated_by, updated_by_name)
VALUES (5, 'batch', 'Batch', 'batch', 'Batch');
SELECT id, created_by, updated_by FROM orders WHERE id = 5;
-- ...but a fill-mode row that leaves one actor column NULL needs the actor.
INSERT INTO orders (id, created_by, updated_by) VALUES (6, 'batch', 'batch');
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.enable('orders');

-- session_user: the session's user fills the actor and the name (superuser setting).
SET audit_fields.missing_actor = 'session_user';
INSERT INTO orders (id) VALUES (7);
SELECT created_by = session_user AS by_session_user, created_by_name = session_user AS name_too,
       updated_by = session_user AS updated_too
FROM orders WHERE id = 7;
SELECT audit_fields.current_actor() = session_user AS current_actor_is_session_user;
-- An actor that is set still wins.
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
INSERT INTO orders (id) VALUES (8);
SELECT created_by, created_by_name FROM orders WHERE id = 8;
COMMIT;
-- SET ROLE does not change session_user.
CREATE ROLE regress_stamp_missing_actor_role;
GRANT USAGE ON SCHEMA stamp_missing_actor TO regress_stamp_missing_actor_role;
GRANT INSERT, SELECT ON orders TO regress_stamp_missing_actor_role;
SET ROLE regress_stamp_missing_actor_role;
INSERT INTO orders (id) VALUES (9);
RESET ROLE;
SELECT created_by = session_user AS by_session_user FROM orders WHERE id = 9;

-- allow: the *_by columns are left NULL; a NOT NULL actor column then fails as NOT NULL does.
SET audit_fields.missing_actor = 'allow';
CREATE TABLE loose (id int, created_at timestamptz, updated_at timestamptz, created_by text,
                    created_by_name text, updated_by text);
SELECT audit_fields.enable('loose');
INSERT INTO loose (id, created_by, created_by_name, updated_by) VALUES (1, 'forged', 'Forged', 'forged');
SELECT id, created_by, created_by_name, updated_by, created_at IS NOT NULL AS stamped FROM loose;
SELECT audit_fields.current_actor() IS NULL AS no_current_actor;
\set VERBOSITY terse
INSERT INTO orders (id) VALUES (11);
\set VERBOSITY default
\echo :LAST_ERROR_SQLSTATE
RESET audit_fields.missing_actor;

-- missing_actor is superuser-only: an ordinary role cannot loosen it.
SET ROLE regress_stamp_missing_actor_role;
SET audit_fields.missing_actor = 'allow';
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

RESET search_path;
DROP SCHEMA stamp_missing_actor CASCADE;
DROP ROLE regress_stamp_missing_actor_role;
