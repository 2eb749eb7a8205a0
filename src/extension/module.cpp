// The shared library's entry: the magic block, settings and the cache invalidation callback.
#include "trigger_cache.h" // first: it brings the core headers before pg.h
#include "missing_actor_report.h"
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
}
