SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA activity_test;
SET search_path = activity_test;

CREATE TABLE posts (id int PRIMARY KEY, title text,
    created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
    created_by text, created_by_name text, updated_by text, updated_by_name text,
    deleted_by text, deleted_by_name text);
SELECT audit_fields.enable('posts', soft_delete => true);
-- renamed columns and a composite key
CREATE TABLE "Line Items" (order_id int, line int, PRIMARY KEY (order_id, line),
    inserted timestamp, changed timestamp, author text);
SELECT audit_fields.enable('"Line Items"',
    column_map => '{"created_at": "inserted", "updated_at": "changed", "created_by": "author"}');
-- partitioned, no primary key
CREATE TABLE events (id int, created_at timestamptz, updated_at timestamptz, created_by text)
    PARTITION BY LIST (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES IN (1);
SELECT audit_fields.enable('events');
-- not enabled: never part of the activity
CREATE TABLE untracked (id int, created_at timestamptz DEFAULT now());

BEGIN;
SELECT audit_fields.set_actor('alice@example.com', 'Alice');
INSERT INTO posts (id, title) VALUES (1, 'one'), (2, 'two'), (3, 'three');
INSERT INTO "Line Items" (order_id, line) VALUES (10, 1);
INSERT INTO events (id) VALUES (1);
INSERT INTO untracked (id) VALUES (1);
COMMIT;

-- Later transactions: bob edits post 2, carol soft-deletes post 3.
BEGIN;
SET LOCAL audit_fields.clock = 'clock';
SELECT pg_sleep(0.01);
SELECT audit_fields.set_actor('bob@example.com', 'Bob');
UPDATE posts SET title = 'two!' WHERE id = 2;
COMMIT;
BEGIN;
SET LOCAL audit_fields.clock = 'clock';
SELECT pg_sleep(0.01);
SELECT audit_fields.set_actor('carol@example.com', 'Carol');
DELETE FROM posts WHERE id = 3;
COMMIT;

-- Newest first: the delete, then the update, then the creations (one transaction, ordered by
-- table and key). Post 3's soft delete is one "deleted" event, not also an "updated" one.
SELECT table_name, row_key, action, actor, actor_name
FROM audit_fields.activity(now() - interval '1 hour');

-- The timestamps are the columns' own.
SELECT count(*) AS matches FROM audit_fields.activity(now() - interval '1 hour') a
JOIN posts p ON a.row_key = jsonb_build_object('id', p.id)
WHERE (a.action = 'created' AND a.at = p.created_at)
   OR (a.action = 'updated' AND a.at = p.updated_at)
   OR (a.action = 'deleted' AND a.at = p.deleted_at);

-- Filtered by actor; and nothing in the future.
SELECT table_name, row_key, action FROM audit_fields.activity(now() - interval '1 hour', 'bob@example.com');
SELECT count(*) FROM audit_fields.activity(now() + interval '1 hour');
SELECT audit_fields.activity(NULL);

RESET search_path;
DROP SCHEMA activity_test CASCADE;
