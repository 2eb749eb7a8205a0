/*
 * The cheapest possible BEFORE ROW trigger: returns the row unchanged. bench/overhead.sh measures
 * it as the floor that any row trigger pays in PostgreSQL (trigger manager, tuple materialisation,
 * function call), so audit_fields' own cost can be read as the difference. Benchmark only; never
 * installed by the extension.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(bench_noop_trigger);

Datum
bench_noop_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		return PointerGetDatum(td->tg_newtuple);
	return PointerGetDatum(td->tg_trigtuple);
}
