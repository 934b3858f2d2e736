# The real `atoll run --net service=auto` on hvt (tools/atoll/run.c),
# sourced by tests/hvt/run.sh (on the host and again inside its VM):
# examples/echo as an application configured and built for hvt on the
# host in $B/tests/hvt/atollrun/echo; the host's atoll and atoll-hvt, the
# tree's headers, the libraries' folders and archives and hvt.lds go into
# the VM at their host paths with their times (vm.sh -m, as tests/xen's
# atoll-dom0.sh has them), so atoll finds the image up to date and builds
# nothing (the VM has no compiler). In our namespace it makes a TAP with
# virtio-net headers for the image that asks (lib/net's request note):
# 'offload both ways', ping on the address it printed, 3 MB echoed byte
# for byte; SIGTERM ends it and the TAP goes; with ATOLL_HVT_NET_OFFLOAD=0
# a plain TAP, 'offload none'.
atollrun_dir=$B/tests/hvt/atollrun
if [ "${ATOLL_IN_VM:-}" != 1 ]; then
    atollrun_top=$(pwd -P)
    atollrun_b=$(cd "$B" && pwd -P)
    atollrun_app=$atollrun_b/tests/hvt/atollrun/echo
    rm -rf "$atollrun_dir" && mkdir -p "$atollrun_app"
    cp examples/echo/echo.c examples/echo/unikernel.conf "$atollrun_app/"
    if ! (cd "$atollrun_app" && "$atollrun_b/bin/atoll" configure -q -t hvt &&
        "$atollrun_b/bin/atoll" build -q) >"$atollrun_dir/build.log" 2>&1
    then
        echo "cannot build echo for hvt: $(tail -n 1 \
            "$atollrun_dir/build.log")" >"$atollrun_dir/why"
        atollrun_app=""
    fi
    # What atoll run reads: the libraries echo links (with what they
    # need, $B/lib/NAME.deps) as folders and archives, rt and libc.
    libs=""
    [ -n "$atollrun_app" ] && libs="rt libc"
    for l in $(sed -n 's/^-l\([a-z0-9_]*\)$/\1/p' \
        "$atollrun_app"/_build/hvt/link.cmd 2>/dev/null | sort -u); do
        libs="$libs $l $(cat "$atollrun_b/lib/$l.deps" 2>/dev/null)"
    done
    for l in $(echo "$libs" | tr ' ' '\n' | sort -u); do
        case_mirrors="$case_mirrors $atollrun_top/lib/$l $atollrun_b/lib/$l.a"
        [ -f "$atollrun_b/lib/$l.deps" ] &&
            case_mirrors="$case_mirrors $atollrun_b/lib/$l.deps"
    done
    [ -n "$atollrun_app" ] && case_mirrors="$case_mirrors \
        $atollrun_b/bin/atoll $atollrun_b/bin/atoll-hvt $atollrun_top/include \
        $atollrun_top/bindings/hvt/hvt.lds $atollrun_b/lib/bindings-hvt.a \
        $atollrun_app"
    echo "$atollrun_b" >"$atollrun_dir/b"
    stat -c %Y "$atollrun_app/dist/echo.hvt" >"$atollrun_dir/mtime" 2>/dev/null
    case_files="$case_files tests/hvt/cases-atollrun.sh $atollrun_dir/b \
        $atollrun_dir/mtime"
    [ -f "$atollrun_dir/why" ] && case_files="$case_files $atollrun_dir/why"
fi
net_cases="$net_cases atollrun_cases"

# atollrun_start NAME [ENV...]: atoll run in our namespace, in the
# background ($guest_pid, output in $tmp/guest.out), until it printed the
# TAP line; GUEST is the address it printed. 1 if it did not.
atollrun_start() {
    n=$1
    shift
    ab=$(cat "$atollrun_dir/b")
    (cd "$ab/tests/hvt/atollrun/echo" &&
        exec env "$@" "$IP" netns exec "$ns" "$ab/bin/atoll" run -q \
            --net service=auto -- --log=info) >"$tmp/guest.out" 2>&1 \
        </dev/null &
    guest_pid=$!
    line="" i=0
    while [ $i -lt 300 ] && [ -z "$line" ]; do
        line=$(grep "^atoll run: net device 'service' on " "$tmp/guest.out")
        kill -0 "$guest_pid" 2>/dev/null || break
        [ -n "$line" ] || sleep 0.2
        i=$((i + 1))
    done
    atollrun_tap=$(echo "$line" | sed -n 's/.* on \([a-z0-9]*\) (host .*/\1/p')
    GUEST=$(echo "$line" | sed -n 's/.*the unikernel is at \([0-9.]*\)$/\1/p')
    if [ -n "$atollrun_tap" ] && [ -n "$GUEST" ] && wait_up 60 &&
        grep -q "net: service: mac .*offload" "$tmp/guest.out"; then
        return 0
    fi
    fail "$n" "no answer on '$GUEST' ($atollrun_tap): $(guest_tail)"
    stop_guest
    return 1
}

# atollrun_offload NAME WHAT: the guest's device line says "offload WHAT".
atollrun_offload() {
    if grep -q "net: service: mac .*, mtu 1500, offload $2\$" "$tmp/guest.out"
    then
        pass "$1"
    else
        fail "$1" "$(grep -m1 'net: service: mac' "$tmp/guest.out")"
    fi
}

atollrun_cases() {
    if [ -f "$atollrun_dir/why" ]; then
        skip "atoll run on hvt" "$(cat "$atollrun_dir/why")"
        return
    fi
    atollrun_t0=$("$DATE" +%s)
    guest_was=$GUEST
    img=$(cat "$atollrun_dir/b")/tests/hvt/atollrun/echo/dist/echo.hvt
    if atollrun_start "atoll run --net service=auto of echo on hvt"; then
        pass "atoll run --net service=auto of echo on hvt: $atollrun_tap, \
the unikernel at $GUEST answers ping"
        atollrun_offload "atoll run on hvt: a TAP with virtio-net headers, \
offload both ways" "both ways"
        sha_case "atoll run on hvt: 3 MB echoed over TCP, same sha256" 3000000
        kill -TERM "$guest_pid" 2>/dev/null
        wait "$guest_pid" 2>/dev/null
        rc=$?
        guest_pid=""
        left=$(in_ns "$IP" -o link show 2>/dev/null | grep -c ": ${atollrun_tap}[:@]")
        if [ "$rc" -eq 143 ] && [ "$left" -eq 0 ]; then
            pass "atoll run on hvt: SIGTERM ends it (status 143), the TAP is gone"
        else
            fail "atoll run on hvt: SIGTERM ends it, the TAP is gone" \
                "status $rc, $left $atollrun_tap left"
        fi
    fi
    if [ "$(stat -c %Y "$img")" = "$(cat "$atollrun_dir/mtime")" ]; then
        pass "atoll run on hvt: the image was up to date, not rebuilt"
    else
        fail "atoll run on hvt: the image was up to date, not rebuilt" \
            "$(stat -c %Y "$img") vs $(cat "$atollrun_dir/mtime")"
    fi
    if atollrun_start "atoll run on hvt with ATOLL_HVT_NET_OFFLOAD=0" \
        ATOLL_HVT_NET_OFFLOAD=0; then
        atollrun_offload "atoll run on hvt, ATOLL_HVT_NET_OFFLOAD=0: a plain \
TAP, offload none" "none"
        sha_case "atoll run on hvt, plain TAP: 200 kB echoed, same sha256" 200000
        stop_guest
    fi
    GUEST=$guest_was
    echo "atoll run on hvt: $(($("$DATE" +%s) - atollrun_t0)) s"
}
