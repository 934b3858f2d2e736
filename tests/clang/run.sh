#!/bin/sh
# The whole tree must build warning-free (-Werror) with clang as with gcc.
# Builds everything with CC=clang into build/clang, runs the host unit
# tests built there, and boots the clang-built hello on the clang-built
# atoll-spt.
set -u
cd "$(dirname "$0")/../.."
B=build/clang
log=build/tests/clang-build.log

if ! command -v clang >/dev/null 2>&1; then
    echo "SKIP: clang build: no clang (apt-get install clang)"
    exit 0
fi
mkdir -p build/tests
if make --no-print-directory -j2 B=$B CC=clang all test-programs \
    >"$log" 2>&1; then
    echo "PASS: clang build of every target, -Werror"
else
    echo "FAIL: clang build: $(grep -m1 -E 'error:|warning:|\*\*\*' "$log")" \
        "(see $log)"
    exit 1
fi

st=0
for t in $B/tests/unit/*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    n=$(basename "$t")
    if "$t" >"$log.$n" 2>&1; then
        echo "PASS: clang-built unit/$n"
    else
        echo "FAIL: clang-built unit/$n: $(grep -m1 '^FAIL' "$log.$n")"
        st=1
    fi
done

out=$($B/bin/atoll-spt $B/examples/hello.spt --greeting=clang -- x 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && echo "$out" | grep -q '^clang (spt target)$'; then
    echo "PASS: clang-built hello boots on clang-built atoll-spt"
else
    echo "FAIL: clang-built hello: exit status $rc: $(echo "$out" | head -n 3)"
    st=1
fi
exit $st
