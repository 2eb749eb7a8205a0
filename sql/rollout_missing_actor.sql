-- Rolling out: a table's own missing_actor policy, the warn policy, the missing-actor report and
-- set_actor() outside a transaction block.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA rollout;
SET search_path = rollout;
SET application_name = 'rollout_test';
-- Write the counts at every commit that missed an actor, so the report is exact right away.
SET audit_fields.missing_actor_flush_interval = 0;
SELECT audit_fields.reset_missing_actor_report();

CREATE TABLE orders (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz,
                     created_by text, created_by_name text, updated_by text, updated_by_name text);
CREATE TABLE payments (LIKE orders INCLUDING ALL);
CREATE TABLE legacy (LIKE orders INCLUDING ALL);

-- The option: NULL (default) follows the setting; shown in audit_fields.tables.
SELECT audit_fields.enable('orders', missing_actor => 'warn');
SELECT audit_fields.enable('payments');
SELECT audit_fields.enable('legacy', missing_actor => 'allow');
SELECT relation, missing_actor FROM audit_fields.tables
WHERE schema_name = 'rollout' ORDER BY table_name;
-- It lives in the trigger arguments, which dump/restore carry.
SELECT tgrelid::regclass, replace(encode(tgargs, 'escape'), '\000', ' ') AS tgargs FROM pg_trigger
WHERE tgrelid IN ('orders'::regclass, 'payments'::regclass) ORDER BY 1;
SELECT audit_fields.enable('orders', missing_actor => 'ignore');
\echo :LAST_ERROR_SQLSTATE

