-- Hostile inputs: actor values and tables that try to crash the backend or half-write a row.
-- Each gets a clear error or a documented behaviour, and the session (the backend) survives.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA hostile;
SET search_path = hostile;

CREATE TABLE notes (
    id int PRIMARY KEY,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by text NOT NULL,
    created_by_name text,
    updated_by text NOT NULL,
    updated_by_name text
);
SELECT audit_fields.enable('notes');

-- Actors are data, never SQL: quotes, backslashes, injection attempts, control characters.
SELECT audit_fields.set_actor($$o'brien"; DROP TABLE hostile.notes; --$$, E'back\\slash \'quoted\'',
                              false);
INSERT INTO notes (id) VALUES (1);
SELECT set_config('audit_fields.actor', E'\x01\x02\x7f\t\r\n end', false) IS NOT NULL AS set;
INSERT INTO notes (id) VALUES (2);
SELECT set_config('audit_fields.actor', 'Zoë 🦄 ñ 日本', false) IS NOT NULL AS set;
SET audit_fields.actor_name = '';
INSERT INTO notes (id) VALUES (3);
SELECT id, created_by, created_by_name, octet_length(created_by) AS bytes FROM notes ORDER BY id;

-- A 1 MB actor is stored whole (TOASTed), in both columns, in one row.
SELECT set_config('audit_fields.actor', repeat('x', 1024 * 1024), false) IS NOT NULL AS set;
INSERT INTO notes (id) VALUES (4);
UPDATE notes SET id = 5 WHERE id = 4;
SELECT id, length(created_by) AS created_len, length(updated_by) AS updated_len,
       created_by = updated_by AS same
FROM notes WHERE id = 5;
RESET audit_fields.actor;
RESET audit_fields.actor_name;

-- Invalid UTF-8 never gets as far as the setting: the server rejects the bytes first.
SET audit_fields.actor = E'\xc3\x28';
SELECT set_config('audit_fields.actor', convert_from('\xc328'::bytea, 'UTF8'), false);
SELECT set_config('audit_fields.actor', E'nul\x00byte', false);
SHOW audit_fields.actor;

-- Actor values that do not fit the column's type: an error naming the column, nothing written.
CREATE TABLE typed (
    id int PRIMARY KEY,
    created_at timestamptz,
    updated_at timestamptz,
    created_by uuid,
    updated_by bigint,
    created_by_name varchar(10)
);
SELECT audit_fields.enable('typed');
BEGIN;
SET LOCAL audit_fields.actor = 'not-a-uuid';
INSERT INTO typed (id) VALUES (1);
ROLLBACK;
BEGIN;
SET LOCAL audit_fields.actor = '6f1c1a9e-3b8e-4c1e-9d1e-0c6f2b7a9e10';
SAVEPOINT retry;
INSERT INTO typed (id) VALUES (1); -- the name falls back to the actor: 36 characters
ROLLBACK TO retry;
SET LOCAL audit_fields.actor_name = 'Alice';
INSERT INTO typed (id) VALUES (1); -- updated_by is bigint
ROLLBACK;
BEGIN;
SET LOCAL audit_fields.actor = '6f1c1a9e-3b8e-4c1e-9d1e-0c6f2b7a9e10';
SET LOCAL audit_fields.actor_name = 'Alice';
ALTER TABLE typed ALTER COLUMN updated_by TYPE text;
INSERT INTO typed (id) VALUES (1);
SELECT created_by, updated_by, created_by_name FROM typed;
ROLLBACK;
-- "char" holds one byte: not a column an identity fits in
CREATE TABLE typed_char (id int, created_at timestamptz, created_by_name "char");
SELECT audit_fields.enable('typed_char');
CREATE TABLE typed_int (id int, created_at timestamptz, created_by int);
SELECT audit_fields.enable('typed_int');
BEGIN;
SET LOCAL audit_fields.actor = '99999999999';
INSERT INTO typed_int (id) VALUES (1);
ROLLBACK;
BEGIN;
SET LOCAL audit_fields.actor = '12abc';
INSERT INTO typed_int (id) VALUES (1);
ROLLBACK;
BEGIN;
SET LOCAL audit_fields.actor = '42';
INSERT INTO typed_int (id) VALUES (1);
SELECT id, created_by FROM typed_int;
ROLLBACK;
CREATE TABLE short_names (id int, created_at timestamptz, created_by_name varchar(10));
SELECT audit_fields.enable('short_names');
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
SET LOCAL audit_fields.actor_name = 'Alice Wonderland-Longname';
INSERT INTO short_names (id) VALUES (1);
ROLLBACK;
-- multibyte characters count as characters: 12 are refused, 10 fit
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
SET LOCAL audit_fields.actor_name = 'Zoë Ångström';
INSERT INTO short_names (id) VALUES (1);
ROLLBACK;
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
SET LOCAL audit_fields.actor_name = 'Zoë Ångstr';
INSERT INTO short_names (id) VALUES (2);
SELECT id, created_by_name FROM short_names;
ROLLBACK;
SELECT count(*) AS half_written FROM typed;

