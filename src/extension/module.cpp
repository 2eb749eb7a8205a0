// The shared library's entry: the magic block, settings, the cache invalidation callbacks and,
// when preloaded, planner stamping's hooks.
#include "trigger_cache.h" // first: it brings the core headers before pg.h
#include "missing_actor_report.h"
#include "planner_stamping.h"
#include "settings.h"

#include "pg.h"

extern "C" {
PG_MODULE_MAGIC;
PGDLLEXPORT void _PG_init(void);
}

void _PG_init(void) {
    audit_fields::pg::define_settings();
    audit_fields::pg::register_trigger_cache_callbacks();
    audit_fields::pg::register_missing_actor_report();
    // Planner stamping changes how statements are analysed and started, which only a library
    // loaded before any session's first statement can do consistently for the whole server.
    if (process_shared_preload_libraries_in_progress)
        audit_fields::pg::install_planner_stamping();
}
