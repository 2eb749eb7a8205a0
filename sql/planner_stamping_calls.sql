-- The functions planner stamping writes into plans refuse to be used for anything else, and the
-- setting is the superuser's. (The rewrite itself needs shared_preload_libraries:
-- test/suites/planner_stamping.sh runs every test of this directory with it on.)
-- A call's key is (trigger OID << 32) | code; code bits: 0-3 column (0 created_at, 3 created_by),
-- 4-7 value (1 clock, 2 actor), 8-11 event (0 INSERT, 1 UPDATE).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA planned;
CREATE TABLE planned.notes (id int, created_at timestamptz, updated_at timestamptz,
                            created_by text);
SELECT audit_fields.enable('planned.notes');
SELECT t.oid::int8 << 32 AS trigger_key FROM pg_trigger t
WHERE t.tgrelid = 'planned.notes'::regclass AND t.tgname = 'zz_audit_fields' \gset
CREATE TABLE planned.other (id int);
CREATE TRIGGER other_trigger BEFORE INSERT ON planned.other
    FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
SELECT t.oid::int8 << 32 AS other_key FROM pg_trigger t
WHERE t.tgrelid = 'planned.other'::regclass \gset

-- no such trigger, or not an audit_fields trigger
SELECT audit_fields.planned_stamp(1 << 4, NULL::timestamptz);
SELECT audit_fields.planned_stamp(:other_key | (1 << 4), NULL::timestamptz);
-- a code that names no column and value
SELECT audit_fields.planned_stamp(:trigger_key | 15, NULL::timestamptz);
-- created_by (column 3) asked for the clock (value 1)
SELECT audit_fields.planned_stamp(:trigger_key | 3 | (1 << 4), NULL::text);
-- created_at's clock for INSERT, but asked for as text
SELECT audit_fields.planned_stamp(:trigger_key | (1 << 4), NULL::text);
-- an UPDATE clock through the INSERT function
SELECT audit_fields.planned_stamp(:trigger_key | (1 << 4) | (1 << 8), NULL::timestamptz);
-- rightly asked, it computes what the trigger would write: the transaction's time, the actor
BEGIN;
SET LOCAL audit_fields.actor = 'alice@example.com';
SELECT audit_fields.planned_stamp(:trigger_key | (1 << 4), NULL::timestamptz) = now()
           AS clock_is_now,
       audit_fields.planned_stamp(:trigger_key | 3 | (2 << 4), NULL::text) AS actor;
-- an UPDATE's clock never goes earlier than the row's stamps (here a future updated_at)
SELECT audit_fields.planned_from_old(:trigger_key | (1 << 4) | (1 << 8), NULL::timestamptz,
                                     now() - interval '1 day', now() + interval '1 day')
           = now() + interval '1 day' AS not_before_old;
-- and where the trigger would not fire, the statement's own value
SET LOCAL audit_fields.enabled = off;
SELECT audit_fields.planned_stamp(:trigger_key | 3 | (2 << 4), 'client'::text)
           AS actor_when_disabled;
ROLLBACK;

-- the setting: superuser only, off by default
SELECT boot_val, context FROM pg_settings WHERE name = 'audit_fields.planner_stamping';
CREATE ROLE planned_app;
SET ROLE planned_app;
SET audit_fields.planner_stamping = on;
RESET ROLE;
DROP ROLE planned_app;
DROP SCHEMA planned CASCADE;