-- Objects that are not plain tables are refused by enable(), naming what they are.
CREATE VIEW notes_view AS SELECT * FROM notes;
SELECT audit_fields.enable('notes_view');
CREATE MATERIALIZED VIEW notes_mv AS SELECT * FROM notes;
SELECT audit_fields.enable('notes_mv');
CREATE SEQUENCE a_sequence;
SELECT audit_fields.enable('a_sequence');
CREATE INDEX notes_created ON notes (created_at);
SELECT audit_fields.enable('notes_created');
CREATE FOREIGN DATA WRAPPER hostile_fdw;
CREATE SERVER hostile_server FOREIGN DATA WRAPPER hostile_fdw;
CREATE FOREIGN TABLE remote_notes (id int, created_at timestamptz, updated_at timestamptz)
    SERVER hostile_server;
SELECT audit_fields.enable('remote_notes');
CREATE TYPE a_type AS (created_at timestamptz, updated_at timestamptz);
SELECT audit_fields.enable('hostile.a_type');
SELECT audit_fields.enable(NULL);
SELECT audit_fields.enable('hostile.no_such_table');
SELECT audit_fields.enable(0);

-- A temporary table can be enabled and is stamped like any other.
CREATE TEMP TABLE scratch (id int, created_at timestamptz, updated_at timestamptz, created_by text);
SELECT audit_fields.enable('scratch');
SET audit_fields.actor = 'temp-user';
INSERT INTO scratch (id) VALUES (1);
SELECT id, created_by, created_at <= now() AND created_at = updated_at AS stamped FROM scratch;
RESET audit_fields.actor;
DROP TABLE scratch;

-- Dropped columns shift nothing: the trigger finds columns by name, after every ALTER.
CREATE TABLE shifting (a int, b text, created_at timestamptz, c int, created_by text,
                       updated_at timestamptz, d text);
SELECT audit_fields.enable('shifting');
SET audit_fields.actor = 'shifter';
INSERT INTO shifting (a, b, c, d) VALUES (1, 'b', 3, 'd');
ALTER TABLE shifting DROP COLUMN b;
ALTER TABLE shifting DROP COLUMN c;
INSERT INTO shifting (a, d) VALUES (2, 'dd');
UPDATE shifting SET d = 'updated' WHERE a = 1;
ALTER TABLE shifting ADD COLUMN updated_by text;
UPDATE shifting SET d = 'again' WHERE a = 2;
SELECT a, d, created_by, updated_by, created_at <= updated_at AS ordered FROM shifting ORDER BY a;
-- dropping an audit column the trigger uses: the next row is stamped without it
ALTER TABLE shifting DROP COLUMN created_by;
INSERT INTO shifting (a, d) VALUES (3, 'ddd');
SELECT a, d, updated_by FROM shifting ORDER BY a;
-- changing its type to one the trigger cannot stamp: a clear error, no row
ALTER TABLE shifting ALTER COLUMN updated_at TYPE date;
INSERT INTO shifting (a, d) VALUES (4, 'dddd');
RESET audit_fields.actor;

