# Sourced by suites: wait for a condition with a deadline instead of sleeping a fixed time, so a
# suite passes on a busy machine and fails with a clear message when the condition never comes.
#
#   poll_until SECONDS "what we wait for" COMMAND [ARG]...
#
# Runs COMMAND every 0.2 s until it succeeds (returns 0) or SECONDS have passed (prints
# "<suite>: timed out after SECONDS s waiting for <what>" and returns 1). Scale every deadline with
# AUDIT_FIELDS_TIMEOUT_FACTOR (default 1) on a very slow machine (valgrind, emulation).
# shellcheck shell=bash
poll_until() {
    local seconds=$1 what=$2
    shift 2
    local factor=${AUDIT_FIELDS_TIMEOUT_FACTOR:-1}
    local deadline=$((SECONDS + seconds * factor))
    until "$@"; do
        if [ $SECONDS -ge $deadline ]; then
            echo "$(basename "$0" .sh): timed out after $((seconds * factor)) s waiting for $what" >&2
            return 1
        fi
        sleep 0.2
    done
}
