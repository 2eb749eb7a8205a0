-- The missing-actor report: who writes without an actor, seen under missing_actor = warn.
--
-- Each backend counts its misses in memory and adds them to its own rows here (keyed by its
-- backend number) at the commit of a transaction that missed an actor, at most once per
-- audit_fields.missing_actor_flush_interval, and when the session ends. Two backends never
-- write the same row, so writers never wait on each other; a busy writer updates its one row
-- now and then instead of adding a row per write. The view adds the backends up.
-- The backend writes as this table's owner (src/extension/missing_actor_report.cpp), so nobody
-- needs a privilege on it to be counted.
CREATE TABLE audit_fields.missing_actor_misses (
    backend int NOT NULL,
    relid oid NOT NULL,
    operation text NOT NULL,
    role_name text NOT NULL,
    application_name text NOT NULL,
    misses bigint NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    PRIMARY KEY (backend, relid, operation, role_name, application_name)
);
COMMENT ON TABLE audit_fields.missing_actor_misses IS
'Per-backend counts behind audit_fields.missing_actor_report; written by the trigger''s backends, read through the view.';

-- Readable by everyone (as the view); a table's rows can be deleted by the table's owner (what
-- reset_missing_actor_report() does), every row by a superuser.
ALTER TABLE audit_fields.missing_actor_misses ENABLE ROW LEVEL SECURITY;
CREATE POLICY readable ON audit_fields.missing_actor_misses FOR SELECT USING (true);
CREATE POLICY table_owner_resets ON audit_fields.missing_actor_misses FOR DELETE
    USING (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = relid),
                                  'USAGE'));
GRANT SELECT, DELETE ON audit_fields.missing_actor_misses TO PUBLIC;

CREATE VIEW audit_fields.missing_actor_report AS
SELECT m.relid::regclass AS relation,
       n.nspname AS schema_name,
       c.relname AS table_name,
       m.operation,
       m.role_name AS role,
       m.application_name,
       sum(m.misses)::bigint AS misses,
       min(m.first_seen) AS first_seen,
       max(m.last_seen) AS last_seen
FROM audit_fields.missing_actor_misses m
JOIN pg_catalog.pg_class c ON c.oid = m.relid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
GROUP BY m.relid, n.nspname, c.relname, m.operation, m.role_name, m.application_name;
COMMENT ON VIEW audit_fields.missing_actor_report IS
'Writes that had no actor under missing_actor = warn: one row per (table, operation, role, application_name). Rows of dropped tables are hidden; a superuser''s reset_missing_actor_report() clears them.';
GRANT SELECT ON audit_fields.missing_actor_report TO PUBLIC;

CREATE FUNCTION audit_fields.reset_missing_actor_report(rel regclass DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF rel IS NULL THEN
        -- Row-level security limits an ordinary role to the tables it owns; a superuser clears
        -- everything, dropped tables included.
        DELETE FROM audit_fields.missing_actor_misses;
        RETURN;
    END IF;
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = rel), 'USAGE') THEN
        RAISE EXCEPTION 'audit_fields: only the owner of table "%" may reset its missing-actor report', rel
            USING ERRCODE = '42501';
    END IF;
    -- Partitions are counted as their partitioned table; a partition's own rows are cleared too.
    DELETE FROM audit_fields.missing_actor_misses
    WHERE relid = rel OR relid IN (SELECT relid FROM pg_partition_tree(rel));
END;
$$;
COMMENT ON FUNCTION audit_fields.reset_missing_actor_report(regclass) IS
'Clears the missing-actor report for one table (its owner), or for every table the caller owns (NULL; a superuser: everything). Counts other sessions hold in memory and have not written yet still arrive later.';
