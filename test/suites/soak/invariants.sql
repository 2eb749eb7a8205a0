-- One row per invariant with the number of rows that break it; every count must be 0.
SELECT 'required field NULL' AS invariant, count(*) AS violations FROM soak.items
WHERE created_at IS NULL OR updated_at IS NULL OR created_by IS NULL OR created_by_name IS NULL
   OR updated_by IS NULL OR updated_by_name IS NULL
UNION ALL
SELECT 'created_* changed after INSERT', count(*) FROM soak.items
WHERE created_by <> creator OR created_at <> inserted_at
UNION ALL
SELECT 'updated_at before created_at', count(*) FROM soak.items WHERE updated_at < created_at
UNION ALL
SELECT 'soft-deleted row without its deleter', count(*) FROM soak.items
WHERE deleted_at IS NOT NULL AND (deleted_by IS NULL OR deleted_by_name IS NULL)
UNION ALL
SELECT 'live row naming a deleter', count(*) FROM soak.items
WHERE deleted_at IS NULL AND (deleted_by IS NOT NULL OR deleted_by_name IS NOT NULL)
UNION ALL
SELECT 'actor of another transaction', count(*) FROM soak.items
WHERE updated_by <> writer OR updated_by_name <> writer_name
   OR (deleted_at IS NOT NULL AND (deleted_by <> writer OR deleted_by_name <> writer_name))
UNION ALL
SELECT 'client-forged value kept', count(*) FROM soak.items
WHERE 'forged' IN (created_by, updated_by, deleted_by) OR created_at < '2001-01-01';
