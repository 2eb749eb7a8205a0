-- A partition's cached ancestry follows ATTACH and DETACH PARTITION within one session. A row
-- moved between partitions keeps its created_* only when the source's and the destination's caches
-- name the same partition root: a cache left naming the old root after its hierarchy was attached
-- under a new parent would stamp the moved row as new.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA ancestry;
SET search_path = ancestry;
CREATE TABLE events (id int, region text, created_at timestamptz, updated_at timestamptz,
                     created_by text, updated_by text) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
SELECT audit_fields.enable('events');
CREATE TABLE events_us (LIKE events);
SELECT audit_fields.enable('events_us');
BEGIN;
SET LOCAL audit_fields.actor = 'alice';
INSERT INTO events (id, region) VALUES (1, 'eu'), (2, 'eu'), (3, 'eu');
COMMIT;
CREATE TEMP TABLE before AS SELECT id, created_at, created_by FROM events;
-- A write through the leaf builds its cache (root: events).
BEGIN;
SET LOCAL audit_fields.actor = 'bob';
UPDATE events_eu SET id = id WHERE id = 1;
COMMIT;

-- The whole partitioned table goes under a new parent, next to a table enabled on its own.
CREATE TABLE all_events (id int, region text, created_at timestamptz, updated_at timestamptz,
                         created_by text, updated_by text) PARTITION BY LIST (region);
ALTER TABLE all_events ATTACH PARTITION events FOR VALUES IN ('eu');
ALTER TABLE all_events ATTACH PARTITION events_us FOR VALUES IN ('us');
-- A row moved from the leaf to the other partition of the new hierarchy keeps its created_*.
BEGIN;
SET LOCAL audit_fields.actor = 'carol';
UPDATE all_events SET region = 'us' WHERE id = 2;
COMMIT;
SELECT a.id, a.region, a.created_at = b.created_at AS created_at_kept, a.created_by,
       a.updated_by
FROM all_events a JOIN before b USING (id) ORDER BY a.id;

-- Detached again: the leaf's root is events once more, and a move within it still keeps created_*.
ALTER TABLE all_events DETACH PARTITION events;
CREATE TABLE events_apac PARTITION OF events FOR VALUES IN ('apac');
BEGIN;
SET LOCAL audit_fields.actor = 'dave';
UPDATE events SET region = 'apac' WHERE id = 3;
COMMIT;
SELECT e.id, e.region, e.created_at = b.created_at AS created_at_kept, e.created_by, e.updated_by
FROM events e JOIN before b USING (id) ORDER BY e.id;

DROP SCHEMA ancestry CASCADE;
