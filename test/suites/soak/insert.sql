\set a random(1, 1000000000)
BEGIN;
SELECT audit_fields.set_actor('c' || :client_id || '-' || :a, 'Client ' || :client_id || ' #' || :a);
INSERT INTO soak.items (payload, writer, writer_name, creator, inserted_at,
                        created_by, updated_by, created_at, deleted_by)
VALUES (:a, 'c' || :client_id || '-' || :a, 'Client ' || :client_id || ' #' || :a,
        'c' || :client_id || '-' || :a, now(), 'forged', 'forged', '2000-01-01', 'forged');
END;
