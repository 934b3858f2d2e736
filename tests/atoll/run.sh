#!/bin/sh
# The atoll workflow end to end: configure, build, run, describe and clean
# a copy of examples/hello on spt and hvt, incremental builds, errors with
# FILE:LINE, devices checked before booting, boot parameters, atoll-cc's
# flags against mk/config.mk's, and an installed tree (make install).
# One PASS:/FAIL:/SKIP: line per case; exit status 1 if anything failed.
#
# hvt builds everywhere; hvt boots are skipped only when /dev/kvm cannot be
# opened (tests/lib/kvm-usable.sh).
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.."
top=$(pwd)
Bmake=${B:-build}
case $Bmake in /*) B=$Bmake ;; *) B=$top/$Bmake ;; esac
ATOLL=$B/bin/atoll
. "$top/tests/lib/check.sh"
scratch tool

# at DIR ARGS...: run atoll in DIR; output (both streams) in $tmp/out,
# status in $rc.
at() {
    d=$1
    shift
    (cd "$d" && timeout 120 "$ATOLL" "$@") >"$tmp/out" 2>&1 </dev/null
    rc=$?
}

# check NAME CONDITION...: PASS if the command succeeds, else FAIL.
check() {
    name=$1
    shift
    if "$@"; then
        pass "$name"
    else
        fail "$name" "$*"
    fi
}

mtime() { stat -c %Y.%y "$1" 2>/dev/null; }

kvm=no
kvm_why=$(sh tests/lib/kvm-usable.sh --why) && kvm=yes

# ---- the hello workflow on each target ----------------------------------

workflow() { # TARGET OTHER
    t=$1 o=$2
    app=$tmp/$t/hello
    mkdir -p "$tmp/$t"
    cp -R examples/hello "$app"
    rm -rf "$app/_build" "$app/dist"

    at "$app" configure -t "$t"
    expect "$t: configure" 0 "configured hello for $t" "sources      hello.c"

    at "$app" build
    expect "$t: build" 0 "CC      hello.c" "LD      dist/hello.$t" \
        "dist/hello.$t built"
    check "$t: image in dist/" test -f "$app/dist/hello.$t"

    if [ "$t" = spt ] || [ "$kvm" = yes ]; then
        at "$app" run -q
        expect "$t: run" 0 "Hello from Atoll ($t target)"
    else
        skip "$t: run" "no usable /dev/kvm: $kvm_why"
    fi

    img=$(mtime "$app/dist/hello.$t")
    obj=$(mtime "$app/_build/$t/obj/hello.o")
    at "$app" build
    expect "$t: second build does no work" 0 "is up to date" "!CC " "!LD "
    check "$t: second build rewrites nothing" test \
        "$img/$obj" = "$(mtime "$app/dist/hello.$t")/$(mtime \
        "$app/_build/$t/obj/hello.o")"

    mkdir -p "$app/deep/er"
    at "$app/deep/er" build
    expect "$t: build from a subfolder" 0 "is up to date"

    # Touching a source recompiles it alone.
    sleep 0.01
    touch "$app/hello.c"
    at "$app" build
    expect "$t: touched source is recompiled" 0 "CC      hello.c" "LD " \
        "!manifest.c"

    # A header the source includes, given through cflags: changing the
    # flags recompiles, and so does changing the header afterwards.
    echo '#define EXTRA 1' >"$app/extra.h"
    echo 'cflags -include extra.h' >>"$app/unikernel.conf"
    at "$app" build
    expect "$t: new cflags recompile" 0 "CC      hello.c"
    at "$app" build
    expect "$t: unchanged again" 0 "is up to date" "!CC "
    sleep 0.01
    echo '#define EXTRA 2' >"$app/extra.h"
    at "$app" build
    expect "$t: changed header recompiles" 0 "CC      hello.c"

    # Devices added to unikernel.conf: the manifest alone is recompiled,
    # describe lists them.
    printf 'net service\nblock storage\n' >>"$app/unikernel.conf"
    at "$app" build
    expect "$t: new devices rebuild the manifest" 0 \
        "CC      _build/$t/manifest.c" "!CC      hello.c"
    at "$app" describe
    expect "$t: describe" 0 "target       $t" \
        "devices      net service, block storage" "libraries    rt libc" \
        "dist/hello.$t, " "--greeting=TEXT" \
        "what to say (default: Hello from Atoll)" \
        "--repeat=INT             how many times to say it (default: 1, 0..100)" \
        "--log=LEVEL"

    # Switching target and back.
    at "$app" configure -t "$o"
    expect "$t: switch to $o" 0 "configured hello for $o"
    at "$app" build
    expect "$t: build after switching to $o" 0 "LD      dist/hello.$o"
    check "$t: both images after switching" test -f "$app/dist/hello.$o" \
        -a -f "$app/dist/hello.$t"
    check "$t: the plan names $o" grep -q "^target $o\$" "$app/_build/plan"
    at "$app" configure -q -t "$t"
    at "$app" build
    expect "$t: switching back does no work" 0 "is up to date" "!CC "

    at "$app" clean
    if [ "$rc" -eq 0 ] && [ ! -e "$app/_build" ] && [ ! -e "$app/dist" ]; then
        pass "$t: clean"
    else
        fail "$t: clean" "status $rc, left $(ls "$app")"
    fi
}

workflow spt hvt
workflow hvt spt

# ---- boot parameters ----------------------------------------------------

bootparams() { # TARGET
    t=$1
    app=$tmp/bp-$t
    cp -R examples/hello "$app"
    rm -rf "$app/_build" "$app/dist"
    at "$app" configure -q -t "$t"
    at "$app" build -q
    if [ "$t" = hvt ] && [ "$kvm" = no ]; then
        skip "$t: boot parameters" "no usable /dev/kvm: $kvm_why"
        return
    fi
    at "$app" run -q -- --help
    expect "$t: run -- --help" 0 "Boot parameters" \
        "--greeting=TEXT          what to say (default: Hello from Atoll)" \
        "--log=LEVEL              log level: error, warn, info or debug (default: info)" \
        "--heap-check=BOOL" "!Hello from Atoll ($t"

    at "$app" run -q -- --log=debug --greeting=Hi -- one two
    expect "$t: run -- --log=debug" 0 "debug: boot: $t" "Hi ($t target)" \
        "arguments: [0]=hello [1]=one [2]=two" "  --log=debug"
    at "$app" run -q
    expect "$t: no debug lines by default" 0 "Hello from Atoll ($t" "!debug:"

    at "$app" run -q -- --repeat=many
    expect "$t: wrong type stops the boot" 2 \
        "boot: boot parameter --repeat: 'many' is not an integer" \
        "!Hello from Atoll"
    check "$t: wrong type is one line" test "$(grep -c . "$tmp/out")" -eq 1

    at "$app" run -q -- --colour=blue
    expect "$t: unknown key stops the boot" 2 \
        "boot: unknown boot parameter '--colour=blue'"
    check "$t: unknown key is one line" test "$(grep -c . "$tmp/out")" -eq 1
}

bootparams spt
bootparams hvt

# ---- the unikernel's exit status ----------------------------------------

app=$tmp/status
mkdir -p "$app"
cat >"$app/main.c" <<'EOF'
#include <stdlib.h>
int main(int argc, char **argv)
{
    return argc > 1 ? atoi(argv[1]) : 0;
}
EOF
echo 'name status' >"$app/unikernel.conf"
at "$app" configure -q -t spt
at "$app" run -q -- 7
expect "run exits with the unikernel's status" 7

# ---- devices are checked before booting ---------------------------------

app=$tmp/dev
cp -R examples/hello "$app"
rm -rf "$app/_build" "$app/dist"
printf 'net service\nblock storage\n' >>"$app/unikernel.conf"
truncate -s 1M "$app/disk.img"
line=$(grep -n '^net service$' "$app/unikernel.conf" | cut -d: -f1)
at "$app" configure -q -t spt
at "$app" run -q --block storage=disk.img
expect "declared net device without --net fails before booting" 1 \
    "declares net device 'service' (unikernel.conf:$line)" \
    "atoll run --net service=TAP" "ip tuntap add" "ip addr add" \
    "ip link set dev tap0 up" "!Hello from Atoll"
at "$app" run -q --net service=atolltap99 --block storage=disk.img
expect "missing TAP says how to create it" 1 \
    "no network interface 'atolltap99'" \
    "sudo ip tuntap add dev atolltap99 mode tap" \
    "sudo ip addr add " "/30 dev atolltap99 && sudo ip link set" \
    "sudo ip link set dev atolltap99 up" \
    "atoll run --net service=atolltap99 -- --ipv4="
at "$app" run -q --net service=lo --block storage=disk.img
expect "an interface that is not a TAP is refused" 1 \
    "interface 'lo' is not a TAP interface"
at "$app" run -q --net service=@3 --block storage=missing.img
expect "missing block file says how to create it" 1 \
    "missing.img: No such file or directory" "truncate -s 64M"
at "$app" run -q --net service=@3 --block disk=x.img
expect "a device the conf does not declare is refused" 1 \
    "declares no block device 'disk'"
at "$app" run -q extra
expect "boot arguments need --" 2 "go after --"

# ---- unikernel.conf errors through atoll --------------------------------

conf_error() { # NAME LINE TEXT CONF-TEXT
    app=$tmp/err
    rm -rf "$app"
    mkdir -p "$app"
    echo 'int main(void) { return 0; }' >"$app/main.c"
    printf '%b' "$4" >"$app/unikernel.conf"
    at "$app" configure -t spt
    expect "conf error: $1" 1 "unikernel.conf:$2: $3"
}

conf_error "unknown key" 2 "unknown key 'source'" "name x\nsource main.c\n"
conf_error "missing source" 3 "source 'gone.c' does not exist" \
    "name x\n# the sources\nsources main.c gone.c\n"
conf_error "pattern matching nothing" 2 "sources 'src/*.c' matches no file" \
    "name x\nsources src/*.c\n"
conf_error "unknown library" 2 "unknown library 'nosuchlib' (libraries: " \
    "name x\nlibraries nosuchlib\n"
conf_error "duplicate device" 4 \
    "device name 'service' is already declared on line 2" \
    "name x\nnet service\nblock storage\nblock service\n"
long=$(printf 'n%.0s' $(seq 1 68))
conf_error "device name too long" 2 "net device name 'nnnnnnnnnnnnnnnnnnnn...' \
is 68 characters long; the manifest allows at most 67" \
    "name x\nnet $long\n"
conf_error "missing name" 1 "no 'name' line" "sources main.c\n"

# An error appearing after configure stops the build with FILE:LINE too.
app=$tmp/err
printf 'name x\n' >"$app/unikernel.conf"
at "$app" configure -q -t spt
printf 'name x\nlibraries\n' >"$app/unikernel.conf"
at "$app" build
expect "conf error at build time" 1 "unikernel.conf:2: 'libraries' needs"

# Compiler errors appear as the compiler printed them.
printf 'name x\n' >"$app/unikernel.conf"
printf 'int main(void)\n{\n    return nope;\n}\n' >"$app/main.c"
at "$app" build
expect "compiler errors as printed" 1 "main.c:3:12: error: 'nope'" \
    "atoll: build of dist/x.spt failed"
printf 'int main(void)\n{\n    return 0;\n}\n' >"$app/main.c"
at "$app" build -j1
expect "builds again once fixed" 0 "CC      main.c"

# ---- a missing library is named at link time -----------------------------

app=$tmp/nolib
mkdir -p "$app"
cat >"$app/main.c" <<'EOF2'
#include "atoll/kv.h"
#include "atoll/net.h"
#include "atoll/rt.h"
int main(void)
{
    struct atoll_netif *nif;
    struct atoll_tcp *l, *c;

    if (atoll_netif_open("service", &nif) != 0)
        return 1;
    atoll_tcp_listen(nif, 7, 0, &l);
    atoll_tcp_accept(l, &c, ATOLL_NET_FOREVER); /* net's fiber API */
    atoll_kv_close(0);
    return 0;
}
EOF2
printf 'name nolib\nlibraries net\nnet service\n' >"$app/unikernel.conf"
at "$app" configure -q -t spt
at "$app" build -q
expect "missing libraries are named with the fix" 1 \
    "atoll: add \`kv\` to \`libraries\` in unikernel.conf (it defines atoll_kv_close)" \
    "!add \`net\`" "!add \`tarkv\`" "!add \`blockdev\`"
