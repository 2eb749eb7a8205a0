-- audit_fields 1.0 -> 1.1: the scanner (scan(), report), activity() and auto_enable().
-- This directory is both the upgrade script audit_fields--1.0--1.1.sql and, appended to 1.0, the
-- tail of the fresh install script audit_fields--1.1.sql, so both paths run the same SQL.
\echo Use "ALTER EXTENSION audit_fields UPDATE TO '1.1'" to load this file. \quit
