# Sourced by the fuzz groups (tests/fuzz*/run.sh): building libFuzzer
# targets with clang and running one, with one PASS/FAIL/SKIP line each.
#
#   fuzz_build GROUP LOG MAKE-TARGET...
#       build the targets with make (clang from $FUZZ_CLANG, default
#       clang) and return; otherwise end the group's script: exit 0 after
#       a SKIP line (no clang, or no libFuzzer), exit 1 after a FAIL line
#       (the build failed)
#   fuzz_run NAME BIN SECONDS LOG ARTIFACT-PREFIX [LIBFUZZER-FLAG...] DIR...
#       run BIN for SECONDS over the corpus and seed folders DIR... (the
#       first is the working corpus, which grows); PASS with the number of
#       inputs executed, or FAIL with libFuzzer's first report lines and
#       status 1. Crash inputs go to ARTIFACT-PREFIX.

fuzz_build() {
    fb_group=$1 fb_log=$2
    shift 2
    if ! command -v "${FUZZ_CLANG:-clang}" >/dev/null 2>&1; then
        echo "SKIP: $fb_group: no clang"
        exit 0
    fi
    mkdir -p "$(dirname "$fb_log")"
    if make --no-print-directory -s B="$B" "$@" >"$fb_log" 2>&1; then
        return 0
    fi
    if grep -q "libclang_rt.fuzzer\|fuzzer.*No such file" "$fb_log"; then
        echo "SKIP: $fb_group: clang has no libFuzzer (libclang-rt-14-dev)"
        exit 0
    fi
    echo "FAIL: $fb_group: build failed: $(grep -m1 -i error "$fb_log")"
    exit 1
}

fuzz_run() {
    fr_name=$1 fr_bin=$2 fr_secs=$3 fr_log=$4 fr_art=$5
    shift 5
    "$fr_bin" -max_total_time="$fr_secs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$fr_art" -print_final_stats=1 "$@" \
        >"$fr_log" 2>&1
    fr_rc=$?
    fr_runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' \
        "$fr_log" | tail -n 1 | grep -o '[0-9]*$')
    if [ "$fr_rc" -eq 0 ]; then
        echo "PASS: $fr_name: ${fr_runs:-?} inputs, no finding"
        return 0
    fi
    echo "FAIL: $fr_name: exit status $fr_rc, see $fr_log; crash inputs in $fr_art"
    grep -a -m3 -E 'ERROR|SUMMARY|runtime error|fuzz[a-z-]*:' "$fr_log" |
        sed 's/^/    /'
    return 1
}

#   fuzz_each GROUP DIR SECONDS MAX-LEN
#       fuzz_run every DIR/fuzz_T for SECONDS over its working corpus
#       DIR/T/corpus and its seeds DIR/seeds/T, crash inputs in DIR/T/;
#       status 1 if one found something or none was built
fuzz_each() {
    fe_group=$1 fe_dir=$2 fe_secs=$3 fe_max=$4
    fe_fails=0 fe_ran=0
    for fe_bin in "$fe_dir"/fuzz_*; do
        [ -x "$fe_bin" ] || continue
        fe_ran=$((fe_ran + 1))
        fe_t=${fe_bin##*/fuzz_}
        mkdir -p "$fe_dir/$fe_t/corpus"
        fuzz_run "$fe_group/$fe_t ($fe_secs s)" "$fe_bin" "$fe_secs" \
            "$fe_dir/$fe_t/fuzz.log" "$fe_dir/$fe_t/" -max_len="$fe_max" \
            "$fe_dir/$fe_t/corpus" "$fe_dir/seeds/$fe_t" ||
            fe_fails=$((fe_fails + 1))
    done
    if [ "$fe_ran" -eq 0 ]; then
        echo "FAIL: $fe_group: no fuzz_* target in $fe_dir after the build"
        return 1
    fi
    [ "$fe_fails" -eq 0 ]
}