expect "net brings fiber (lib/net/module.mk's lib_deps)" 1 \
    "!atoll_fiber_wait" "!add \`fiber\`"
printf 'name nolib\nlibraries net kv\nnet service\n' >"$app/unikernel.conf"
at "$app" build -q
expect "builds once it is added, kv bringing blockdev" 0 "!add \`"
printf 'name nolib\nlibraries net fiber kv blockdev\nnet service\n' \
    >"$app/unikernel.conf"
at "$app" build -q
expect "a conf naming the needed libraries too still builds" 0 "!add \`"
at "$app" describe
expect "describe lists the libraries brought in" 0 \
    "libraries    net fiber kv blockdev rt libc"
printf 'int nowhere(void);\nint main(void) { return nowhere(); }\n' \
    >"$app/main.c"
at "$app" build -q
expect "a symbol no library has gets no hint" 1 \
    "undefined reference to \`nowhere'" "!atoll: add"
cat >"$app/main.c" <<'EOF2'
#include <math.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    (void)argv;
    printf("cbrt %.3f\n", cbrt(27.0 + argc - 1));
    return 0;
}
EOF2
printf 'name nolib\n' >"$app/unikernel.conf"
at "$app" build -q
expect "libm's functions without it: add \`m\` (musl's libm)" 1 \
    "atoll: add \`m\` to \`libraries\` in unikernel.conf (it defines cbrt)"
