-- The actor: who the *_by columns name. Stored in the settings audit_fields.actor/actor_name.

CREATE FUNCTION audit_fields.set_actor(actor text, actor_name text DEFAULT NULL,
                                       is_local boolean DEFAULT true)
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
    -- No SET clause on this function: PostgreSQL undoes a function's SET LOCAL changes when the
    -- function has one, and the actor must outlive this call.
    -- is_local = true lasts until the end of the transaction, which is what a connection pool
    -- needs: the next transaction on the same connection starts without an actor.
    SELECT pg_catalog.set_config('audit_fields.actor_name', coalesce(actor_name, ''), is_local);
    SELECT pg_catalog.set_config('audit_fields.actor', coalesce(actor, ''), is_local);
$$;
COMMENT ON FUNCTION audit_fields.set_actor(text, text, boolean) IS
'Sets audit_fields.actor and audit_fields.actor_name; transaction-local unless is_local is false. Returns the actor.';

CREATE FUNCTION audit_fields.current_actor()
RETURNS text
LANGUAGE sql
STABLE
AS $$
    SELECT CASE
        WHEN coalesce(pg_catalog.current_setting('audit_fields.actor', true), '') <> ''
            THEN pg_catalog.current_setting('audit_fields.actor', true)
        WHEN pg_catalog.current_setting('audit_fields.missing_actor', true) = 'session_user'
            THEN session_user::text
    END;
$$;
COMMENT ON FUNCTION audit_fields.current_actor() IS
'The actor the trigger would write now: audit_fields.actor, else session_user under missing_actor = session_user, else NULL.';
