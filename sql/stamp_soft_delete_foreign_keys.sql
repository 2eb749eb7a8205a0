-- Soft delete and foreign keys: a DELETE reaching a soft_delete table through ON DELETE CASCADE
-- is refused (23503, nothing deleted); ON DELETE SET NULL; a soft-delete parent whose children
-- the application deletes first; a soft-deleted parent does not cascade.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA soft_fk;
SET search_path = soft_fk;
SET audit_fields.actor = 'alice';

CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE orders (
    id int PRIMARY KEY,
    customer_id int REFERENCES customers ON DELETE CASCADE,
    created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
    created_by text, updated_by text, deleted_by text
);
SELECT audit_fields.enable('orders', soft_delete => true);
INSERT INTO customers VALUES (1, 'Ada'), (2, 'Bob');
INSERT INTO orders (id, customer_id) VALUES (10, 1), (11, 1), (20, 2);

-- The cascade is refused: SQLSTATE 23503, both tables and the foreign key named, a way forward.
DELETE FROM customers WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
-- Nothing was deleted, neither the parent nor any child, and no child was soft-deleted.
SELECT id, name FROM customers ORDER BY id;
SELECT id, customer_id, deleted_at IS NULL AS live FROM orders ORDER BY id;
-- An already soft-deleted child is refused too: it would still point at the vanished parent.
DELETE FROM orders WHERE id = 20;
DELETE FROM customers WHERE id = 2;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS customers FROM customers;
-- The error carries the table and constraint for the client.
DO $$
DECLARE
    state text; tab text; con text;
BEGIN
    DELETE FROM soft_fk.customers WHERE id = 1;
EXCEPTION WHEN foreign_key_violation THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, tab = TABLE_NAME, con = CONSTRAINT_NAME;
    RAISE WARNING 'sqlstate %, table %, constraint %', state, tab, con;
END $$;
-- A DELETE the application issues from its own trigger is not a cascade: it soft-deletes.
CREATE TABLE archive_customers (id int PRIMARY KEY);
CREATE TABLE archive_orders (id int PRIMARY KEY, customer_id int,
                             created_at timestamptz, updated_at timestamptz,
                             deleted_at timestamptz, deleted_by text);
SELECT audit_fields.enable('archive_orders', soft_delete => true);
CREATE FUNCTION delete_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM soft_fk.archive_orders WHERE customer_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER cleanup AFTER DELETE ON archive_customers
    FOR EACH ROW EXECUTE FUNCTION delete_children();
INSERT INTO archive_customers VALUES (1);
INSERT INTO archive_orders (id, customer_id) VALUES (1, 1), (2, 1);
DELETE FROM archive_customers WHERE id = 1;
SELECT id, deleted_at IS NOT NULL AS soft_deleted, deleted_by FROM archive_orders ORDER BY id;

-- Ways forward the hint names. 1: the parent soft-deletes too, so no cascade ever fires and the
-- children keep a parent row (the application soft-deletes children itself if it wants them gone).
CREATE TABLE customers_soft (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz,
                             deleted_at timestamptz, deleted_by text);
CREATE TABLE orders_soft (id int PRIMARY KEY,
                          customer_id int REFERENCES customers_soft ON DELETE CASCADE,
                          created_at timestamptz, updated_at timestamptz,
                          deleted_at timestamptz, deleted_by text);
SELECT audit_fields.enable('customers_soft', soft_delete => true);
SELECT audit_fields.enable('orders_soft', soft_delete => true);
INSERT INTO customers_soft (id) VALUES (1);
INSERT INTO orders_soft (id, customer_id) VALUES (1, 1), (2, 1);
DELETE FROM customers_soft WHERE id = 1;
SELECT id, deleted_at IS NOT NULL AS soft_deleted FROM customers_soft;
SELECT id, deleted_at IS NOT NULL AS soft_deleted FROM orders_soft ORDER BY id;
-- 2: soft delete off on the child: the cascade removes the children for good.
SELECT audit_fields.enable('orders');
DELETE FROM customers WHERE id = 1;
SELECT id, customer_id FROM orders ORDER BY id;

