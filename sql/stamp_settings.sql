-- The settings the trigger reads: audit_fields.clock, audit_fields.enabled,
-- session_replication_role, and the actor API (set_actor, current_actor, SET LOCAL scope).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_settings;
SET search_path = stamp_settings;

CREATE TABLE ticks (id int, created_at timestamptz, updated_at timestamptz, created_by text,
                    updated_by text, local_at timestamp);
SELECT audit_fields.enable('ticks', column_map => '{"deleted_at": "local_at"}');
SET audit_fields.actor = 'clock@example.com';

-- transaction (default): now().
SHOW audit_fields.clock;
BEGIN;
SELECT pg_sleep(0.002) IS NOT NULL AS slept;
INSERT INTO ticks (id) VALUES (1)
RETURNING created_at = now() AS is_now, created_at < statement_timestamp() AS before_statement;
COMMIT;

-- statement: statement_timestamp(), the same for every row of the statement.
BEGIN;
SET LOCAL audit_fields.clock = 'statement';
SELECT pg_sleep(0.002) IS NOT NULL AS slept;
INSERT INTO ticks (id) VALUES (2), (3)
RETURNING id, created_at = statement_timestamp() AS is_statement, created_at > now() AS after_now;
COMMIT;

-- clock: clock_timestamp() when the row is written; rows of one statement differ, and
-- created_at = updated_at within a row.
BEGIN;
SET LOCAL audit_fields.clock = 'clock';
INSERT INTO ticks (id) VALUES (4), ((SELECT 5 FROM pg_sleep(0.002)))
RETURNING id, created_at >= statement_timestamp() AS after_statement_start,
          created_at = updated_at AS same_in_row;
SELECT count(DISTINCT created_at) AS distinct_times FROM ticks WHERE id IN (4, 5);
COMMIT;
SET audit_fields.clock = 'sundial';

-- A timestamp (without time zone) column holds the session's local time; changing TimeZone
-- later does not change stored values.
BEGIN;
SET LOCAL TimeZone = 'Pacific/Auckland';
UPDATE ticks SET local_at = '2000-01-01' WHERE id = 1;
SELECT local_at = now()::timestamp AS auckland_local,
       local_at = (now() AT TIME ZONE 'UTC') AS utc_local
FROM ticks WHERE id = 1;
COMMIT;

-- audit_fields.enabled = off (superuser): rows pass through untouched, INSERT and UPDATE.
SET audit_fields.enabled = off;
INSERT INTO ticks (id, created_at, updated_at, created_by, updated_by)
VALUES (10, '2000-01-01 00:00+00', '2000-01-01 00:00+00', 'restored', 'restored');
UPDATE ticks SET created_by = 'restored too' WHERE id = 1;
RESET audit_fields.enabled;
SELECT id, created_at = '2000-01-01 00:00+00' AS kept, created_by, updated_by
FROM ticks WHERE id IN (1, 10) ORDER BY id;
-- SET LOCAL scope: off for one transaction only.
BEGIN;
SET LOCAL audit_fields.enabled = off;
INSERT INTO ticks (id, created_by) VALUES (11, 'raw');
COMMIT;
INSERT INTO ticks (id, created_by) VALUES (12, 'raw');
SELECT id, created_by, created_at IS NULL AS unstamped FROM ticks WHERE id IN (11, 12) ORDER BY id;

-- An ordinary role can never bypass: not with SET, SET LOCAL, set_config or a function's SET.
CREATE ROLE regress_stamp_settings_user;
GRANT USAGE, CREATE ON SCHEMA stamp_settings TO regress_stamp_settings_user;
GRANT SELECT, INSERT, UPDATE ON ticks TO regress_stamp_settings_user;
SET ROLE regress_stamp_settings_user;
SET audit_fields.enabled = off;
\echo :LAST_ERROR_SQLSTATE
BEGIN;
SET LOCAL audit_fields.enabled = off;
ROLLBACK;
SELECT set_config('audit_fields.enabled', 'off', true);
\echo :LAST_ERROR_SQLSTATE
CREATE FUNCTION sneaky() RETURNS void LANGUAGE sql SET audit_fields.enabled = off AS 'SELECT';
\echo :LAST_ERROR_SQLSTATE
SET session_replication_role = replica;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO ticks (id, created_by) VALUES (13, 'forged');
SELECT created_by, created_at IS NOT NULL AS stamped FROM ticks WHERE id = 13;
-- The ordinary role can choose its clock (PGC_USERSET).
SET audit_fields.clock = 'statement';
RESET audit_fields.clock;
RESET ROLE;
SHOW audit_fields.enabled;

-- session_replication_role = replica (logical replication apply): the trigger does not fire,
-- replicated values arrive unchanged.
SET session_replication_role = replica;
INSERT INTO ticks (id, created_at, created_by) VALUES (20, '2001-01-01 00:00+00', 'publisher');
UPDATE ticks SET created_by = 'publisher v2' WHERE id = 20;
RESET session_replication_role;
SELECT created_at = '2001-01-01 00:00+00' AS kept, created_by, updated_at, updated_by
FROM ticks WHERE id = 20;
-- ...unless the trigger is made ALWAYS by the administrator.
ALTER TABLE ticks ENABLE ALWAYS TRIGGER zz_audit_fields;
SET session_replication_role = replica;
UPDATE ticks SET created_by = 'publisher v3' WHERE id = 20;
RESET session_replication_role;
SELECT created_by, updated_by FROM ticks WHERE id = 20;
ALTER TABLE ticks ENABLE TRIGGER zz_audit_fields;

-- set_actor(actor, name, is_local) and current_actor().
RESET audit_fields.actor;
SELECT audit_fields.current_actor() IS NULL AS no_actor;
BEGIN;
SELECT audit_fields.set_actor('alice@example.com', 'Alice');
SELECT audit_fields.current_actor(), current_setting('audit_fields.actor_name') AS name;
INSERT INTO ticks (id) VALUES (30);
COMMIT;
SELECT audit_fields.current_actor() IS NULL AS gone_after_commit,
       current_setting('audit_fields.actor_name') = '' AS name_gone;
SELECT created_by FROM ticks WHERE id = 30;
-- is_local => false lasts for the session; a later set_actor without a name clears the name.
SELECT audit_fields.set_actor('bob@example.com', 'Bob', false);
BEGIN;
INSERT INTO ticks (id) VALUES (31);
COMMIT;
SELECT audit_fields.current_actor();
SELECT audit_fields.set_actor('carol@example.com', is_local => false);
SELECT current_setting('audit_fields.actor_name') = '' AS name_cleared;
-- SET LOCAL wins inside its transaction and the session value comes back afterwards.
BEGIN;
SET LOCAL audit_fields.actor = 'dave@example.com';
INSERT INTO ticks (id) VALUES (32);
COMMIT;
INSERT INTO ticks (id) VALUES (33);
SELECT id, created_by FROM ticks WHERE id BETWEEN 31 AND 33 ORDER BY id;
-- A rolled-back set_actor leaves nothing behind.
BEGIN;
SELECT audit_fields.set_actor('eve@example.com', 'Eve', false);
ROLLBACK;
SELECT audit_fields.current_actor();
RESET audit_fields.actor;

RESET search_path;
DROP SCHEMA stamp_settings CASCADE;
DROP OWNED BY regress_stamp_settings_user;
DROP ROLE regress_stamp_settings_user;
