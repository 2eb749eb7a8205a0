\set a random(1, 1000000000)
\set id random(1, 2500)
BEGIN;
SELECT audit_fields.set_actor('c' || :client_id || '-' || :a, 'Client ' || :client_id || ' #' || :a);
-- also tries to rewrite history: created_* must come back, updated_* must be the server's
UPDATE soak.items
SET payload = payload + 1, writer = 'c' || :client_id || '-' || :a,
    writer_name = 'Client ' || :client_id || ' #' || :a,
    created_by = 'forged', created_at = created_at - interval '1 day',
    updated_by = 'forged', updated_at = '2000-01-01'
WHERE id = :id AND deleted_at IS NULL;
END;
