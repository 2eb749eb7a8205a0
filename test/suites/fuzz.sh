#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer + UBSan, Debian's clang-14) of the core:
# the trigger-argument parser and its fixed-buffer bridge, the trigger's decision table, and the
# scanner's rule engine with every report format. Each target runs for a bounded time
# (AUDIT_FIELDS_FUZZ_SECONDS, default 15) from the seeds in fuzz/corpus/; any crash, leak,
# sanitizer report or broken invariant fails the suite and leaves the reproducer in the log.
# matrix: once (fuzzes the core library; no server involved)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${AUDIT_FIELDS_FUZZ_SECONDS:-15}
build=${AUDIT_FIELDS_FUZZ_BUILD:-$root/build/fuzz}
work=$(mktemp -d /tmp/af-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DAUDIT_FIELDS_FUZZ=ON -DAUDIT_FIELDS_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
targets=(fuzz_table_options fuzz_stamp_rules)
[ -f src/core/scan_rules.h ] && targets+=(fuzz_scan_rules)
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >"$work/build.log" 2>&1 ||
    { tail -40 "$work/build.log"; exit 1; }

total=0
for target in "${targets[@]}"; do
    mkdir -p "$work/corpus/$target"
    dict=()
    [ -f "fuzz/${target#fuzz_}.dict" ] && dict=(-dict="$root/fuzz/${target#fuzz_}.dict")
    if ! (cd "$work" && "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "${dict[@]}" "$work/corpus/$target" "$root/fuzz/corpus/$target" \
        >"$work/$target.log" 2>&1); then
        tail -60 "$work/$target.log"
        echo "fuzz: $target FAILED (reproducer above; crash-* files were in $work)" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$work/$target.log" | tail -1 | cut -d' ' -f2)
    echo "fuzz: $target ok: ${runs:-?} executions in ${seconds}s, ${cov:-?} coverage points, no crash, leak or invariant violation"
    total=$((total + ${runs:-0}))
done
echo "fuzz: ok, ${#targets[@]} targets, $total executions in total"
