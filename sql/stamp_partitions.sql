-- Partitioned tables: enabling the parent covers every partition, present and future (CREATE
-- TABLE ... PARTITION OF and ATTACH PARTITION, with a different column order); rows moved between
-- partitions keep created_* and are not soft-deleted.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_partitions;
SET search_path = stamp_partitions;

CREATE TABLE events (
    id int,
    region text,
    body text,
    created_at timestamptz,
    updated_at timestamptz,
    deleted_at timestamptz,
    created_by text,
    updated_by text,
    deleted_by text
) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
SELECT audit_fields.enable('events', soft_delete => true);
-- Created after enable().
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
-- Attached after enable(), with its columns in another order and a dropped column in front.
CREATE TABLE events_apac (gone int, deleted_by text, updated_by text, created_by text,
                          deleted_at timestamptz, updated_at timestamptz, created_at timestamptz,
                          body text, region text, id int);
ALTER TABLE events_apac DROP COLUMN gone;
ALTER TABLE events ATTACH PARTITION events_apac FOR VALUES IN ('apac');
-- A sub-partitioned partition.
CREATE TABLE events_other PARTITION OF events DEFAULT PARTITION BY HASH (id);
CREATE TABLE events_other_0 PARTITION OF events_other FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE events_other_1 PARTITION OF events_other FOR VALUES WITH (MODULUS 2, REMAINDER 1);
SELECT tgrelid::regclass AS relation, tgparentid <> 0 AS cloned FROM pg_trigger
WHERE tgname = 'zz_audit_fields' AND tgrelid::regclass::text LIKE 'events%' ORDER BY 1;
SELECT table_name, soft_delete, partitioned FROM audit_fields.tables
WHERE schema_name = 'stamp_partitions';

-- INSERT through the parent and directly into a partition.
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
INSERT INTO events (id, region, created_by)
VALUES (1, 'eu', 'x'), (2, 'us', 'x'), (3, 'apac', 'x'), (4, 'mars', 'x'), (5, 'venus', 'x');
INSERT INTO events_apac (id, region) VALUES (6, 'apac');
SELECT tableoid::regclass AS part, id, created_by, updated_by, created_at = now() AS created_now
FROM events ORDER BY id;
COMMIT;

-- UPDATE inside a partition.
BEGIN;
SET LOCAL audit_fields.actor = 'bob';
UPDATE events SET body = 'edited', created_by = 'mallory' WHERE id IN (3, 4);
SELECT id, created_by, updated_by, updated_at = now() AS updated_now FROM events
WHERE id IN (3, 4) ORDER BY id;
COMMIT;

-- Rows moved between partitions (the UPDATE changes the partition key): created_* kept,
-- updated_* stamped, not soft-deleted, and the row really moves.
BEGIN;
SET LOCAL audit_fields.actor = 'carol';
SELECT pg_sleep(0.002) IS NOT NULL AS slept;
UPDATE events SET region = 'us' WHERE id = 1;            -- eu -> us
UPDATE events SET region = 'eu' WHERE id IN (3, 6);      -- apac (other column order) -> eu
UPDATE events SET region = 'apac' WHERE id = 4;          -- sub-partition -> apac
UPDATE events SET region = 'venus', id = 8 WHERE id = 2; -- us -> a sub-partition
SELECT tableoid::regclass AS part, id, created_by, created_at < now() AS created_kept,
       updated_by, updated_at = now() AS updated_now, deleted_at, deleted_by
FROM events ORDER BY id;
SELECT count(*) AS total FROM events;
COMMIT;

-- Soft delete in a partition; moving a soft-deleted row keeps its deletion.
BEGIN;
SET LOCAL audit_fields.actor = 'dave';
DELETE FROM events WHERE id = 1;
SELECT tableoid::regclass AS part, deleted_at = now() AS deleted_now, deleted_by, updated_by
FROM events WHERE id = 1;
COMMIT;
BEGIN;
SET LOCAL audit_fields.actor = 'erin';
UPDATE events SET region = 'eu' WHERE id = 1;
SELECT tableoid::regclass AS part, deleted_at < now() AS deleted_kept, deleted_by, updated_by
FROM events WHERE id = 1;
-- A moved row in the same statement as a soft delete of another row.
DELETE FROM events WHERE id = 5;
SELECT id, deleted_by FROM events WHERE id = 5;
COMMIT;

-- A row that moves is not confused with a new row the same statement inserts.
CREATE TABLE staged (id int, region text);
INSERT INTO staged VALUES (3, 'us'), (20, 'us');
BEGIN;
SET LOCAL audit_fields.actor = 'frank';
MERGE INTO events e USING staged s ON e.id = s.id
WHEN MATCHED THEN UPDATE SET region = s.region
WHEN NOT MATCHED THEN INSERT (id, region, created_by) VALUES (s.id, s.region, 'forged');
SELECT tableoid::regclass AS part, id, created_by, updated_by, created_at = now() AS created_now
FROM events WHERE id IN (3, 20) ORDER BY id;
COMMIT;

-- A statement that updates a row and inserts another with the updated row's audit values copied
-- (a writable CTE, ON CONFLICT, MERGE) gets the new row stamped: only a real move is trusted.
BEGIN;
SET LOCAL audit_fields.actor = 'mallory';
WITH u AS (UPDATE events SET body = 'cte' WHERE id = 3 RETURNING *)
INSERT INTO events (id, region, created_at, updated_at, created_by, updated_by)
SELECT 40, region, created_at, updated_at, 'alice (forged)', 'alice (forged)' FROM u;
CREATE UNIQUE INDEX events_id_region ON events (id, region);
INSERT INTO events AS e (id, region, created_at, updated_at, created_by, updated_by)
VALUES (3, 'us', NULL, NULL, NULL, NULL),
       (41, 'us', (SELECT created_at FROM events WHERE id = 3), now(), 'alice (forged)',
        'alice (forged)')
ON CONFLICT (id, region) DO UPDATE SET body = 'upsert';
MERGE INTO events e USING (VALUES (3, 'us'), (42, 'us')) AS s(id, region) ON e.id = s.id
WHEN MATCHED THEN UPDATE SET body = 'merge'
WHEN NOT MATCHED THEN INSERT (id, region, created_at, updated_at, created_by, updated_by)
    VALUES (s.id, s.region, (SELECT created_at FROM events WHERE id = 3), now(), 'alice (forged)',
            'alice (forged)');
SELECT id, body, created_by, updated_by, created_at = now() AS created_now FROM events
WHERE id IN (3, 40, 41, 42) ORDER BY id;
COMMIT;

-- Missing actor on a partition names the partition.
INSERT INTO events (id, region) VALUES (30, 'eu');
\echo :LAST_ERROR_SQLSTATE

-- Detached partitions lose the trigger (PostgreSQL drops cloned triggers on detach).
ALTER TABLE events DETACH PARTITION events_us;
SELECT count(*) AS triggers FROM pg_trigger WHERE tgrelid = 'events_us'::regclass;

RESET search_path;
DROP SCHEMA stamp_partitions CASCADE;
