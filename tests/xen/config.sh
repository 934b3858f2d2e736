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
