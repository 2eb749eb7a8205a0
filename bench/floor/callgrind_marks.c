/*
 * Markers for bench/instructions.sh: SQL-callable wrappers around callgrind's client requests, so
 * the benchmark measures exactly the statements between bench_callgrind_start() and
 * bench_callgrind_stop(label) in a backend running under valgrind --tool=callgrind
 * --instr-atstart=no. Outside valgrind the requests are no-ops. Benchmark only; never installed
 * by the extension.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include <valgrind/callgrind.h>

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(bench_callgrind_start);
PG_FUNCTION_INFO_V1(bench_callgrind_stop);

/* Instruments from here on, counting from zero. */
Datum
bench_callgrind_start(PG_FUNCTION_ARGS)
{
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_ZERO_STATS;
	PG_RETURN_VOID();
}

/* Writes the counts since the start into a dump file described by label; stops instrumenting. */
Datum
bench_callgrind_stop(PG_FUNCTION_ARGS)
{
	char	   *label = text_to_cstring(PG_GETARG_TEXT_PP(0));

	CALLGRIND_DUMP_STATS_AT(label);
	CALLGRIND_STOP_INSTRUMENTATION;
	PG_RETURN_VOID();
}
