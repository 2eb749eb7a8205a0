-- A wiki schema in the shape of a well-known open-source wiki engine (pages, revisions, users,
-- watchlists, recent changes, caches, a job queue, link tables), written for this test; not a
-- copy of any project's DDL. It has what real schemas have and the scanner must cope with:
-- caches, session stores, append-only logs, link tables without audit columns, audit columns
-- under other names (created/changed/touched, created_by_id), an integer actor id and
-- timestamp without time zone everywhere, as the engine's MySQL heritage left it.
CREATE SCHEMA wiki;
SET search_path = wiki;

CREATE TABLE actor (
    actor_id bigserial PRIMARY KEY,
    actor_name text NOT NULL UNIQUE,
    created timestamp NOT NULL DEFAULT now()
);

CREATE TABLE "user" (
    user_id serial PRIMARY KEY,
    user_name text NOT NULL UNIQUE,
    user_email text,
    user_password text,
    created timestamp NOT NULL DEFAULT now(),
    touched timestamp NOT NULL DEFAULT now(),
    created_by_id integer
);

CREATE TABLE user_groups (
    ug_user integer NOT NULL REFERENCES "user" ON DELETE CASCADE,
    ug_group text NOT NULL,
    ug_expiry timestamp,
    PRIMARY KEY (ug_user, ug_group)
);

CREATE TABLE user_properties (
    up_user integer NOT NULL REFERENCES "user" ON DELETE CASCADE,
    up_property text NOT NULL,
    up_value text,
    PRIMARY KEY (up_user, up_property)
);

CREATE TABLE page (
    page_id serial PRIMARY KEY,
    page_namespace integer NOT NULL,
    page_title text NOT NULL,
    page_is_redirect boolean NOT NULL DEFAULT false,
    page_latest integer,
    page_len integer,
    created timestamp NOT NULL DEFAULT now(),
    changed timestamp NOT NULL DEFAULT now(),
    created_by_id integer REFERENCES "user",
    UNIQUE (page_namespace, page_title)
);

CREATE TABLE revision (
    rev_id serial PRIMARY KEY,
    rev_page integer NOT NULL REFERENCES page ON DELETE CASCADE,
    rev_comment text,
    rev_minor_edit boolean NOT NULL DEFAULT false,
    rev_len integer,
    rev_sha1 text,
    created timestamp NOT NULL DEFAULT now(),
    created_by_id integer REFERENCES "user"
);

CREATE TABLE content (
    content_id bigserial PRIMARY KEY,
    content_size integer NOT NULL,
    content_sha1 text NOT NULL,
    content_address text NOT NULL
);

CREATE TABLE slots (
    slot_revision_id integer NOT NULL REFERENCES revision ON DELETE CASCADE,
    slot_role_id smallint NOT NULL,
    slot_content_id bigint NOT NULL REFERENCES content,
    PRIMARY KEY (slot_revision_id, slot_role_id)
);

-- Deleted pages are kept (a soft delete with the engine's own columns).
CREATE TABLE archive (
    ar_id serial PRIMARY KEY,
    ar_namespace integer NOT NULL,
    ar_title text NOT NULL,
    ar_rev_id integer NOT NULL UNIQUE,
    created timestamp NOT NULL,
    deleted timestamp NOT NULL DEFAULT now(),
    created_by_id integer
);

CREATE TABLE watchlist (
    wl_id serial PRIMARY KEY,
    wl_user integer NOT NULL REFERENCES "user" ON DELETE CASCADE,
    wl_namespace integer NOT NULL,
    wl_title text NOT NULL,
    wl_notificationtimestamp timestamp,
    UNIQUE (wl_user, wl_namespace, wl_title)
);

-- Append-only logs: rows are written once and never changed.
CREATE TABLE recentchanges (
    rc_id serial PRIMARY KEY,
    rc_timestamp timestamp NOT NULL,
    rc_actor bigint NOT NULL REFERENCES actor,
    rc_namespace integer NOT NULL,
    rc_title text NOT NULL,
    rc_comment text,
    rc_this_oldid integer
);

CREATE TABLE logging (
    log_id serial PRIMARY KEY,
    log_type text NOT NULL,
    log_action text NOT NULL,
    log_timestamp timestamp NOT NULL,
    log_actor bigint NOT NULL REFERENCES actor,
    log_namespace integer NOT NULL,
    log_title text NOT NULL,
    log_params text
);

-- Link tables, rebuilt from page text by the parser.
CREATE TABLE pagelinks (
    pl_from integer NOT NULL REFERENCES page ON DELETE CASCADE,
    pl_namespace integer NOT NULL,
    pl_title text NOT NULL,
    PRIMARY KEY (pl_from, pl_namespace, pl_title)
);

CREATE TABLE categorylinks (
    cl_from integer NOT NULL REFERENCES page ON DELETE CASCADE,
    cl_to text NOT NULL,
    cl_sortkey text NOT NULL,
    PRIMARY KEY (cl_from, cl_to)
);

CREATE TABLE externallinks (
    el_id serial PRIMARY KEY,
    el_from integer NOT NULL REFERENCES page ON DELETE CASCADE,
    el_to text NOT NULL
);

CREATE TABLE templatelinks (
    tl_from integer NOT NULL REFERENCES page ON DELETE CASCADE,
    tl_target_id bigint NOT NULL,
    PRIMARY KEY (tl_from, tl_target_id)
);

-- Caches and session storage: disposable, rebuilt on a miss.
CREATE TABLE objectcache (
    keyname text PRIMARY KEY,
    value bytea,
    exptime timestamp NOT NULL
);

CREATE TABLE l10n_cache (
    lc_lang text NOT NULL,
    lc_key text NOT NULL,
    lc_value bytea NOT NULL,
    PRIMARY KEY (lc_lang, lc_key)
);

CREATE TABLE querycache (
    qc_type text NOT NULL,
    qc_value integer NOT NULL,
    qc_namespace integer NOT NULL,
    qc_title text NOT NULL
);

CREATE TABLE sessions (
    session_id text PRIMARY KEY,
    user_id integer,
    data bytea,
    expires timestamp NOT NULL
);

-- A job queue: rows live for seconds.
CREATE TABLE job (
    job_id serial PRIMARY KEY,
    job_cmd text NOT NULL,
    job_namespace integer NOT NULL,
    job_title text NOT NULL,
    job_params bytea NOT NULL,
    job_attempts integer NOT NULL DEFAULT 0
);

CREATE TABLE site_stats (
    ss_row_id integer PRIMARY KEY,
    ss_total_edits bigint,
    ss_good_articles bigint,
    ss_total_pages bigint,
    ss_users bigint
);

-- The schema updater's own bookkeeping.
CREATE TABLE updatelog (
    ul_key text PRIMARY KEY,
    ul_value text
);

CREATE TABLE image (
    img_name text PRIMARY KEY,
    img_size bigint NOT NULL,
    img_width integer NOT NULL,
    img_height integer NOT NULL,
    img_sha1 text NOT NULL,
    created timestamp NOT NULL DEFAULT now(),
    created_by_id integer REFERENCES "user",
    created_by_email text
);

CREATE TABLE ipblocks (
    ipb_id serial PRIMARY KEY,
    ipb_address text NOT NULL,
    ipb_reason text,
    ipb_expiry timestamp NOT NULL,
    created timestamp NOT NULL DEFAULT now(),
    created_by_id integer REFERENCES "user"
);