printf 'name nolib\nlibraries m\n' >"$app/unikernel.conf"
at "$app" build -q
[ $rc -eq 0 ] && at "$app" run
expect "libraries m links libm (cbrt on spt)" 0 "cbrt 3.000"

# ---- help, version, usage errors ----------------------------------------

at "$tmp" --help
expect "atoll --help" 0 "usage: atoll" "configure -t TARGET" "describe" \
    "atoll-NAME"
for c in configure build run describe clean new pack; do
    at "$tmp" "$c" --help
    expect "atoll $c --help" 0 "usage: atoll $c"
done
at "$tmp" --version
expect "atoll --version" 0 "atoll 0." "hvt, spt"
at "$tmp" frobnicate
expect "unknown command" 2 "unknown command 'frobnicate'"
at "$tmp" configure
expect "configure without a target" 2 "give -t TARGET (hvt, spt"
at "$tmp" configure -t muen
expect "an unknown target" 2 "unknown target 'muen'" "virtio, xen"
at /tmp build
expect "build outside an application" 1 "run atoll configure -t TARGET"
"$B/bin/atoll-cc" --help >"$tmp/out" 2>&1
rc=$?
expect "atoll-cc --help" 0 "--target=TARGET" "--manifest=CONF"
"$B/bin/atoll-cc" -c x.c >"$tmp/out" 2>&1
rc=$?
expect "atoll-cc without a target" 2 "no target"

# ---- -lNAME brings the libraries NAME needs --------------------------------
cat >"$tmp/usekv.c" <<'EOF_C'
#include "atoll/kv.h"
#include "atoll/net.h"
int main(void)
{
    struct atoll_tcp *c;

    atoll_tcp_accept(0, &c, ATOLL_NET_FOREVER); /* fiber, through net */
    atoll_kv_close(0);                         /* blockdev, through kv */
    return 0;
}
EOF_C
"$B/bin/atoll-cc" --target=spt -o "$tmp/usekv.spt" "$tmp/usekv.c" -lkv \
    -lnet >"$tmp/out" 2>&1
rc=$?
expect "atoll-cc -lkv -lnet links blockdev and fiber too" 0 "!undefined"

# ---- -lm links libm; -lc -lrt -lpthread -ldl add nothing -----------------
cat >"$tmp/usem.c" <<'EOF_C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
    double x = argc > 1 ? strtod(argv[1], NULL) : 2.0;
    printf("sqrt(%g) = %.6f, pow = %g\n", x, sqrt(x), pow(x, 10));
    return 0;
}
EOF_C
"$B/bin/atoll-cc" --target=spt -O2 -o "$tmp/usem.spt" "$tmp/usem.c" \
    -lm -lc -lrt -lpthread -ldl >"$tmp/out" 2>&1 &&
    "$B/bin/atoll-spt" "$tmp/usem.spt" 2.25 >"$tmp/out" 2>&1
rc=$?
expect "atoll-cc links -lm (libm) and accepts -lc -lrt -lpthread -ldl" 0 \
    "sqrt(2.25) = 1.500000, pow = 3325.26"
"$B/bin/atoll-cc" --target=spt -o "$tmp/usem.spt" "$tmp/usem.c" \
    >"$tmp/out" 2>&1
rc=$?
expect "a program using libm without -lm names what is missing" 1 "sqrt"
"$B/bin/atoll-cc" --target=spt -o "$tmp/usem.spt" "$tmp/usem.c" -lnosuch \
    >"$tmp/out" 2>&1
rc=$?
expect "-l of an unknown library" 1 "-lnosuch: unknown library 'nosuch'"

# ---- quiet builds: one line per step, the commands with V=1 --------------

qb=$tmp/quiet-build
make -s --no-print-directory B="$qb" "$qb/guest/lib/rt/heap.o" \
    "$qb/host/tools/atoll/sha256.o" >"$tmp/out" 2>&1
rc=$?
expect "make prints one line per step" 0 "  CC      lib/rt/heap.c" \
    "  HOSTCC  tools/atoll/sha256.c" "!-c lib/rt/heap.c"
rm -rf "$qb"
make --no-print-directory B="$qb" V=1 "$qb/guest/lib/rt/heap.o" \
    >"$tmp/out" 2>&1
rc=$?
expect "make V=1 prints the commands" 0 "-ffreestanding" \
    "-c lib/rt/heap.c -o $qb/guest/lib/rt/heap.o" "!  CC      "
# make clean removes the build folder it is given, not build/.
make -s --no-print-directory B="$qb" clean >"$tmp/out" 2>&1
rc=$?
check "make B=DIR clean removes DIR" test "$rc" -eq 0 -a ! -e "$qb"
rm -rf "$qb"
app=$tmp/quiet-app
cp -R examples/hello "$app"
rm -rf "$app/_build" "$app/dist"
(cd "$app" && "$ATOLL" configure -q -t spt && V=1 "$ATOLL" build) \
    >"$tmp/out" 2>&1
rc=$?
expect "atoll build under V=1 prints the commands" 0 \
    "atoll-cc --target=spt" "-c hello.c" "!  CC      hello.c" "!  LD      "

# ---- atoll-cc's flags are mk/config.mk's --------------------------------

make -s --no-print-directory B="$Bmake" atoll-print-guest-flags \
    >"$tmp/mk" 2>"$tmp/mk.err"
for kind in cflags asflags ldflags; do
    want=$(sed -n "s/^$kind //p" "$tmp/mk")
    got=$("$B/bin/atoll-cc" --target=spt --print-$kind |
        sed -e "s| -T $top/bindings/spt/spt.lds\$||" -e "s|$top/||g")
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
        pass "atoll-cc $kind match mk/config.mk"
    else
        fail "atoll-cc $kind match mk/config.mk" \
            "make: '$want' atoll-cc: '$got' $(head -c 200 "$tmp/mk.err")"
    fi
done

# ---- the examples are built by atoll ------------------------------------

for t in hvt spt; do
    if cmp -s "$B/examples/hello.$t" "$B/examples/hello/$t/dist/hello.$t"; then
        pass "make builds examples/hello.$t with atoll"
    else
        fail "make builds examples/hello.$t with atoll" "images differ"
    fi
done

# ---- an installed tree --------------------------------------------------

prefix=$tmp/prefix
if make -s --no-print-directory B="$Bmake" install PREFIX="$prefix" \
    >"$tmp/out" 2>&1; then
    pass "make install"
else
    fail "make install" "$(out_tail)"
fi
app=$tmp/inst-hello
cp -R examples/hello "$app"
rm -rf "$app/_build" "$app/dist"
(cd "$app" && "$prefix/bin/atoll" configure -q -t spt &&
    "$prefix/bin/atoll" build -q && "$prefix/bin/atoll" run -q -- \
    --greeting=installed) >"$tmp/out" 2>&1
rc=$?
expect "installed atoll builds and runs hello" 0 "installed (spt target)"
check "installed atoll uses the installed libc headers" grep -qx \
    "$prefix/lib/atoll/include/libc" "$app/_build/spt/obj/hello.o.cmd"