-- ON DELETE SET NULL into a soft-delete table: the children stay, unlinked, and the change is
-- stamped as an UPDATE by the actor of the parent's DELETE.
CREATE TABLE teams (id int PRIMARY KEY);
CREATE TABLE members (id int PRIMARY KEY, team_id int REFERENCES teams ON DELETE SET NULL,
                      created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
                      updated_by text, deleted_by text);
SELECT audit_fields.enable('members', soft_delete => true);
INSERT INTO teams VALUES (1);
INSERT INTO members (id, team_id) VALUES (1, 1), (2, 1);
BEGIN;
SET LOCAL audit_fields.actor = 'carol';
DELETE FROM teams WHERE id = 1;
COMMIT;
SELECT id, team_id, deleted_at IS NULL AS live, updated_by, updated_at >= created_at AS stamped
FROM members ORDER BY id;
-- Without an actor the cascade's UPDATE follows missing_actor like any other write.
INSERT INTO teams VALUES (2);
UPDATE members SET team_id = 2;
RESET audit_fields.actor;
DELETE FROM teams WHERE id = 2;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS teams FROM teams;
SET audit_fields.actor = 'alice';

-- A soft-delete parent whose children the application deletes first: the children (a plain
-- table) are gone for good, the parent stays as a soft-deleted row, and the key is satisfied.
CREATE TABLE projects (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz,
                       deleted_at timestamptz, deleted_by text);
CREATE TABLE tasks (id int PRIMARY KEY, project_id int NOT NULL REFERENCES projects);
SELECT audit_fields.enable('projects', soft_delete => true);
INSERT INTO projects (id) VALUES (1);
INSERT INTO tasks VALUES (1, 1), (2, 1);
BEGIN;
DELETE FROM tasks WHERE project_id = 1;
DELETE FROM projects WHERE id = 1;
COMMIT;
SELECT id, deleted_at IS NOT NULL AS soft_deleted, deleted_by FROM projects;
SELECT count(*) AS tasks FROM tasks;
-- The soft-deleted parent still exists, so new children can still reference it: the application
-- must filter on deleted_at (or restrict it with a trigger or a composite key).
INSERT INTO tasks VALUES (3, 1);
SELECT count(*) AS tasks FROM tasks;
-- Children that are soft-delete themselves are soft-deleted first, then the parent: every row
-- stays, every key is satisfied.
CREATE TABLE steps (id int PRIMARY KEY, project_id int NOT NULL REFERENCES projects ON DELETE CASCADE,
                    created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
                    deleted_by text);
SELECT audit_fields.enable('steps', soft_delete => true);
INSERT INTO projects (id) VALUES (2);
INSERT INTO steps (id, project_id) VALUES (1, 2), (2, 2);
DELETE FROM steps WHERE project_id = 2;
DELETE FROM projects WHERE id = 2;
SELECT id, deleted_at IS NOT NULL AS soft_deleted FROM steps ORDER BY id;
SELECT id, deleted_at IS NOT NULL AS soft_deleted FROM projects ORDER BY id;

-- Partitioned child: the cascade reaches a partition, and is refused the same way.
CREATE TABLE regions (id int PRIMARY KEY);
CREATE TABLE shipments (id int, region_id int REFERENCES regions ON DELETE CASCADE,
                        created_at timestamptz, updated_at timestamptz, deleted_at timestamptz)
    PARTITION BY RANGE (id);
CREATE TABLE shipments_low PARTITION OF shipments FOR VALUES FROM (0) TO (100);
SELECT audit_fields.enable('shipments', soft_delete => true);
INSERT INTO regions VALUES (1);
INSERT INTO shipments (id, region_id) VALUES (5, 1);
DELETE FROM regions WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS regions FROM regions;
SELECT count(*) AS shipments FROM shipments WHERE deleted_at IS NULL;

RESET audit_fields.actor;
DROP SCHEMA soft_fk CASCADE;
