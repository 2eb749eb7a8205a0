-- audit_fields 1.2 -> 1.3: planner stamping (audit_fields.planner_stamping), the functions it
-- writes into plans.
-- This directory is both the upgrade script audit_fields--1.2--1.3.sql and the tail of the fresh
-- install script audit_fields--1.3.sql, so both paths run the same SQL.
\echo Use "ALTER EXTENSION audit_fields UPDATE TO '1.3'" to load this file. \quit