app=$tmp/inst-echo
cp -R examples/echo "$app"
rm -rf "$app/_build" "$app/dist"
sed -i 's/^libraries .*/libraries net/' "$app/unikernel.conf"
(cd "$app" && "$prefix/bin/atoll" configure -q -t spt &&
    "$prefix/bin/atoll" build -q) >"$tmp/out" 2>&1
rc=$?
expect "installed atoll: libraries net brings fiber (lib/net.deps)" 0 \
    "!undefined"
# Man pages, completion and pkg-config (tests/docs checks them in depth).
check "installed: man -M PREFIX/share/man atoll shows atoll(1)" sh -c \
    "MANWIDTH=80 man -M '$prefix/share/man' atoll | grep -q 'atoll - build'"
check "installed: the bash completion for atoll" \
    test -f "$prefix/share/bash-completion/completions/atoll"
check "installed: pkg-config --cflags atoll names the installed headers" \
    sh -c "PKG_CONFIG_PATH='$prefix/lib/pkgconfig' pkg-config --cflags \
    atoll | grep -qF -- '-I$prefix/lib/atoll/include'"
printf '#!/bin/sh\necho "tool got: $*"\n' >"$prefix/bin/atoll-hello"
chmod +x "$prefix/bin/atoll-hello"
"$prefix/bin/atoll" hello one two >"$tmp/out" 2>&1
rc=$?
expect "atoll NAME runs atoll-NAME" 0 "tool got: one two"

# ---- atoll new ------------------------------------------------------------

for tp in hello echo kv; do
    at "$tmp" new "new-$tp" --template="$tp"
    expect "new $tp: created" 0 "created new-$tp/ (template $tp)" \
        "main.c unikernel.conf .gitignore"
    app=$tmp/new-$tp
    check "new $tp: .gitignore holds _build/ and dist/" grep -qx '_build/' \
        "$app/.gitignore" -a -n "$(grep -x 'dist/' "$app/.gitignore")"
    check "new $tp: the name is substituted" grep -q "^name new-$tp\$" \
        "$app/unikernel.conf"
    # The templates are warning-free.
    echo 'cflags -Werror' >>"$app/unikernel.conf"
    at "$app" configure -q -t spt
    at "$app" build -q
    expect "new $tp: builds without warnings" 0 "!warning"
    at "$app" describe
    case $tp in
    hello) expect "new hello: describe" 0 "devices      none" "--greeting=TEXT" ;;
    echo) expect "new echo: describe" 0 "devices      net service" \
        "libraries    net fiber rt libc" "--port=INT" "--ipv4=" ;;
    kv) expect "new kv: describe" 0 "devices      block storage" \
        "libraries    kv blockdev rt libc" ;;
    esac
done
at "$tmp/new-hello" run -q -- --greeting=Howdy -- one
expect "new hello: runs" 0 "Howdy from new-hello (spt target)" \
    "argument 1: one"
truncate -s 8M "$tmp/new-kv/disk.img"
at "$tmp/new-kv" run -q --block storage=disk.img
expect "new kv: first run formats" 0 "formatted the block device" \
    "boot number 1"
at "$tmp/new-kv" run -q --block storage=disk.img
expect "new kv: second run counts on" 0 "boot number 2" "!formatted"

mkdir -p "$tmp/new-empty"
at "$tmp" new new-empty
expect "new into an empty folder" 0 "created new-empty/"
at "$tmp" new new-hello
expect "new refuses a non-empty folder" 1 \
    "'new-hello' exists and is not empty"
check "new: the refusal is one line" test "$(grep -c . "$tmp/out")" -eq 1
check "new: the refused folder is untouched" test "$(grep -c Howdy \
    "$tmp/new-hello/main.c")" -eq 0
at "$tmp" new "bad name"
expect "new refuses a bad name, saying the rule" 2 \
    "'bad name' is not a unikernel name: up to 64 letters, digits" \
    "starting with a letter or digit"
check "new: bad name is one line" test "$(grep -c . "$tmp/out")" -eq 1
check "new: nothing made for a bad name" test ! -e "$tmp/bad name"
at "$tmp" new new-x --template=rust
expect "new refuses an unknown template, listing them" 2 \
    "unknown template 'rust' (templates: echo, hello, kv)"
check "new: unknown template is one line" test "$(grep -c . "$tmp/out")" -eq 1
check "new: nothing made for an unknown template" test ! -e "$tmp/new-x"
at "$tmp" new
expect "new without a name" 2 "usage: atoll new NAME"

# ---- atoll pack: an OCI image for urunc ----------------------------------

app=$tmp/pack
cp -R examples/echo "$app"
rm -rf "$app/_build" "$app/dist"
at "$app" configure -q -t spt
at "$app" pack -q -- --port=8080 --log=debug
expect "pack: writes the archive" 0 "packed dist/echo-spt.oci.tar" \
    "tag echo:latest"
oci=$app/dist/echo-spt.oci.tar
x=$tmp/pack-x
mkdir -p "$x"
if tar -xf "$oci" -C "$x" 2>"$tmp/out" && [ -f "$x/oci-layout" ] &&
    [ -f "$x/index.json" ] && [ -d "$x/blobs/sha256" ]; then
    pass "pack: an OCI layout (oci-layout, index.json, blobs/sha256)"
else
    fail "pack: an OCI layout" "$(ls "$x") $(out_tail)"