-- Columns of the wrong type are refused by enable(), naming the column.
CREATE TABLE wrong_types (id int, created_at text, updated_at timestamptz);
SELECT audit_fields.enable('wrong_types');
CREATE TABLE wrong_actor (id int, created_at timestamptz, created_by text[]);
SELECT audit_fields.enable('wrong_actor');
-- any scalar type with an input function is usable (docs/contract.md); the actor must then parse as one
CREATE TABLE json_actor (id int, created_at timestamptz, created_by jsonb);
SELECT audit_fields.enable('json_actor');
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
INSERT INTO json_actor (id) VALUES (1);
ROLLBACK;
BEGIN;
SET LOCAL audit_fields.actor = '{"user": "alice", "tenant": 7}';
INSERT INTO json_actor (id) VALUES (1);
SELECT created_by->>'user' AS json_user FROM json_actor;
ROLLBACK;
CREATE TABLE wrong_bool (id int, updated_at timestamptz, updated_by_name boolean);
SELECT audit_fields.enable('wrong_bool');

-- Generated columns cannot be stamped.
CREATE TABLE generated (id int, updated_at timestamptz,
                        created_at timestamptz GENERATED ALWAYS AS (updated_at) STORED);
SELECT audit_fields.enable('generated');

-- Column names that look like options, or like SQL, are only names.
CREATE TABLE odd_names (
    id int,
    "stamp_mode=fill" timestamptz,
    "Updated At" timestamptz,
    "who'; DROP TABLE hostile.notes; --" text
);
SELECT audit_fields.enable('odd_names', column_map => '{"created_at": "stamp_mode=fill",
    "updated_at": "Updated At", "created_by": "who''; DROP TABLE hostile.notes; --"}');
SELECT stamp_mode, columns->>'created_at' AS created_at, columns->>'created_by' AS created_by
FROM audit_fields.tables WHERE table_name = 'odd_names';
SET audit_fields.actor = 'odd';
INSERT INTO odd_names (id) VALUES (1);
SELECT id, "who'; DROP TABLE hostile.notes; --" AS who,
       "stamp_mode=fill" = "Updated At" AS same_clock FROM odd_names;
RESET audit_fields.actor;
-- options smuggled through column_map keys or values
SELECT audit_fields.enable('notes', column_map => '{"stamp_mode": "fill"}');
SELECT audit_fields.enable('notes', column_map => '{"created_by": "x=y"}');
SELECT audit_fields.enable('notes', column_map => '{"created_by": ""}');
SELECT audit_fields.enable('notes', column_map => '{"created_by": 42}');
SELECT audit_fields.enable('notes', column_map => '[1, 2]');
SELECT audit_fields.enable('notes', column_map => 'null');
SELECT audit_fields.enable('notes', column_map => '{"created_by": "updated_by"}');
SELECT audit_fields.enable('notes', column_map => json_build_object('created_by', repeat('n', 64))::jsonb);
SELECT audit_fields.enable('notes', column_map => json_build_object('created_by', repeat('é', 40))::jsonb);
SELECT audit_fields.enable('notes', stamp_mode => NULL);
SELECT audit_fields.enable('notes', soft_delete => NULL);
SELECT audit_fields.enable('notes', on_created_change => 'ignore');
SELECT audit_fields.enable('notes', soft_delete => true);
SELECT audit_fields._plan_trigger('notes', ARRAY[NULL]::text[]);
SELECT audit_fields._plan_trigger('notes', NULL);
SELECT audit_fields._plan_trigger('notes', array_fill('stamp_mode=fill'::text, ARRAY[100]));
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'notes'::regclass;

-- Hand-written CREATE TRIGGER with garbage arguments: refused when the trigger first fires,
-- naming the trigger and the table, and nothing is written.
CREATE TABLE by_hand (id int, created_at timestamptz, updated_at timestamptz, created_by text,
                      deleted_at timestamptz);
