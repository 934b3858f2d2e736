#!/bin/sh
# atoll on the xen target, on the host: atoll-cc --target=xen links an
# image of the virtio layout, `atoll configure -t xen` builds NAME.xen,
# and `atoll run --print-config` prints the xl configuration (devices in
# unikernel.conf's order as vifs on bridges and disks xvda.., the command
# line) word for word; what xl could not take is refused.
#   sh tests/xen/config.sh [DIR]
# With DIR, DIR/plain.cfg is the configuration of hello (no devices) with
# the command line "--greeting=Bonjour --repeat=2 one two", its image in DIR, for tests/xen/vm.sh; and
# DIR/block.cfg that of tests/guest/block.c with disks spare (xvda) and
# storage (xvdb), DIR/block/spare.img and DIR/block/storage.img (1 MiB
# of "atoll spare 01" and "xen storage 012" lines).
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.."
top=$(pwd)
Bmake=${B:-build}
case $Bmake in /*) B=$Bmake ;; *) B=$top/$Bmake ;; esac
ATOLL=$B/bin/atoll
. "$top/tests/lib/check.sh"
scratch xen-config

# pc ARGS...: atoll run --print-config ARGS in $app; the configuration in
# $tmp/cfg, stderr in $tmp/out, the status in $rc.
pc() {
    (cd "$app" && timeout 120 "$ATOLL" run -q "$@") >"$tmp/cfg" \
        2>"$tmp/out" </dev/null
    rc=$?
}

app=$tmp/app
cp -R examples/hello "$app"
rm -rf "$app/_build" "$app/dist"
printf 'block logs\nnet service\nblock data\nnet admin\n' \
    >>"$app/unikernel.conf"
truncate -s 1M "$app/logs.img" "$app/data.img"
(cd "$app" && "$ATOLL" configure -q -t xen && "$ATOLL" build -q) \
    >"$tmp/out" 2>&1
rc=$?
expect "xen: atoll configure -t xen and build make hello.xen" 0
if [ -f "$app/dist/hello.xen" ] &&
    readelf -n "$app/dist/hello.xen" 2>/dev/null | grep -q 'Xen.*0x00000012'
then
    pass "xen: hello.xen has the PVH entry note (Xen, type 0x12)"
else
    fail "xen: hello.xen has the PVH entry note" \
        "$(readelf -n "$app/dist/hello.xen" 2>&1 | tail -n 3)"
fi

# Options in another order than the conf's: the lists follow the conf.
pc --print-config --block data=data.img --net admin=br1 \
    --net service=xenbr0 --block logs=logs.img --mem 64 -- --log=debug x
want="# xl domain configuration of hello (atoll run --print-config)
name = \"hello\"
type = \"pvh\"
kernel = \"$app/dist/hello.xen\"
memory = 64
vcpus = 1
on_crash = \"destroy\"
# net service: vif 0
# net admin: vif 1
vif = [ \"bridge=xenbr0\", \"bridge=br1\" ]
# block logs: vbd 0, xvda
# block data: vbd 1, xvdb
disk = [ \"format=raw,vdev=xvda,access=rw,target=$app/logs.img\", \
\"format=raw,vdev=xvdb,access=rw,target=$app/data.img\" ]
cmdline = \"--log=debug x\""
if [ "$rc" -eq 0 ] && [ "$(cat "$tmp/cfg")" = "$want" ]; then
    pass "xen: --print-config (vifs and disks in the conf's order)"
else
    fail "xen: --print-config" "status $rc; got: $(cat "$tmp/cfg"); $(out_tail)"
fi

pc --print-config --net service=xenbr0 --net admin=br1 \
    --block logs=logs.img --block data=data.img -- "two words"
expect "xen: a blank in an argument is refused" 2 "'two words'"
pc --print-config --net service=auto --net admin=br1 \
    --block logs=logs.img --block data=data.img
expect "xen: --net NAME=auto is refused" 2 "the dom0 bridge"
pc --print-command --net service=xenbr0 --net admin=br1 \
    --block logs=logs.img --block data=data.img
expect "xen: --print-command points to --print-config" 2 "--print-config"
pc --print-config --net service=xenbr0 --block logs=logs.img \
    --block data=data.img
expect "xen: --print-config checks the declared devices" 1 \
    "declares net device 'admin'"
pc --print-config --net service=xenbr0 --net admin=br1 \
    --block logs=logs.img --block data=nothing.img
expect "xen: a missing disk file is refused" 1 "nothing.img"
if [ ! -s "$tmp/cfg" ]; then
    pass "xen: refusals print no configuration"
else
    fail "xen: refusals print no configuration" "$(cat "$tmp/cfg")"
fi
# A run outside dom0: the bridge is checked before xl is started.
pc --net service=no-such-br0 --net admin=br1 --block logs=logs.img \
    --block data=data.img
expect "xen: a run names a missing bridge" 1 "no bridge 'no-such-br0'" \
    "type bridge"

# atoll run's exit status from xl's output (tools/atoll/xenwatch.c), with
# a fake xl first on PATH: its console on stdout, xl's shutdown message on
# stderr. The application is tests/guest/hello.c (exit N, abort), in DIR
# when given: tests/xen/atoll-dom0.sh runs it in dom0 with the real xl.
run_app=${1:-$tmp}/run
mkdir -p "$run_app" "$tmp/fake"
cp tests/guest/hello.c "$run_app/"
printf 'name hello\nsources hello.c\ncflags -std=c11 -Werror\n' \
    >"$run_app/unikernel.conf"
(cd "$run_app" && "$ATOLL" configure -q -t xen && "$ATOLL" build -q) \
    >"$tmp/out" 2>&1
rc=$?
expect "xen: tests/guest/hello.c built for atoll run" 0
# FAKE_CON: the console (printf %b), FAKE_REASON: the reason code said
# (none if empty); FAKE_WAIT: wait for xl destroy (logged in $tmp/fake/log).
cat >"$tmp/fake/xl" <<'XL'
#!/bin/sh
case $1 in
destroy) echo "destroy $2" >>"${0%/*}/log"; exit 0 ;;
esac
echo "Parsing config from $4" >&2
printf '%b' "$FAKE_CON"
if [ -n "${FAKE_WAIT:-}" ]; then
    echo waiting >>"${0%/*}/log"
    until grep -q destroy "${0%/*}/log"; do sleep 0.1; done
fi
[ -z "$FAKE_REASON" ] ||
    echo "Domain 3 has shut down, reason code $FAKE_REASON 0x$FAKE_REASON" >&2
exit 0
XL
chmod +x "$tmp/fake/xl"
fake() { # REASON CONSOLE ARGS...: atoll run with the fake xl
    r=$1 c=$2
    shift 2
    (cd "$run_app" && FAKE_REASON=$r FAKE_CON=$c PATH="$tmp/fake:$PATH" \
        timeout 60 "$ATOLL" run -q --mem 32 "$@") >"$tmp/out" 2>&1 </dev/null
    rc=$?
}
fake 0 'hello\natoll: exit status 7\r\n\r\n' -- exit 7
expect "xen: atoll run's status is the guest's (the console's exit line)" 7 \
    "Parsing config from " "atoll: exit status 7"
fake 0 'atoll: exit status 7\nhello\n'
expect "xen: an exit line that is not the console's last is not the status" 0
fake 0 'atoll: exit status 7\n'
cp "$tmp/out" "$tmp/out.7"
fake 3 'atoll: exit status 7\n'
expect "xen: a crash (shutdown reason 3) is status 255" 255 "guest crashed"
fake "" 'atoll: exit status 7\n'
expect "xen: no shutdown from xl is status 1" 1 "said no shutdown"
fake 1 ''
expect "xen: another shutdown reason is status 1" 1 "reason code 1"
# SIGTERM: xl destroy of the domain (hello), status 143.
: >"$tmp/fake/log"
(cd "$run_app" && FAKE_REASON="" FAKE_CON='up\n' FAKE_WAIT=1 \
    PATH="$tmp/fake:$PATH" exec timeout 60 "$ATOLL" run -q --mem 32) \
    >"$tmp/out" 2>&1 </dev/null &
pid=$!
n=0
until grep -q waiting "$tmp/fake/log" || [ $n -ge 100 ]; do
    sleep 0.1
    n=$((n + 1))
done
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ "$rc" = 143 ] && grep -qx "destroy hello" "$tmp/fake/log"; then
    pass "xen: SIGTERM destroys the domain (xl destroy hello), status 143"
else
    fail "xen: SIGTERM" "status $rc, xl calls: $(tr '\n' '|' <"$tmp/fake/log")"
fi
[ "$(grep -c 'exit status 7' "$tmp/out.7")" = 1 ] &&
    pass "xen: the console passes through atoll run once" ||
    fail "xen: the console passes through" "$(cat "$tmp/out.7")"

at_hvt=$tmp/hvt
cp -R examples/hello "$at_hvt"
rm -rf "$at_hvt/_build" "$at_hvt/dist"
(cd "$at_hvt" && "$ATOLL" configure -q -t spt && timeout 120 "$ATOLL" \
    run -q --print-config) >"$tmp/out" 2>&1 </dev/null
rc=$?
expect "xen: --print-config on spt is refused" 2 "for the xen target only"

[ $# -eq 0 ] || {
    plain=$1/plain
    cp -R examples/hello "$plain"
    rm -rf "$plain/_build" "$plain/dist"
    (cd "$plain" && "$ATOLL" configure -q -t xen && timeout 120 "$ATOLL" \
        run -q --print-config --mem 32 -- --greeting=Bonjour --repeat=2 one two) \
        >"$1/plain.cfg" \
        2>"$tmp/out" </dev/null
    rc=$?
    expect "xen: the configuration for the VM (hello, no devices)" 0
    # tests/guest/block.c as an application with two disks: storage,
    # the one it writes, is the conf's second (xvdb).
    blk=$1/block
    mkdir -p "$blk"
    cp tests/guest/block.c "$blk/"
    printf 'name block\nsources block.c\ncflags -std=c11 -Werror\n%s\n%s\n' \
        'block spare' 'block storage' >"$blk/unikernel.conf"
    yes 'atoll spare 01' | head -c 1048576 >"$blk/spare.img"
    yes 'xen storage 012' | head -c 1048576 >"$blk/storage.img"
    (cd "$blk" && "$ATOLL" configure -q -t xen && timeout 120 "$ATOLL" \
        run -q --print-config --mem 32 --block storage=storage.img \
        --block spare=spare.img -- 2 200) >"$1/block.cfg" 2>"$tmp/out" \
        </dev/null
    rc=$?
    expect "xen: the configuration for the VM (block, two disks)" 0
}
[ "$fails" -eq 0 ]
