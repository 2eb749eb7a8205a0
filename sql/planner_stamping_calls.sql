-- The functions planner stamping writes into plans refuse to be used for anything else, and the
-- setting is the superuser's. (The rewrite itself needs shared_preload_libraries:
-- test/suites/planner_stamping.sh runs every test of this directory with it on.)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA planned;
CREATE TABLE planned.notes (id int, created_at timestamptz, updated_at timestamptz,
                            created_by text);
SELECT audit_fields.enable('planned.notes');
SELECT t.oid AS trigger_oid FROM pg_trigger t
WHERE t.tgrelid = 'planned.notes'::regclass AND t.tgname = 'zz_audit_fields' \gset

-- not the table's audit trigger, or not a table at all
SELECT audit_fields.planned_stamp(0, 'planned.notes'::regclass, 1 << 4, NULL::timestamptz);
SELECT audit_fields.planned_stamp(:trigger_oid, 'pg_class'::regclass, 1 << 4, NULL::timestamptz);
-- a code that names no column and value
SELECT audit_fields.planned_stamp(:trigger_oid, 'planned.notes'::regclass, -1, NULL::timestamptz);
-- created_by (column 3) asked for the clock (value 1)
SELECT audit_fields.planned_stamp(:trigger_oid, 'planned.notes'::regclass, 3 | (1 << 4), NULL::text);
-- created_at (column 0) clock for INSERT (event 0), but asked for as text
SELECT audit_fields.planned_stamp(:trigger_oid, 'planned.notes'::regclass, 0 | (1 << 4), NULL::text);
-- an UPDATE clock through the INSERT function
SELECT audit_fields.planned_stamp(:trigger_oid, 'planned.notes'::regclass, (1 << 4) | (1 << 8),
                                  NULL::timestamptz);
-- rightly asked, it computes what the trigger would write: the transaction's time, the actor
BEGIN;
SET LOCAL audit_fields.actor = 'alice@example.com';
SELECT audit_fields.planned_stamp(:trigger_oid, 'planned.notes'::regclass, 0 | (1 << 4),
                                  NULL::timestamptz) = now() AS clock_is_now,
       audit_fields.planned_stamp(:trigger_oid, 'planned.notes'::regclass, 3 | (2 << 4),
                                  NULL::text) AS actor;
-- and where the trigger would not fire, the statement's own value
SET LOCAL audit_fields.enabled = off;
SELECT audit_fields.planned_stamp(:trigger_oid, 'planned.notes'::regclass, 3 | (2 << 4),
                                  'client'::text) AS actor_when_disabled;
ROLLBACK;

-- the setting: superuser only, off by default
SELECT boot_val, context FROM pg_settings WHERE name = 'audit_fields.planner_stamping';
CREATE ROLE planned_app;
SET ROLE planned_app;
SET audit_fields.planner_stamping = on;
RESET ROLE;
DROP ROLE planned_app;
DROP SCHEMA planned CASCADE;
