#!/bin/sh
# `make fuzz`: every libFuzzer target of the tree (tests/fuzz,
# tests/fuzz-net, tests/fuzz-storage, tests/fuzz-dns, tests/fuzz-http,
# through their run.sh) for FUZZ_SECONDS each (default 60; `make test`
# runs them for a few seconds), then one line per target: the inputs
# executed and libFuzzer's final coverage figures (cov: edges, ft:
# features) from its "#N DONE" line.
# Exit status 1 if a target found something or did not run.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${FUZZ_SECONDS:-60}
export B FUZZ_SECONDS="$secs" FUZZ_PARAM_SECONDS="$secs"

# Old logs go, so that a target that did not run cannot report figures.
rm -f "$B/tests/fuzz/fuzz.log" "$B/tests/fuzz/fuzz_param.log" \
    "$B"/tests/fuzz-net/*/fuzz.log "$B"/tests/fuzz-storage/*/fuzz.log \
    "$B"/tests/fuzz-dns/*/fuzz.log "$B"/tests/fuzz-http/*/fuzz.log
fails=0
for g in fuzz fuzz-net fuzz-storage fuzz-dns fuzz-http; do
    sh "tests/$g/run.sh" || fails=$((fails + 1))
done

echo "fuzz: $secs s per target; inputs executed, final coverage (cov: edges, ft: features)"
n=0
for log in "$B/tests/fuzz/fuzz.log" "$B/tests/fuzz/fuzz_param.log" \
    "$B"/tests/fuzz-net/*/fuzz.log "$B"/tests/fuzz-storage/*/fuzz.log \
    "$B"/tests/fuzz-dns/*/fuzz.log "$B"/tests/fuzz-http/*/fuzz.log; do
    [ -f "$log" ] || continue
    case $log in
    */tests/fuzz/fuzz.log) name=fuzz/tender ;;
    */tests/fuzz/fuzz_param.log) name=fuzz/param ;;
    *) name=$(echo "$log" | sed 's|.*/tests/\([^/]*\)/\([^/]*\)/fuzz.log|\1/\2|') ;;
    esac
    runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" |
        tail -n 1 | grep -o '[0-9]*$')
    last=$(grep -a '^#[0-9]' "$log" | tail -n 1)
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    printf '  %-22s %10s inputs  cov %6s  ft %7s  (%s)\n' "$name" \
        "${runs:-?}" "${cov:-?}" "${ft:-?}" "$(echo "$last" |
        awk '{ print $1, $2 }')"
    n=$((n + 1))
done
if [ "$n" -eq 0 ]; then
    echo "fuzz: no target ran (clang with libFuzzer is needed)"
    exit 1
fi
[ "$fails" -eq 0 ]
