-- audit_fields 1.1 -> 1.2: rollout (per-table missing_actor, the missing-actor report),
-- fill_on_insert, soft delete against foreign keys, auto_enable defaults, and the scanner's triage
-- (configuration, waivers, new checks) with every rule parsed by the core library.
-- This directory is both the upgrade script audit_fields--1.1--1.2.sql and the tail of the fresh
-- install script audit_fields--1.2.sql, so both paths run the same SQL.
\echo Use "ALTER EXTENSION audit_fields UPDATE TO '1.2'" to load this file. \quit
