-- Connection-pool reuse: an actor set with SET LOCAL (or set_actor(), transaction-local by
-- default) never leaks into the next transaction on the same connection, whatever way the
-- transaction ends. A session-level SET does persist, which is why pools must use SET LOCAL.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS audit_fields;
CREATE SCHEMA trust_pool;
SET search_path = trust_pool;
CREATE TABLE orders (
    id int PRIMARY KEY,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by text NOT NULL,
    updated_by text NOT NULL
);
SELECT audit_fields.enable('orders');

-- "request 1" commits with its actor ...
BEGIN;
SET LOCAL audit_fields.actor = 'request-1@example.com';
INSERT INTO orders (id) VALUES (1);
COMMIT;
-- ... "request 2" on the same connection forgot to set one: refused, not written as request 1.
SELECT current_setting('audit_fields.actor') = '' AS actor_cleared,
       audit_fields.current_actor() IS NULL AS no_current_actor;
INSERT INTO orders (id) VALUES (2);

-- set_actor() is transaction-local by default.
BEGIN;
SELECT audit_fields.set_actor('request-3@example.com', 'Request Three');
INSERT INTO orders (id) VALUES (3);
COMMIT;
UPDATE orders SET id = 30 WHERE id = 3;

-- A transaction that fails or rolls back leaves nothing behind either.
BEGIN;
SET LOCAL audit_fields.actor = 'request-4@example.com';
INSERT INTO orders (id) VALUES (1); -- duplicate key
COMMIT;
INSERT INTO orders (id) VALUES (4);
BEGIN;
SET LOCAL audit_fields.actor = 'request-5@example.com';
ROLLBACK;
INSERT INTO orders (id) VALUES (5);

-- A savepoint rolled back restores the actor of the enclosing transaction.
BEGIN;
SET LOCAL audit_fields.actor = 'outer@example.com';
SAVEPOINT s;
SET LOCAL audit_fields.actor = 'inner@example.com';
ROLLBACK TO s;
INSERT INTO orders (id) VALUES (6);
COMMIT;

-- Session-level SET persists across transactions (the pooling hazard); DISCARD ALL, which
-- poolers run between clients, clears it.
SET audit_fields.actor = 'sticky@example.com';
INSERT INTO orders (id) VALUES (7);
INSERT INTO orders (id) VALUES (8);
DISCARD ALL;
SET client_min_messages = warning;
SET search_path = trust_pool;
INSERT INTO orders (id) VALUES (9);

SELECT id, created_by, updated_by FROM orders ORDER BY id;

RESET search_path;
DROP SCHEMA trust_pool CASCADE;