CREATE TRIGGER t_garbage BEFORE INSERT ON by_hand
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp('garbage');
INSERT INTO by_hand (id) VALUES (1);
DROP TRIGGER t_garbage ON by_hand;
CREATE TRIGGER t_bad_value BEFORE INSERT ON by_hand
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp('stamp_mode=sometimes');
INSERT INTO by_hand (id) VALUES (1);
DROP TRIGGER t_bad_value ON by_hand;
CREATE TRIGGER t_twice BEFORE INSERT ON by_hand
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp('stamp_mode=fill', 'stamp_mode=force');
INSERT INTO by_hand (id) VALUES (1);
DROP TRIGGER t_twice ON by_hand;
CREATE TRIGGER t_empty BEFORE INSERT ON by_hand
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp('', '=', '==');
INSERT INTO by_hand (id) VALUES (1);
DROP TRIGGER t_empty ON by_hand;
-- a mapping to a column the table lacks is treated like a dropped audit column: that column is
-- not stamped, and created_by (mapped away) is the client's; audit_fields.enable() refuses it
CREATE TRIGGER t_missing_column BEFORE INSERT ON by_hand
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp('created_by=no_such_column');
SET audit_fields.actor = 'hand';
INSERT INTO by_hand (id) VALUES (1);
SELECT id, created_by FROM by_hand;
TRUNCATE by_hand;
DROP TRIGGER t_missing_column ON by_hand;
DO $$
BEGIN
    EXECUTE format('CREATE TRIGGER t_long BEFORE INSERT ON hostile.by_hand FOR EACH ROW '
                   'EXECUTE FUNCTION audit_fields.stamp(%L)', 'created_by=' || repeat('x', 5000));
END $$;
INSERT INTO by_hand (id) VALUES (1);
DROP TRIGGER t_long ON by_hand;
DO $$
BEGIN
    EXECUTE format('CREATE TRIGGER t_many BEFORE INSERT ON hostile.by_hand FOR EACH ROW '
                   'EXECUTE FUNCTION audit_fields.stamp(%s)',
                   (SELECT string_agg(quote_literal('stamp_mode=force'), ', ')
                    FROM generate_series(1, 90)));
END $$;
INSERT INTO by_hand (id) VALUES (1);
DROP TRIGGER t_many ON by_hand;
-- soft_delete by hand on a table whose deleted_at is missing
CREATE TABLE no_deleted_at (id int, created_at timestamptz, updated_at timestamptz);
INSERT INTO no_deleted_at VALUES (1, now(), now());
CREATE TRIGGER t_soft BEFORE DELETE ON no_deleted_at
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp('soft_delete=true');
DELETE FROM no_deleted_at;
SELECT count(*) AS still_there FROM no_deleted_at;

-- The trigger attached the wrong way by hand: a clear error when it fires, nothing written.
CREATE TRIGGER t_after AFTER INSERT ON by_hand
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp();
INSERT INTO by_hand (id) VALUES (1);
DROP TRIGGER t_after ON by_hand;
CREATE TRIGGER t_statement BEFORE INSERT ON by_hand
    FOR EACH STATEMENT EXECUTE FUNCTION audit_fields.stamp();
INSERT INTO by_hand (id) VALUES (1);
DROP TRIGGER t_statement ON by_hand;
CREATE TRIGGER t_truncate BEFORE TRUNCATE ON by_hand
    FOR EACH STATEMENT EXECUTE FUNCTION audit_fields.stamp();
TRUNCATE by_hand;
DROP TRIGGER t_truncate ON by_hand;
CREATE VIEW by_hand_view AS SELECT * FROM by_hand;
CREATE TRIGGER t_instead INSTEAD OF INSERT ON by_hand_view
    FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp();
INSERT INTO by_hand_view (id) VALUES (1);
DROP VIEW by_hand_view;
SELECT count(*) AS half_written FROM by_hand;
-- called as a plain function
SELECT audit_fields.stamp();
RESET audit_fields.actor;

-- The backend survived everything above.
SELECT pg_backend_pid() = pg_backend_pid() AS alive, count(*) AS notes FROM notes;

RESET search_path;
DROP SCHEMA hostile CASCADE;
DROP SERVER hostile_server;
DROP FOREIGN DATA WRAPPER hostile_fdw;
