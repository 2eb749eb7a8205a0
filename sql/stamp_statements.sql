-- Every way rows get written: multi-row INSERT, INSERT ... SELECT, COPY FROM, INSERT ... ON
-- CONFLICT DO UPDATE / DO NOTHING, MERGE, writable CTEs, updates through simple views.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_statements;
SET search_path = stamp_statements;

CREATE TABLE accounts (
    id int PRIMARY KEY,
    name text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    created_by text NOT NULL,
    updated_by text NOT NULL,
    deleted_by text
);
SELECT audit_fields.enable('accounts', soft_delete => true);

-- Multi-row VALUES and INSERT ... SELECT.
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
INSERT INTO accounts (id, name) VALUES (1, 'one'), (2, 'two');
INSERT INTO accounts (id, name) SELECT g, 'gen ' || g FROM generate_series(3, 5) AS g;
SELECT count(*) AS rows, count(*) FILTER (WHERE created_at = now() AND updated_at = now()
                                          AND created_by = 'alice' AND updated_by = 'alice') AS stamped
FROM accounts;
COMMIT;

-- COPY FROM: the NOT NULL audit columns are filled even when the file lacks them.
BEGIN;
SET LOCAL audit_fields.actor = 'bob';
COPY accounts (id, name) FROM stdin;
10	copied ten
11	copied eleven
\.
COPY accounts (id, name, created_at, updated_at, created_by, updated_by) FROM stdin (FORMAT csv);
12,forged,2000-01-01,2000-01-01,mallory,mallory
\.
SELECT id, name, created_by, updated_by, created_at = now() AS created_now
FROM accounts WHERE id >= 10 ORDER BY id;
COMMIT;

-- INSERT ... ON CONFLICT DO UPDATE: a new row is an INSERT, a conflict is an UPDATE of the
-- existing row, which keeps its created_* even when the statement copies EXCLUDED's.
BEGIN;
SET LOCAL audit_fields.actor = 'carol';
SELECT pg_sleep(0.002) IS NOT NULL AS slept;
INSERT INTO accounts AS a (id, name) VALUES (1, 'one v2'), (20, 'twenty')
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, created_at = EXCLUDED.created_at,
                               created_by = EXCLUDED.created_by;
SELECT id, name, created_by, created_at < now() AS created_kept, updated_by,
       updated_at = now() AS updated_now
FROM accounts WHERE id IN (1, 20) ORDER BY id;
-- DO NOTHING leaves the existing row alone.
INSERT INTO accounts (id, name) VALUES (2, 'ignored') ON CONFLICT DO NOTHING;
SELECT name, updated_by FROM accounts WHERE id = 2;
COMMIT;

-- MERGE: INSERT, UPDATE and DELETE (a soft delete) branches in one statement.
CREATE TABLE incoming (id int, name text, gone boolean);
INSERT INTO incoming VALUES (2, 'two v2', false), (3, NULL, true), (30, 'thirty', false);
BEGIN;
SET LOCAL audit_fields.actor = 'dave';
MERGE INTO accounts a USING incoming i ON a.id = i.id
WHEN MATCHED AND i.gone THEN DELETE
WHEN MATCHED THEN UPDATE SET name = i.name, created_by = 'mallory'
WHEN NOT MATCHED THEN INSERT (id, name) VALUES (i.id, i.name);
SELECT id, name, created_by, updated_by, deleted_by, deleted_at = now() AS deleted_now
FROM accounts WHERE id IN (2, 3, 30) ORDER BY id;
COMMIT;

-- Writable CTEs.
BEGIN;
SET LOCAL audit_fields.actor = 'erin';
WITH moved AS (UPDATE accounts SET name = 'cte' WHERE id = 4 RETURNING id)
INSERT INTO accounts (id, name) SELECT id + 100, 'from cte' FROM moved;
SELECT id, name, created_by, updated_by FROM accounts WHERE id IN (4, 104) ORDER BY id;
COMMIT;

-- Simple (auto-updatable) views: INSERT, UPDATE and DELETE go through the table's trigger,
-- including through a view that hides the audit columns and one WITH CHECK OPTION.
CREATE VIEW account_names AS SELECT id, name FROM accounts WHERE deleted_at IS NULL
    WITH CHECK OPTION;
CREATE VIEW account_audit AS SELECT id, created_by, updated_by, created_at FROM accounts;
BEGIN;
SET LOCAL audit_fields.actor = 'frank';
INSERT INTO account_names VALUES (40, 'via view');
UPDATE account_names SET name = 'renamed via view' WHERE id = 5;
UPDATE account_audit SET created_by = 'mallory', updated_by = 'mallory' WHERE id = 5;
DELETE FROM account_names WHERE id = 40;
SELECT id, name, created_by, updated_by, deleted_by FROM accounts WHERE id IN (5, 40) ORDER BY id;
COMMIT;

-- Prepared statements keep stamping with the actor of each execution.
PREPARE add_account(int) AS INSERT INTO accounts (id, name) VALUES ($1, 'prepared');
BEGIN;
SET LOCAL audit_fields.actor = 'grace';
EXECUTE add_account(50);
SET LOCAL audit_fields.actor = 'heidi';
EXECUTE add_account(51);
SELECT id, created_by FROM accounts WHERE id IN (50, 51) ORDER BY id;
COMMIT;
DEALLOCATE add_account;

-- A PL/pgSQL function writing rows, called in one statement.
CREATE FUNCTION add_many(n int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..n LOOP
        INSERT INTO accounts (id, name) VALUES (200 + i, 'loop');
    END LOOP;
END $$;
BEGIN;
SET LOCAL audit_fields.actor = 'ivan';
SELECT add_many(3);
SELECT count(*) FILTER (WHERE created_by = 'ivan') AS by_ivan FROM accounts WHERE id > 200;
COMMIT;

RESET search_path;
DROP SCHEMA stamp_statements CASCADE;
