-- audit_fields.stamp() on INSERT in force mode (the default): docs/contract.md "What the trigger guarantees",
-- rows "INSERT" and "INSERT with deleted_at non-NULL"; column renames; timestamp columns.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_insert;
SET search_path = stamp_insert;

CREATE TABLE docs (
    id int PRIMARY KEY,
    body text,
    created_at timestamptz,
    updated_at timestamptz,
    deleted_at timestamptz,
    created_by text,
    created_by_name text,
    updated_by text,
    updated_by_name text,
    deleted_by text,
    deleted_by_name text
);
SELECT audit_fields.enable('docs');

-- Force: the clock and the actor, whatever the client sent.
BEGIN;
SET LOCAL audit_fields.actor = 'alice@example.com';
SET LOCAL audit_fields.actor_name = 'Alice';
INSERT INTO docs (id, body) VALUES (1, 'plain');
INSERT INTO docs (id, body, created_at, updated_at, created_by, created_by_name, updated_by,
                  updated_by_name)
VALUES (2, 'forged', '2001-01-01', '2001-01-01', 'mallory', 'Mallory', 'mallory', 'Mallory');
SELECT id, created_at = now() AS created_now, updated_at = now() AS updated_now,
       created_by, created_by_name, updated_by, updated_by_name,
       deleted_at, deleted_by, deleted_by_name
FROM docs ORDER BY id;
COMMIT;

-- A live row names no deleter: deleted_by* sent by the client are cleared.
BEGIN;
SET LOCAL audit_fields.actor = 'alice@example.com';
INSERT INTO docs (id, deleted_by, deleted_by_name) VALUES (3, 'mallory', 'Mallory');
SELECT id, deleted_at, deleted_by, deleted_by_name FROM docs WHERE id = 3;
COMMIT;

-- INSERT with deleted_at non-NULL: deleted_by(_name) = the actor; deleted_at is the client's.
BEGIN;
SET LOCAL audit_fields.actor = 'bob@example.com';
SET LOCAL audit_fields.actor_name = 'Bob';
INSERT INTO docs (id, deleted_at, deleted_by, deleted_by_name)
VALUES (4, '2020-02-02 10:00+00', 'mallory', 'Mallory');
SELECT id, deleted_at = '2020-02-02 10:00+00' AS client_deleted_at, deleted_by, deleted_by_name,
       created_by, updated_by
FROM docs WHERE id = 4;
COMMIT;

-- actor_name falls back to the actor when empty.
BEGIN;
SET LOCAL audit_fields.actor = 'carol@example.com';
INSERT INTO docs (id) VALUES (5);
SELECT created_by, created_by_name, updated_by, updated_by_name FROM docs WHERE id = 5;
COMMIT;

-- INSERT ... RETURNING sees the stamped row.
BEGIN;
SET LOCAL audit_fields.actor = 'dave@example.com';
INSERT INTO docs (id) VALUES (6) RETURNING id, created_by, created_at = now() AS created_now;
COMMIT;

-- A table with a subset of the nine columns: only those present are stamped.
CREATE TABLE only_times (id int, created_at timestamptz, updated_at timestamptz);
SELECT audit_fields.enable('only_times');
BEGIN;
INSERT INTO only_times VALUES (1, '1999-01-01', NULL); -- no actor needed: no actor column
SELECT created_at = now() AS created_now, updated_at = now() AS updated_now FROM only_times;
COMMIT;
CREATE TABLE only_updated (id int, updated_at timestamptz, updated_by text);
SELECT audit_fields.enable('only_updated');
BEGIN;
SET LOCAL audit_fields.actor = 'erin@example.com';
INSERT INTO only_updated (id) VALUES (1);
SELECT updated_at = now() AS updated_now, updated_by FROM only_updated;
COMMIT;

-- Column renames with column_map, including quoted mixed-case names in a mixed-case table.
CREATE TABLE "Mixed Case" (
    id int,
    "Created On" timestamptz,
    modified timestamptz,
    created_by_email text,
    "Author Name" text,
    updated_by text,
    created_at text -- an unrelated column that happens to carry a default audit name
);
SELECT audit_fields.enable('stamp_insert."Mixed Case"',
    column_map => '{"created_at": "Created On", "updated_at": "modified",
                    "created_by": "created_by_email", "created_by_name": "Author Name"}');
BEGIN;
SET LOCAL audit_fields.actor = 'frank@example.com';
SET LOCAL audit_fields.actor_name = 'Frank';
INSERT INTO "Mixed Case" (id, created_at) VALUES (1, 'left alone');
SELECT "Created On" = now() AS created_now, modified = now() AS modified_now, created_by_email,
       "Author Name", updated_by, created_at
FROM "Mixed Case";
COMMIT;

-- timestamp without time zone holds the session's local time, like now()::timestamp.
CREATE TABLE local_times (id int, created_at timestamp, updated_at timestamp);
SELECT audit_fields.enable('local_times');
BEGIN;
SET LOCAL TimeZone = 'America/New_York';
INSERT INTO local_times (id) VALUES (1);
SELECT created_at = now()::timestamp AS local_now, updated_at = created_at AS same FROM local_times;
SET LOCAL TimeZone = 'Asia/Tokyo';
INSERT INTO local_times (id) VALUES (2);
SELECT id, created_at = now()::timestamp AS tokyo_now,
       created_at = (now() AT TIME ZONE 'America/New_York') AS new_york_now
FROM local_times ORDER BY id;
COMMIT;

-- Timestamp columns with a precision are rounded like an assignment to the column would be.
CREATE DOMAIN millis AS timestamptz(3);
CREATE TABLE rounded (id int, created_at timestamptz(0), updated_at timestamp(2), deleted_at millis);
SELECT audit_fields.enable('rounded');
BEGIN;
INSERT INTO rounded (id, deleted_at) VALUES (1, NULL);
SELECT created_at = now()::timestamptz(0) AS created_rounded,
       updated_at = now()::timestamp(2) AS updated_rounded
FROM rounded;
COMMIT;
-- deleted_at of a domain over timestamptz(3): the UPDATE that soft-deletes rounds to the domain.
BEGIN;
SELECT pg_sleep(0.002) IS NOT NULL AS slept; -- so the rounding differs from now()'s
UPDATE rounded SET deleted_at = '2000-01-01';
-- (never before the row's created_at, which timestamptz(0) may have rounded up past now())
SELECT deleted_at = greatest(now()::timestamptz(3), created_at) AS deleted_rounded FROM rounded;
COMMIT;

RESET search_path;
DROP SCHEMA stamp_insert CASCADE;
