# examples/www on atoll-hvt, sourced by tests/hvt/run.sh (on the host and
# again inside its VM): the site of tests/www/target.sh, made on the host
# (openssl and atoll www pack are not in the VM) in $B/tests/hvt/www,
# served from its tar on the block device storage; the cases are
# tests/www/target.sh's (HTTP byte for byte, the .gz sibling, HTTPS with
# --cacert), with the host's curl.
www_dir=$B/tests/hvt/www
CURL=$(tool curl)
. tests/www/target.sh
if [ "${ATOLL_IN_VM:-}" != 1 ]; then
    www_why=""
    if [ -z "$CURL" ] || ! command -v openssl >/dev/null 2>&1; then
        www_why="needs curl and openssl"
    elif [ ! -f "$B/examples/www.hvt" ]; then
        www_why="no $B/examples/www.hvt (make all)"
    elif ! www_site "$www_dir"; then
        www_why="cannot make the site: $(tail -n 1 "$www_dir/make.log")"
    fi
    [ -n "$www_why" ] && rm -rf "$www_dir" && mkdir -p "$www_dir" &&
        echo "$www_why" >"$www_dir/why"
    case_tools="$case_tools $CURL"
    case_files="$case_files tests/hvt/cases-www.sh tests/www/target.sh"
    for f in "$B/examples/www.hvt" "$www_dir/why" "$www_dir/site.tar" \
        "$www_dir/ca.pem" "$www_dir"/want/*; do
        [ -f "$f" ] && case_files="$case_files $f"
    done
fi
net_cases="$net_cases www_hvt_case"

www_hvt_case() {
    if [ -f "$www_dir/why" ]; then
        skip "www on hvt" "$(cat "$www_dir/why")"
        return
    fi
    t0=$("$DATE" +%s)
    GUEST_IMAGE=www TENDER_OPTS="--block:storage=$www_dir/site.tar --mem=64"
    start_guest hvt --ipv4=$GUEST/24 --tls=www
    GUEST_IMAGE="" TENDER_OPTS=""
    if ! wait_up 60; then
        fail "www on hvt: boots and answers ping" "$(guest_tail)"
        stop_guest
        return
    fi
    www_target_cases hvt "$www_dir"
    stop_guest
    echo "www on hvt: $(($("$DATE" +%s) - t0)) s from the tender's start"
}