fi
bad=""
nblobs=0
for f in "$x"/blobs/sha256/*; do
    nblobs=$((nblobs + 1))
    [ "$(sha256sum <"$f" | cut -c 1-64)" = "${f##*/}" ] || bad="$bad ${f##*/}"
done
check "pack: 3 blobs, each named by its sha256 ($nblobs,$bad)" test \
    "$nblobs" = 3 -a -z "$bad"
layer=$(grep -l . "$x"/blobs/sha256/* | while read -r f; do
    gzip -t <"$f" 2>/dev/null && echo "$f"; done)
mkdir -p "$x/rootfs"
if [ -n "$layer" ] && tar -xzf "$layer" -C "$x/rootfs"; then
    pass "pack: the layer is a gzipped tar"
else
    fail "pack: the layer is a gzipped tar" "$layer"
fi
check "pack: the layer holds the image" cmp -s "$x/rootfs/unikernel/echo.spt" \
    "$app/dist/echo.spt"
check "pack: the layer holds the tender" cmp -s \
    "$x/rootfs/unikernel/atoll-spt" "$B/bin/atoll-spt"
uj=$x/rootfs/urunc.json
got=$(sed -n 's/.*"com.urunc.unikernel.cmdline":"\([^"]*\)".*/\1/p' "$uj" |
    base64 -d 2>/dev/null)
check "pack: urunc.json has base64 values (cmdline '$got')" test \
    "$got" = "--port=8080 --log=debug"
cp "$oci" "$tmp/first.oci.tar"
sleep 1.1
at "$app" pack -q -- --port=8080 --log=debug
check "pack: the same inputs give the same archive" cmp -s "$oci" \
    "$tmp/first.oci.tar"

if ! command -v skopeo >/dev/null 2>&1; then
    fail "pack: skopeo inspect" "no skopeo (sh tests/lib/deps.sh test)"
else
    timeout 120 skopeo inspect "oci-archive:$oci" >"$tmp/out" 2>&1
    rc=$?
    expect "pack: skopeo inspect accepts it, with urunc's labels" 0 \
        '"com.urunc.unikernel.unikernelType": "mirage"' \
        '"com.urunc.unikernel.hypervisor": "spt"' \
        '"com.urunc.unikernel.binary": "/unikernel/echo.spt"' \
        '"com.urunc.unikernel.cmdline": "--port=8080 --log=debug"' \
        '"Architecture": "amd64"'
    timeout 120 skopeo inspect --raw "oci-archive:$oci" >"$tmp/out" 2>&1
    rc=$?
    expect "pack: the manifest carries urunc's annotations" 0 \
        '"annotations":{"com.urunc.unikernel.unikernelType":"mirage"' \
        '"com.urunc.unikernel.hypervisor":"spt"' \
        'application/vnd.oci.image.layer.v1.tar+gzip'
fi
# podman, with a storage of this test's own (nothing left behind).
if ! command -v podman >/dev/null 2>&1; then
    fail "pack: podman load" "no podman (sh tests/lib/deps.sh test)"
elif [ "$(id -u)" != 0 ]; then
    skip "pack: podman load" "not root (rootless podman needs subuid setup)"
else
    pod="podman --root $tmp/podman/root --runroot $tmp/podman/run \
        --storage-driver vfs"
    timeout 300 $pod load -i "$oci" >"$tmp/out" 2>&1
    rc=$?
    expect "pack: podman load accepts it" 0 "Loaded image" "echo:latest"
    timeout 120 $pod image inspect echo:latest --format \
        '{{.Annotations}} {{.Labels}}' >"$tmp/out" 2>&1
    rc=$?
    expect "pack: podman shows the annotations" 0 \
        "com.urunc.unikernel.hypervisor:spt" \
        "com.urunc.unikernel.unikernelType:mirage"
    timeout 120 $pod rmi -a >/dev/null 2>&1
    rm -rf "$tmp/podman" 2>/dev/null
fi
at "$app" pack -q --tag=registry.example/echo:1.0 -o "$tmp/tagged.tar" -- x
expect "pack: --tag and -o" 0 "packed" "tag registry.example/echo:1.0"
check "pack: the tag is the ref name" grep -q \
    '"org.opencontainers.image.ref.name":"registry.example/echo:1.0"' \
    "$tmp/tagged.tar"
at "$app" pack --frob
expect "pack: unknown option" 2 "unknown option '--frob'"
at "$app" clean
check "clean removes the archive" test ! -e "$oci"
at "$app" configure -q -t hvt
at "$app" pack -q
expect "pack: hvt" 0 "packed dist/echo-hvt.oci.tar (hvt, urunc: mirage on hvt"
rm -rf "$x" && mkdir -p "$x"
tar -xf "$app/dist/echo-hvt.oci.tar" -C "$x" 2>/dev/null
check "pack: hvt manifest says hypervisor hvt" grep -rqs \
    '"com.urunc.unikernel.hypervisor":"hvt"' "$x/blobs/sha256"
hvtlayer=""
for f in "$x"/blobs/sha256/*; do
    gzip -t <"$f" 2>/dev/null && hvtlayer=$f
done
check "pack: hvt layer holds atoll-hvt and the image" test -n "$hvtlayer" \
    -a "$(tar -tzf "$hvtlayer" 2>/dev/null | grep -c \
    '^unikernel/atoll-hvt$\|^unikernel/echo.hvt$')" = 2

# ---- atoll run on hvt without KVM suggests spt --------------------------

app=$tmp/nokvm
cp -R examples/hello "$app"
rm -rf "$app/_build" "$app/dist"
at "$app" configure -q -t hvt
(cd "$app" && ATOLL_KVM=/nonexistent timeout 120 "$ATOLL" run -q) \
    >"$tmp/out" 2>&1 </dev/null
rc=$?
expect "hvt without KVM suggests spt" 1 "/nonexistent is missing" \
    "atoll configure -t spt" "!Hello from Atoll"
check "hvt without KVM is one line" test "$(grep -c . "$tmp/out")" -eq 1
(cd "$app" && ATOLL_KVM=/dev/null timeout 120 "$ATOLL" run -q) \
    >"$tmp/out" 2>&1 </dev/null
rc=$?
expect "hvt with a non-KVM device node suggests spt" 1 \
    "/dev/null is not the KVM device" "-t spt"
# atoll kvm-check, the probe of atoll run (a tiny SSE guest) that
# kvm-usable.sh asks: its status and reason, a missing device, one that
# is not KVM.
ATOLL_KVM=/nonexistent "$ATOLL" kvm-check >"$tmp/out" 2>&1
rc=$?
expect "atoll kvm-check: a missing device, status 1 and why" 1 \
    "/nonexistent is missing"
ATOLL_KVM=/dev/null "$ATOLL" kvm-check >"$tmp/out" 2>&1
rc=$?
expect "atoll kvm-check: a device that is not KVM" 1 \
    "/dev/null is not the KVM device"
"$ATOLL" kvm-check >"$tmp/out" 2>&1
rc=$?
if [ "$kvm" = yes ]; then
    expect "atoll kvm-check: KVM usable here, status 0" 0
else
    expect "atoll kvm-check: KVM not usable here, its reason" 1 "$kvm_why"
fi
# A KVM that opens but cannot run SSE code is refused by atoll run before
# the tender starts, a usable one runs the image.
at "$app" run -q
case $kvm:$kvm_why in
no:*SSE*)
    expect "hvt on a KVM unable to run SSE: refused, spt suggested" 1 \
        "this KVM cannot run SSE code" "-t spt" "!atoll-hvt" \
        "!Hello from Atoll" ;;
yes:*)
    expect "hvt on a usable KVM: the probe lets it run" 0 \
        "Hello from Atoll (hvt" ;;
*) skip "hvt KVM probe" "$kvm_why" ;;
esac

# ---- atoll run on the virtio target: QEMU -------------------------------

# printcmd DIR ARGS...: atoll run --print-command in DIR without KVM (so
# -accel tcg everywhere); the command in $tmp/cmd, stderr in $tmp/out.
printcmd() {
    d=$1
    shift
    (cd "$d" && ATOLL_KVM=/nonexistent timeout 120 "$ATOLL" run -q \
        --print-command "$@") >"$tmp/cmd" 2>"$tmp/out" </dev/null
    rc=$?
}

# same NAME WANT: the printed command is WANT, word for word.
same() {
    got=$(cat "$tmp/cmd")
    if [ "$rc" -eq 0 ] && [ "$got" = "$2" ]; then
        pass "$1"
    else
        fail "$1" "status $rc; got: $got; want: $2; $(out_tail)"
    fi
}

app=$tmp/vio
cp -R examples/hello "$app"
rm -rf "$app/_build" "$app/dist"
printf 'net service\nblock storage\n' >>"$app/unikernel.conf"
truncate -s 1M "$app/disk.img" "$app/my disk,1.img"
at "$app" configure -q -t virtio
if [ "$rc" -ne 0 ]; then
    skip "virtio: atoll run" "atoll configure -t virtio: $(out_tail)"
else
q="qemu-system-x86_64 -M microvm -accel tcg"
base="-nodefaults -no-user-config -nographic -serial stdio -no-reboot \
-device isa-debug-exit,iobase=0x501,iosize=2 -kernel $app/dist/hello.virtio"
# The options in another order than unikernel.conf's: QEMU gets the
# devices in the conf's order (the guest binds them in that order).
printcmd "$app" --block storage=disk.img --mem 256 --net service=@5 -- \
    --log=debug -- one two
same "virtio: --print-command on microvm (mmio devices, -m, -append)" \
    "$q -m 256M $base -netdev tap,id=net-service,fd=5 -device \
virtio-net-device,netdev=net-service -drive file=$app/disk.img,format=raw,\
if=none,id=blk-storage -device virtio-blk-device,drive=blk-storage -append \
'--log=debug -- one two'"
printcmd "$app" --machine=q35 --net=service=@7 --block "storage=my disk,1.img"
same "virtio: --print-command on q35 (pci devices; a file with a comma \
and a space)" "qemu-system-x86_64 -M q35 -accel tcg -m 512M $base -netdev \
tap,id=net-service,fd=7 -device virtio-net-pci,netdev=net-service,romfile= \
-drive \
'file=$app/my disk,,1.img,format=raw,if=none,id=blk-storage' -device \
virtio-blk-pci,drive=blk-storage"
# The printed line is for a shell: it reads back as the words QEMU gets.
eval "set -- $(cat "$tmp/cmd")"
check "virtio: the printed command reads back in a shell ($# words)" \
    test "$#" = 25 -a "${23}" = \
    "file=$app/my disk,,1.img,format=raw,if=none,id=blk-storage"
printcmd "$app" --net service=@5 --block storage=disk.img -- "it's"
check "virtio: a quote in an argument is shell-quoted" grep -qF -- \
    "-append 'it'\\''s'" "$tmp/cmd"
printcmd "$app" --net service=@5 --block storage=disk.img --machine pc
expect "virtio: --machine other than microvm/q35 is refused" 2 \
    "--machine pc: microvm (virtio-mmio, the default) or q35 (virtio-pci)"
printcmd "$app" --net service=@5 --block storage=disk.img --mem=
expect "virtio: an empty --mem is refused" 2 "--mem : a number of MiB"
printcmd "$app" --net service=auto --block storage=disk.img
expect "virtio: --print-command with NAME=auto is refused" 2 \
    "--print-command and --net service=auto"
printcmd "$app" --net service=@5
expect "virtio: --print-command checks the devices too" 1 \
    "declares block device 'storage'"
check "virtio: refusals print no command" test ! -s "$tmp/cmd"
printcmd "$tmp/status" --machine q35
expect "--machine on spt is refused" 2 "--machine is for the virtio target"
printcmd "$tmp/dev" --mem 64 --net service=@3 --block storage=disk.img -- x
same "spt: --print-command prints the tender's command" \
    "$B/bin/atoll-spt --mem=64 --net:service=@3 \
--block:storage=$tmp/dev/disk.img -- $tmp/dev/dist/hello.spt x"

# Without QEMU in PATH: one line naming Debian's package, nothing run.
(cd "$app" && timeout 120 env PATH="$tmp/nothing-here" "$ATOLL" run -q \
    --net service=@5 --block storage=disk.img) >"$tmp/out" 2>&1 </dev/null
rc=$?
expect "virtio: no qemu-system-x86_64 in PATH names the package" 1 \
    "qemu-system-x86_64 is not in PATH" "apt-get install qemu-system-x86"
check "virtio: no QEMU is one line" test "$(grep -c . "$tmp/out")" -eq 1

# Real runs under TCG: the guest's exit status comes back through
# isa-debug-exit. (ATOLL_KVM=/nonexistent: TCG even where KVM works.)
vrun() { # DIR ARGS...
    d=$1
    shift
    (cd "$d" && ATOLL_KVM=/nonexistent timeout 120 "$ATOLL" run -q "$@") \
        >"$tmp/out" 2>&1 </dev/null
    rc=$?
}
app=$tmp/vio-hello
cp -R examples/hello "$app"
rm -rf "$app/_build" "$app/dist"
at "$app" configure -q -t virtio
at "$app" describe
expect "virtio: describe names QEMU, no tender" 0 \
    "target       virtio (QEMU, Firecracker (virtio); no tender: atoll run \
starts qemu-system-x86_64)"
vrun "$app" -- --greeting=Hi -- one
expect "virtio: hello runs on QEMU (TCG), status 0" 0 "Hi (virtio target)" \
    "arguments: [0]=hello [1]=one"
vrun "$app" -- --repeat=many
expect "virtio: a bad boot parameter gives the guest's status 2" 2 \
    "boot parameter --repeat: 'many' is not an integer"
app=$tmp/vio-status
cp -R "$tmp/status" "$app"
rm -rf "$app/_build" "$app/dist"
at "$app" configure -q -t virtio
for st in 0 7 126; do
    vrun "$app" -- "$st"
    expect "virtio: exit($st) comes back as $st" "$st"
done
vrun "$app" -- 127
expect "virtio: exit(127) is the abort status 255" 255
vrun "$app" --mem 99999999 -- 0
expect "virtio: QEMU's own failure is not the guest's 0" 1 \
    "atoll run: QEMU failed"
# --block reaches the guest on both machines: the kv template's store,
# formatted on microvm (virtio-mmio), counts on on q35 (virtio-pci).
at "$tmp" new vio-kv --template=kv
app=$tmp/vio-kv
truncate -s 8M "$app/disk.img"
at "$app" configure -q -t virtio
vrun "$app" --block storage=disk.img
expect "virtio: --block on microvm: the store is formatted" 0 \
    "formatted the block device" "boot number 1"
vrun "$app" --machine q35 --block storage=disk.img
expect "virtio: --block on q35: the same store counts on" 0 "boot number 2" \
    "!formatted"
fi

# ---- docs/virtio.md: the Firecracker configuration ----------------------

# The doc's ```json block: valid JSON with every field Firecracker requires
# (boot-source.kernel_image_path, drives[].drive_id and is_root_device,
# network-interfaces[].iface_id and host_dev_name, machine-config's
# vcpu_count and mem_size_mib), and no key Firecracker would refuse (its
# configuration denies unknown fields).
sed -n '/^```json$/,/^```$/p' docs/virtio.md | sed '1d;$d' >"$tmp/fc.json"
fc_check='
def only($allowed): (keys - $allowed) == [];
(.["boot-source"] | (.kernel_image_path | type == "string")
    and (.boot_args | type == "string")
    and only(["kernel_image_path", "boot_args", "initrd_path"]))
and (.drives | type == "array" and length > 0 and all(.[];
    (.drive_id | type == "string") and (.is_root_device == false)
    and (.path_on_host | type == "string")
    and only(["drive_id", "path_on_host", "is_root_device", "is_read_only",
        "partuuid", "cache_type", "rate_limiter", "io_engine", "socket"])))
and (.["network-interfaces"] | type == "array" and length > 0 and all(.[];
    (.iface_id | type == "string") and (.host_dev_name | type == "string")
    and only(["iface_id", "host_dev_name", "guest_mac", "rx_rate_limiter",
        "tx_rate_limiter"])))
and (.["machine-config"] | (.vcpu_count | type == "number")
    and (.mem_size_mib | type == "number")
    and only(["vcpu_count", "mem_size_mib", "smt", "track_dirty_pages",
        "cpu_template", "huge_pages"]))
and only(["boot-source", "drives", "network-interfaces", "machine-config",
    "logger", "metrics", "vsock", "balloon", "mmds-config", "entropy",
    "cpu-config"])'
if ! command -v jq >/dev/null 2>&1; then
    fail "docs/virtio.md: Firecracker config" "no jq (sh tests/lib/deps.sh test)"
elif [ ! -s "$tmp/fc.json" ]; then
    fail "docs/virtio.md: Firecracker config" "no \`\`\`json block"
elif out=$(jq -e "$fc_check" "$tmp/fc.json" 2>&1); then
    pass "docs/virtio.md: the Firecracker config has the required fields"
else
    fail "docs/virtio.md: the Firecracker config has the required fields" \
        "$out"
fi
# Its kernel and devices are examples/kv's.
check "docs/virtio.md: the config boots examples/kv with its devices" test \
    "$(jq -r '[.["boot-source"].kernel_image_path, .drives[0].drive_id,
    .["network-interfaces"][0].iface_id] | join(" ")' "$tmp/fc.json")" = \
    "dist/kv.virtio $(sed -n 's/^block //p' examples/kv/unikernel.conf) \
$(sed -n 's/^net //p' examples/kv/unikernel.conf)"

# ---- atoll run --net NAME=auto, in a network namespace of this test ------

# auto_start NAME APP ARGS...: start atoll run --net service=auto in the
# namespace in the background ($apid, output in $tmp/auto.out); wait for
# the line with the addresses: $gaddr, $haddr, $tapname.
auto_start() {
    an=$1 ad=$2
    shift 2
    (cd "$ad" && exec ip netns exec "$ns" "$ATOLL" run -q \
        --net service=auto "$@") >"$tmp/auto.out" 2>&1 </dev/null &
    apid=$!
    line=""
    for _ in $(seq 1 300); do
        line=$(grep "^atoll run: net device 'service' on " "$tmp/auto.out")
        [ -n "$line" ] && grep -q "info: \(net: address\|echo\)\|boot:" \
            "$tmp/auto.out" && break
        kill -0 "$apid" 2>/dev/null || break
        sleep 0.1
    done
    tapname=$(echo "$line" | sed -n "s/.* on \([a-z0-9]*\) (host .*/\1/p")
    haddr=$(echo "$line" | sed -n 's|.*(host \([0-9.]*\)/30).*|\1|p')
    gaddr=$(echo "$line" | sed -n 's/.*the unikernel is at \([0-9.]*\)$/\1/p')
    if [ -n "$tapname" ] && [ -n "$haddr" ]; then
        pass "$an: one line names the TAP and addresses ($gaddr)"
    else
        fail "$an: one line names the TAP and addresses" \
            "$(head -c 300 "$tmp/auto.out")"
    fi
}

