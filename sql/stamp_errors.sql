-- Errors of audit_fields.stamp() itself when it is attached by hand instead of with enable():
-- each names the trigger or the table and says how to fix it.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA stamp_errors;
SET search_path = stamp_errors;
SET audit_fields.actor = 'alice';

CREATE TABLE t (id int, created_at timestamptz, updated_at timestamptz, created_by text,
                generated_at timestamptz GENERATED ALWAYS AS (created_at) STORED);

-- Not BEFORE ... FOR EACH ROW.
CREATE TRIGGER after_row AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp();
INSERT INTO t (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER after_row ON t;
CREATE TRIGGER per_statement BEFORE INSERT ON t EXECUTE FUNCTION audit_fields.stamp();
INSERT INTO t (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER per_statement ON t;

-- Bad arguments.
CREATE TRIGGER bad_args BEFORE INSERT ON t FOR EACH ROW
    EXECUTE FUNCTION audit_fields.stamp('stamp_mode=sometimes');
INSERT INTO t (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad_args ON t;
CREATE TRIGGER bad_args BEFORE INSERT ON t FOR EACH ROW
    EXECUTE FUNCTION audit_fields.stamp('colour=blue');
INSERT INTO t (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER bad_args ON t;

-- A generated column mapped as an audit column.
CREATE TRIGGER generated BEFORE INSERT ON t FOR EACH ROW
    EXECUTE FUNCTION audit_fields.stamp('updated_at=generated_at', 'created_at=updated_at');
INSERT INTO t (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER generated ON t;

-- By hand with valid arguments (as pg_dump restores it), it works like enable().
CREATE TRIGGER zz_audit_fields BEFORE INSERT OR UPDATE ON t FOR EACH ROW
    EXECUTE FUNCTION audit_fields.stamp('stamp_mode=force', 'soft_delete=false');
INSERT INTO t (id) VALUES (1);
SELECT created_by, created_at IS NOT NULL AS stamped FROM t;
-- A trigger created for DELETE without soft_delete lets the DELETE through.
CREATE TRIGGER on_delete BEFORE DELETE ON t FOR EACH ROW EXECUTE FUNCTION audit_fields.stamp();
DELETE FROM t;
SELECT count(*) FROM t;

-- Called as a plain function.
SELECT audit_fields.stamp();
\echo :LAST_ERROR_SQLSTATE

RESET audit_fields.actor;
RESET search_path;
DROP SCHEMA stamp_errors CASCADE;