-- Under the default setting (reject) the warn table writes session_user and warns; the table
-- that follows the setting refuses; the allow table writes NULL.
SHOW audit_fields.missing_actor;
INSERT INTO orders (id) VALUES (1), (2), (3);   -- one WARNING for the statement, three misses
SELECT id, created_by = session_user AS by_session_user, updated_by_name = session_user AS name_too
FROM orders ORDER BY id;
INSERT INTO payments (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy (id) VALUES (1);
SELECT created_by, updated_by FROM legacy;
-- A table's own reject wins over a looser setting, and says where it comes from.
SELECT audit_fields.enable('payments', missing_actor => 'reject');
SET audit_fields.missing_actor = 'allow';
INSERT INTO payments (id) VALUES (1);
RESET audit_fields.missing_actor;
-- Re-running enable() without the option goes back to following the setting.
SELECT audit_fields.enable('payments');
SELECT missing_actor IS NULL AS follows_setting FROM audit_fields.tables
WHERE relation = 'payments'::regclass;

-- The setting itself can be warn: one WARNING per statement and table.
SET audit_fields.missing_actor = 'warn';
SELECT audit_fields.current_actor() = session_user AS current_actor_is_session_user;
INSERT INTO payments (id) VALUES (10), (11);
WITH moved AS (UPDATE payments SET id = id + 10 RETURNING id)
INSERT INTO orders (id) SELECT id FROM moved;    -- two tables: one WARNING each
UPDATE orders SET id = id WHERE id < 3;          -- a new statement warns again
-- An actor that is set is used, and nothing is counted.
BEGIN;
SELECT audit_fields.set_actor('alice@example.com', 'Alice');
INSERT INTO payments (id) VALUES (30);
COMMIT;
SELECT id, created_by FROM payments ORDER BY id;
RESET audit_fields.missing_actor;

-- The report: one row per (table, operation, role, application_name).
SELECT relation, operation, role = session_user AS role_is_session_user, application_name,
       misses, first_seen <= last_seen AS ordered, last_seen <= now() AS in_the_past
FROM audit_fields.missing_actor_report WHERE schema_name = 'rollout'
ORDER BY table_name, operation;

-- A writer's rolled-back misses stay counted (the write was attempted without an actor).
BEGIN;
INSERT INTO orders (id) VALUES (100);
ROLLBACK;
INSERT INTO orders (id) VALUES (101);
SELECT misses FROM audit_fields.missing_actor_report
WHERE relation = 'orders'::regclass AND operation = 'INSERT';

-- A serializable transaction leaves its counts for a later commit (its reads of the report
-- would take predicate locks that could fail the application's commit).
BEGIN ISOLATION LEVEL SERIALIZABLE;
INSERT INTO orders (id) VALUES (102);
COMMIT;
SELECT misses FROM audit_fields.missing_actor_report
WHERE relation = 'orders'::regclass AND operation = 'INSERT';
INSERT INTO orders (id) VALUES (103);
SELECT misses FROM audit_fields.missing_actor_report
WHERE relation = 'orders'::regclass AND operation = 'INSERT';

-- Partitions count as the partitioned table that was enabled; the warning names it.
CREATE TABLE events (id int, region text, created_at timestamptz, updated_at timestamptz,
                     created_by text, updated_by text) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
SELECT audit_fields.enable('events', missing_actor => 'warn');
INSERT INTO events (id, region) VALUES (1, 'eu'), (2, 'us'), (3, 'eu');
SELECT relation, operation, misses FROM audit_fields.missing_actor_report
WHERE schema_name = 'rollout' AND table_name LIKE 'events%';

-- A soft delete under warn is one DELETE miss (the UPDATE it becomes is not counted again).
CREATE TABLE docs (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz,
                   deleted_at timestamptz, created_by text, updated_by text, deleted_by text);
SELECT audit_fields.enable('docs', soft_delete => true, missing_actor => 'warn');
SET audit_fields.enabled = off;
INSERT INTO docs (id) VALUES (1), (2);
RESET audit_fields.enabled;
DELETE FROM docs;
SELECT id, deleted_at IS NOT NULL AS deleted, deleted_by = session_user AS by_session_user,
       updated_by = session_user AS updated_by_session_user
FROM docs ORDER BY id;
SELECT operation, misses FROM audit_fields.missing_actor_report WHERE relation = 'docs'::regclass;

-- An unprivileged login is counted, under its own name, without any right on the report's table.
CREATE ROLE regress_rollout_writer;
GRANT USAGE ON SCHEMA rollout TO regress_rollout_writer;
GRANT INSERT, SELECT ON orders TO regress_rollout_writer;
SET SESSION AUTHORIZATION regress_rollout_writer;
SET application_name = 'writer_app';
INSERT INTO orders (id) VALUES (200);
SELECT created_by FROM orders WHERE id = 200;
SELECT relation, operation, role, application_name, misses
FROM audit_fields.missing_actor_report WHERE role = 'regress_rollout_writer';
-- It cannot forge or remove counts.
INSERT INTO audit_fields.missing_actor_misses VALUES (1, 'orders'::regclass, 'INSERT', 'x', 'x', 1, now(), now());
\echo :LAST_ERROR_SQLSTATE
UPDATE audit_fields.missing_actor_misses SET misses = 0;
\echo :LAST_ERROR_SQLSTATE
SELECT audit_fields.reset_missing_actor_report('orders');
\echo :LAST_ERROR_SQLSTATE
DELETE FROM audit_fields.missing_actor_misses;
SELECT audit_fields.reset_missing_actor_report();
-- ...nor set a table's policy: only the owner may, even with the TRIGGER privilege.
RESET SESSION AUTHORIZATION;
GRANT TRIGGER ON payments TO regress_rollout_writer;
SET ROLE regress_rollout_writer;
SELECT audit_fields.enable('payments', missing_actor => 'allow');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SET application_name = 'rollout_test';
SELECT count(*) AS rows_left FROM audit_fields.missing_actor_report WHERE schema_name = 'rollout';

-- reset(rel) clears one table (its partitions included), reset() everything.
SELECT audit_fields.reset_missing_actor_report('events');
SELECT DISTINCT table_name FROM audit_fields.missing_actor_report
WHERE schema_name = 'rollout' ORDER BY 1;
SELECT audit_fields.reset_missing_actor_report();
SELECT count(*) FROM audit_fields.missing_actor_report;

-- A partition enabled on its own (its partitioned table is not) is the table counted and named,
-- at any depth, and its owner can reset it.
CREATE TABLE logs (id int, region text, created_at timestamptz, created_by text)
    PARTITION BY LIST (region);
CREATE TABLE logs_eu PARTITION OF logs FOR VALUES IN ('eu') PARTITION BY RANGE (id);
CREATE TABLE logs_eu_low PARTITION OF logs_eu FOR VALUES FROM (0) TO (100);
SELECT audit_fields.enable('logs_eu', missing_actor => 'warn');
INSERT INTO logs (id, region) VALUES (1, 'eu'), (2, 'eu');
SELECT relation, operation, misses FROM audit_fields.missing_actor_report
WHERE schema_name = 'rollout';
SELECT audit_fields.reset_missing_actor_report('logs_eu');
SELECT count(*) FROM audit_fields.missing_actor_report;

-- set_actor(..., is_local => true) outside a transaction block ends with its statement: WARNING,
-- as SET LOCAL gives. Inside a block, or with is_local => false, no warning.
SET LOCAL audit_fields.actor = 'x';
SELECT audit_fields.set_actor('alice');
SELECT audit_fields.current_actor() IS NULL AS gone_after_the_statement;
BEGIN;
SELECT audit_fields.set_actor('alice');
SELECT audit_fields.current_actor();
COMMIT;
SELECT audit_fields.set_actor('bob', NULL, false);
SELECT audit_fields.current_actor();
RESET audit_fields.actor;
RESET audit_fields.actor_name;

DROP SCHEMA rollout CASCADE;
DROP ROLE regress_rollout_writer;
RESET application_name;
