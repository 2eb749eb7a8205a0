\set a random(1, 1000000000)
\set id random(1, 2500)
BEGIN;
SELECT audit_fields.set_actor('c' || :client_id || '-' || :a, 'Client ' || :client_id || ' #' || :a);
UPDATE soak.items SET deleted_at = NULL, writer = 'c' || :client_id || '-' || :a,
                      writer_name = 'Client ' || :client_id || ' #' || :a
WHERE id = :id AND deleted_at IS NOT NULL;
END;
