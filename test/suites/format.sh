#!/usr/bin/env bash
# Style gate: every tracked C++ source is formatted as .clang-format says.
# matrix: once (checks the sources; no server involved)
set -euo pipefail
cd "$(dirname "$0")/../.."
unformatted=()
while IFS= read -r f; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        unformatted+=("$f")
    fi
done < <(git ls-files '*.cpp' '*.h' | grep -v '^bench/floor/')
if [ ${#unformatted[@]} -gt 0 ]; then
    echo "format: not clang-formatted (run clang-format -i): ${unformatted[*]}" >&2
    exit 1
fi
echo "format: $(git ls-files '*.cpp' '*.h' | grep -vc '^bench/floor/') C++ files clang-formatted"
