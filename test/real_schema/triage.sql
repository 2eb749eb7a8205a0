-- Waivers for the wiki schema, in the tables' own comments (they travel with pg_dump).
COMMENT ON TABLE wiki.objectcache IS '@audit_fields:ignore cache: rebuilt on a miss, rows are disposable';
COMMENT ON TABLE wiki.l10n_cache IS '@audit_fields:ignore cache: rebuilt from the message files';
COMMENT ON TABLE wiki.querycache IS '@audit_fields:ignore cache: rebuilt by a maintenance job';
COMMENT ON TABLE wiki.sessions IS '@audit_fields:ignore session store: rows expire within hours';
COMMENT ON TABLE wiki.job IS '@audit_fields:ignore job queue: rows live for seconds';
COMMENT ON TABLE wiki.site_stats IS '@audit_fields:ignore one row of counters, recomputed by initSiteStats';
COMMENT ON TABLE wiki.slots IS '@audit_fields:ignore AF001,AF002: link between revision and content, written once with the revision';
COMMENT ON TABLE wiki.content IS '@audit_fields:ignore AF001,AF002: immutable blobs addressed by hash';
COMMENT ON TABLE wiki.user_groups IS '@audit_fields:ignore AF001,AF002 until 2027-06-30: group changes are in the logging table; audit columns planned';
COMMENT ON TABLE wiki.user_properties IS '@audit_fields:ignore AF001,AF002 until 2027-06-30: preferences, audit columns planned';
COMMENT ON TABLE wiki.watchlist IS '@audit_fields:ignore AF001,AF002: per-user bookmarks, not business data';
COMMENT ON TABLE wiki.recentchanges IS '@audit_fields:ignore AF001,AF002: append-only log; rc_timestamp and rc_actor say when and who';
COMMENT ON TABLE wiki.logging IS '@audit_fields:ignore AF001,AF002: append-only log; log_timestamp and log_actor say when and who';
COMMENT ON TABLE wiki.actor IS '@audit_fields:ignore AF001: actors are never renamed, only created';
COMMENT ON TABLE wiki.revision IS '@audit_fields:ignore AF001: revisions are immutable';
COMMENT ON TABLE wiki.archive IS '@audit_fields:ignore AF001,AF011: archived revisions are never updated; ar_rev_id stays unique on purpose';
COMMENT ON TABLE wiki.image IS '@audit_fields:ignore AF001 until 2027-06-30: re-uploads create a new row; updated_at planned';
COMMENT ON TABLE wiki.ipblocks IS '@audit_fields:ignore AF001 until 2027-06-30: blocks are replaced, not edited; updated_at planned';