tap_gone() { # NAME
    if ip netns exec "$ns" ip -o link show 2>/dev/null | grep -q ": atoll"; then
        fail "$1" "$(ip netns exec "$ns" ip -o link show | grep atoll)"
    else
        pass "$1"
    fi
}

ns=atoll-auto-$$
if ! ip netns add "$ns" 2>/dev/null; then
    ns=""
    skip "run --net auto" "cannot create a network namespace (not root?)"
else
    ip netns exec "$ns" ip link set lo up
    app=$tmp/auto-echo
    cp -R examples/echo "$app"
    rm -rf "$app/_build" "$app/dist"
    at "$app" configure -q -t spt
    at "$app" build -q

    auto_start "auto echo" "$app"
    if ip netns exec "$ns" ip -o addr show dev "$tapname" 2>/dev/null |
        grep -q "inet $haddr/30"; then
        pass "auto echo: the TAP has the host address"
    else
        fail "auto echo: the TAP has the host address" "$tapname $haddr"
    fi
    if ip netns exec "$ns" ping -c 1 -W 5 "$gaddr" >/dev/null 2>&1; then
        pass "auto echo: the printed address answers ping"
    else
        fail "auto echo: the printed address answers ping" \
            "$gaddr: $(tail -n 3 "$tmp/auto.out")"
    fi
    got=$(echo auto-hello | ip netns exec "$ns" timeout 10 nc -q 1 \
        "$gaddr" 7 2>&1)
    check "auto echo: TCP echo on the printed address" test "$got" = \
        auto-hello
    # echo asks for virtio-net headers (its request note): the TAP that
    # atoll run makes has them, and 4 MB go through the offload path.
    head -c 4000000 /dev/urandom >"$tmp/auto.bin"
    ip netns exec "$ns" timeout 20 nc -q 2 "$gaddr" 7 <"$tmp/auto.bin" \
        >"$tmp/auto.back" 2>/dev/null
    if grep -q "net: service: mac .*, mtu 1500, offload both ways" \
        "$tmp/auto.out" && cmp -s "$tmp/auto.bin" "$tmp/auto.back"; then
        pass "auto echo: offloads both ways on the TAP made, 4 MB echoed"
    else
        fail "auto echo: offloads both ways on the TAP made, 4 MB echoed" \
            "$(grep -m1 'net: service' "$tmp/auto.out"), \
$(wc -c <"$tmp/auto.back") bytes back"
    fi
    kill -TERM "$apid" 2>/dev/null
    { wait "$apid"; } 2>/dev/null
    tap_gone "auto echo: the TAP is gone after SIGTERM"

    # ATOLL_SPT_NET_OFFLOAD=0 (atoll-spt's switch): a plain TAP.
    ATOLL_SPT_NET_OFFLOAD=0 auto_start "auto plain" "$app"
    got=$(echo auto-plain | ip netns exec "$ns" timeout 10 nc -q 1 \
        "$gaddr" 7 2>&1)
    if grep -q "mtu 1500, offload none" "$tmp/auto.out" &&
        [ "$got" = auto-plain ]; then
        pass "auto plain: ATOLL_SPT_NET_OFFLOAD=0 gives a plain TAP"
    else
        fail "auto plain: ATOLL_SPT_NET_OFFLOAD=0 gives a plain TAP" \
            "$got: $(tr '\n' '|' <"$tmp/auto.out" | cut -c 1-300)"
    fi
    kill -TERM "$apid" 2>/dev/null
    { wait "$apid"; } 2>/dev/null

    auto_start "auto kill" "$app"
    kill -KILL "$apid" 2>/dev/null
    { wait "$apid"; } 2>/dev/null
    tap_gone "auto kill: the TAP is gone after SIGKILL"

    # A unikernel that stops at once (a bad boot parameter): the TAP goes.
    auto_start "auto exit" "$app" -- --port=0
    { wait "$apid"; } 2>/dev/null
    rc=$?
    check "auto exit: the boot failed (status $rc)" test "$rc" -eq 2
    tap_gone "auto exit: the TAP is gone after the unikernel exits"

    # The user's --ipv4 is kept; the gateway is still given.
    auto_start "auto own ipv4" "$app" -- --ipv4=10.213.0.2/24
    if grep -q "net: address 10.213.0.2/24, gateway $haddr" "$tmp/auto.out"
    then
        pass "auto own ipv4: kept, gateway added"
    else
        fail "auto own ipv4: kept, gateway added" \
            "$(tr '\n' '|' <"$tmp/auto.out" | cut -c 1-300)"
    fi
    kill -TERM "$apid" 2>/dev/null
    { wait "$apid"; } 2>/dev/null

    # With the user's --ipv4=dhcp no gateway is added (it would be ignored).
    auto_start "auto dhcp" "$app" -- --ipv4=dhcp
    sleep 0.5
    if grep -q "info: echo: serving" "$tmp/auto.out" &&
        ! grep -q "gateway" "$tmp/auto.out"; then
        pass "auto dhcp: no gateway added"
    else
        fail "auto dhcp: no gateway added" \
            "$(tr '\n' '|' <"$tmp/auto.out" | cut -c 1-300)"
    fi
    kill -TERM "$apid" 2>/dev/null
    { wait "$apid"; } 2>/dev/null

    # Subnets in use in the namespace are avoided: an address and a route.
    ip netns exec "$ns" ip tuntap add dev atdummy mode tap
    ip netns exec "$ns" ip addr add 10.213.7.1/16 dev atdummy
    ip netns exec "$ns" ip link set atdummy up
    ip netns exec "$ns" ip route add 172.31.0.0/20 dev atdummy
    auto_start "auto busy subnets" "$app"
    check "auto busy subnets: 172.31.16.0/30 picked ($haddr)" \
        test "$haddr" = 172.31.16.1 -a "$gaddr" = 172.31.16.2
    kill -TERM "$apid" 2>/dev/null
    { wait "$apid"; } 2>/dev/null
    ip netns exec "$ns" ip link del atdummy

    # Without CAP_NET_ADMIN: the commands to run instead.
    (cd "$app" && ip netns exec "$ns" setpriv --inh-caps=-net_admin \
        --bounding-set=-net_admin "$ATOLL" run -q --net service=auto) \
        >"$tmp/out" 2>&1 </dev/null
    rc=$?
    expect "auto without CAP_NET_ADMIN says what to run" 1 \
        "needs root or CAP_NET_ADMIN" \
        "sudo ip tuntap add dev atoll0 mode tap user \$USER" \
        "sudo ip addr add 10.213.0.1/30 dev atoll0" \
        "sudo ip link set dev atoll0 up" \
        "atoll run --net service=atoll0 -- --ipv4=10.213.0.2/30 --ipv4-gateway=10.213.0.1"
    tap_gone "auto without CAP_NET_ADMIN leaves no TAP"

    # A newcomer's path: atoll new to an echo answering nc, timed.
    t0=$(date +%s.%N)
    at "$tmp" new new-svc --template=echo
    at "$tmp/new-svc" configure -q -t spt
    at "$tmp/new-svc" build -q
    auto_start "new echo" "$tmp/new-svc"
    got=$(echo newcomer | ip netns exec "$ns" timeout 10 nc -q 1 \
        "$gaddr" 7 2>&1)
    t1=$(date +%s.%N)
    check "new echo: atoll new to nc answered in $(echo "$t1 - $t0" | bc \
        2>/dev/null || echo "?") s" test "$got" = newcomer
    got=$(echo datagram | ip netns exec "$ns" timeout 10 nc -u -w 2 \
        "$gaddr" 7 2>&1)
    check "new echo: UDP echo" test "$got" = datagram
    kill -TERM "$apid" 2>/dev/null
    { wait "$apid"; } 2>/dev/null

    # qemu_left PID: stop the QEMU a failed case left running.
    qemu_left() {
        [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = \
            qemu-system-x86 ] && kill -KILL "$1"
    }
    # virtio: QEMU gets the TAP atoll made (-netdev tap,fd=N); SIGTERM to
    # atoll stops QEMU and the TAP goes; SIGKILL to atoll stops QEMU too.
    app=$tmp/vio-echo
    cp -R examples/echo "$app"
    rm -rf "$app/_build" "$app/dist"
    at "$app" configure -q -t virtio
    [ "$rc" -eq 0 ] && at "$app" build -q
    if [ "$rc" -ne 0 ]; then
        # (make all builds every example for virtio once it can)
        skip "virtio: --net auto" "echo.virtio does not build: $(out_tail)"
    else
        # (microvm here, q35 for the SIGKILL case)
        auto_start "virtio auto" "$app"
        qpid=$(pgrep -P "$apid" -x qemu-system-x86)
        if ip netns exec "$ns" ping -c 1 -W 10 "$gaddr" >/dev/null 2>&1
        then
            pass "virtio auto: echo on QEMU answers ping on the TAP"
        else
            fail "virtio auto: echo on QEMU answers ping on the TAP" \
                "$gaddr: $(tail -n 3 "$tmp/auto.out")"
        fi
        got=$(echo vio-hello | ip netns exec "$ns" timeout 20 nc -q 1 \
            "$gaddr" 7 2>&1)
        check "virtio auto: TCP echo" test "$got" = vio-hello
        kill -TERM "$apid" 2>/dev/null
        for _ in $(seq 1 100); do
            kill -0 "$apid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$apid" 2>/dev/null && rc=timeout || {
            wait "$apid" 2>/dev/null
            rc=$?
        }
        check "virtio auto: SIGTERM stops QEMU, status 143 ($rc)" test \
            "$rc" = 143 -a -n "$qpid" -a ! -e "/proc/$qpid"
        qemu_left "$qpid"
        tap_gone "virtio auto: the TAP is gone after SIGTERM"
        auto_start "virtio kill" "$app" --machine q35
        qpid=$(pgrep -P "$apid" -x qemu-system-x86)
        kill -KILL "$apid" 2>/dev/null
        { wait "$apid"; } 2>/dev/null
        for _ in $(seq 1 50); do
            [ -e "/proc/$qpid" ] || break
            sleep 0.1
        done
        check "virtio kill: QEMU ends with atoll (SIGKILL)" test -n "$qpid" \
            -a ! -e "/proc/$qpid"
        qemu_left "$qpid"
        tap_gone "virtio kill: the TAP is gone"
    fi
    ip netns del "$ns"
    ns=""
fi

[ "$fails" -eq 0 ]
