\set a random(1, 1000000000)
\set id random(1, 2500)
BEGIN;
SELECT audit_fields.set_actor('c' || :client_id || '-' || :a, 'Client ' || :client_id || ' #' || :a);
UPDATE soak.items SET writer = 'c' || :client_id || '-' || :a,
                      writer_name = 'Client ' || :client_id || ' #' || :a
WHERE id = :id AND deleted_at IS NULL;
-- only the row this transaction locked and claimed above: a row restored by someone else
-- after that UPDATE's snapshot would be deleted under a writer this transaction never recorded
DELETE FROM soak.items WHERE id = :id AND writer = 'c' || :client_id || '-' || :a;
END;
