#!/bin/sh
# The documents that run: docs/tutorial.md's commands, files and changes
# (tests/docs/extract.awk says which blocks) are run in order in one shell,
# in a network namespace of this test's own, each command's output checked
# against the lines the document shows (tests/docs/match.awk: "..."
# elides). One PASS:/FAIL: line per command, file and change; after a
# failure the rest are not run (they would only fail after it). The last
# line gives the time from `atoll new` to the first answer from nc.
#
#   DOC=FILE   another document (default docs/tutorial.md)
#
# Also docs/libraries.md (LIBDOC=FILE): each example marked "```c
# compile" must compile and link with atoll-cc; and tests/docs/tools.sh:
# the man pages, the bash completion and the pkg-config file (no root
# needed for either).
#
# Needs root (the namespace, atoll run --net service=auto) and the built
# tools ($B/bin). The "console hvt" blocks run where KVM is usable
# (tests/lib/kvm-usable.sh), else each says SKIP.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.."
top=$(pwd)
Bmake=${B:-build}
case $Bmake in /*) B=$Bmake ;; *) B=$top/$Bmake ;; esac
doc=${DOC:-docs/tutorial.md}
tmp=$(mktemp -d /tmp/atoll-docs.XXXXXX)
ns=""
cleanup() {
    if [ -n "$ns" ]; then
        # What the document left running in the namespace, then it.
        for p in $(ip netns pids "$ns" 2>/dev/null); do
            kill -9 "$p" 2>/dev/null
        done
        ip netns del "$ns" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if ! awk -f tests/docs/extract.awk "$doc" >"$tmp/doc.sh" 2>"$tmp/err"; then
    echo "FAIL: $doc: $(head -n 1 "$tmp/err")"
    exit 1
fi
ncmd=$(grep -c '^step ' "$tmp/doc.sh")
nfile=$(grep -c '^put_file ' "$tmp/doc.sh")
ndiff=$(grep -c '^apply_diff ' "$tmp/doc.sh")
# A document whose blocks lost their tags would run nothing and pass.
if [ "$ncmd" -lt 20 ] || [ "$nfile" -lt 1 ] || [ "$ndiff" -lt 2 ]; then
    echo "FAIL: $doc: only $ncmd commands, $nfile files and $ndiff changes" \
        "are marked to run (tests/docs/extract.awk)"
    exit 1
fi
echo "PASS: $doc: $ncmd commands, $nfile files, $ndiff changes to run"
# docs/libraries.md: every "```c compile" block is a whole program that
# atoll-cc compiles and links (with every library, which pulls in only
# what the program calls).
libdoc=${LIBDOC:-docs/libraries.md}
mkdir -p "$tmp/lib"
awk -v dir="$tmp/lib" '
    /^```c compile$/ { n++; f = dir "/ex" n ".c"; print n, NR; inb = 1; next }
    inb && /^```$/ { inb = 0; close(f); next }
    inb { print > f }' "$libdoc" >"$tmp/lib/list"
if [ "$(wc -l <"$tmp/lib/list")" -lt 6 ]; then
    echo "FAIL: $libdoc: fewer than 6 examples marked \`\`\`c compile"
elif [ ! -x "$B/bin/atoll-cc" ]; then
    echo "FAIL: $libdoc: $B/bin/atoll-cc is not built (make B=$Bmake all)"
else
    while read -r n at; do
        if "$B/bin/atoll-cc" --target=spt -Wall -Wextra -Werror \
            -o "$tmp/lib/ex$n.spt" "$tmp/lib/ex$n.c" -lnet -lkv -ltarkv -ldns \
            -lm >"$tmp/lib/out" 2>&1; then
            echo "PASS: $libdoc line $at: the example compiles and links"
        else
            echo "FAIL: $libdoc line $at: the example does not build:" \
                "$(head -n 3 "$tmp/lib/out" | tr '\n' '|' | cut -c 1-300)"
            libfail=1
        fi
    done <"$tmp/lib/list"
fi

# The man pages, the completion and the pkg-config file.
sh tests/docs/tools.sh "$B" "$tmp" "$Bmake" || libfail=1

if [ "$(id -u)" != 0 ]; then
    echo "SKIP: $doc: needs root (a network namespace, atoll run --net auto)"
    exit ${libfail:-0}
fi
for t in atoll atoll-spt atoll-kv; do
    if [ ! -x "$B/bin/$t" ]; then
        echo "FAIL: $doc: $B/bin/$t is not built (make B=$Bmake all)"
        exit 1
    fi
done
kvm_why=""
B=$B sh tests/lib/kvm-usable.sh || kvm_why=$(B=$B sh tests/lib/kvm-usable.sh \
    --why)

ns=atoll-docs-$$
if ! ip netns add "$ns" || ! ip netns exec "$ns" ip link set lo up; then
    echo "FAIL: $doc: cannot make the network namespace $ns"
    exit 1
fi
mkdir -p "$tmp/work"
cat >"$tmp/run.sh" <<'EOF'
# Sourced after the variables below; then the document's calls.
failed=0 notrun=0 bgpid="" first_nc="" kvm_why_once=""
t0=$(date +%s%N)

ok() { echo "PASS: tutorial line $1: $2"; }
bad() {
    echo "FAIL: tutorial line $1: $2"
    failed=$1
}
# oneline FILE: its first lines joined, for a FAIL reason
oneline() { head -n 6 "$1" | tr '\n' '|' | cut -c 1-300; }
matches() { # MODE WANT GOT
    awk -v mode="$1" -v wantf="$2" -v gotf="$3" -f "$top/tests/docs/match.awk"
}
skip_rest() { # after a failure: swallow the payload, count the step
    [ "$failed" = 0 ] && return 1
    cat >/dev/null
    notrun=$((notrun + 1))
}

step() { # LINE KIND CMD, the output the document shows on stdin
    line=$1 kind=$2 cmd=$3
    skip_rest && return
    cat >"$tmp/want"
    if [ "$kind" = hvt ] && [ -n "$kvm_why" ]; then
        echo "SKIP: tutorial line $line: $cmd: hvt, no usable KVM here" \
            "${kvm_why_once:-($kvm_why)}"
        kvm_why_once=" "
        return
    fi
    case $cmd in
    *'&')
        # In the background, as a user's second terminal: its output so
        # far must begin with what the document shows (30 s to appear).
        eval "$cmd" >"$tmp/bg.$line" 2>&1
        bgpid=$!
        i=0
        while ! matches prefix "$tmp/want" "$tmp/bg.$line" >"$tmp/why"; do
            i=$((i + 1))
            if [ $i -ge 150 ] || ! kill -0 "$bgpid" 2>/dev/null; then
                bad "$line" "$cmd: $(cat "$tmp/why"); output: $(oneline \
                    "$tmp/bg.$line")"
                return
            fi
            sleep 0.2
        done
        ok "$line" "$cmd"
        return
        ;;
    esac
    eval "$cmd" >"$tmp/out" 2>&1 </dev/null
    rc=$?
    case $cmd in
    kill*) [ -n "$bgpid" ] && wait "$bgpid" 2>/dev/null ;;
    esac
    if [ $rc -ne 0 ]; then
        bad "$line" "$cmd: exit status $rc; output: $(oneline "$tmp/out")"
    elif ! matches whole "$tmp/want" "$tmp/out" >"$tmp/why"; then
        bad "$line" "$cmd: $(cat "$tmp/why"); output: $(oneline "$tmp/out")"
    else
        ok "$line" "$cmd"
        case $cmd in
        *nc\ *) [ -z "$first_nc" ] && first_nc=$(date +%s%N) ;;
        esac
    fi
}

put_file() { # LINE PATH, the content on stdin
    skip_rest && return
    if cat >"$2"; then
        ok "$1" "write $2"
    else
        bad "$1" "cannot write $2"
    fi
}

apply_diff() { # LINE, the diff on stdin
    skip_rest && return
    cat >"$tmp/change.diff"
    if patch -s -p1 --no-backup-if-mismatch <"$tmp/change.diff" \
        >"$tmp/out" 2>&1; then
        ok "$1" "apply the change to $(sed -n 's|^+++ b/||p' \
            "$tmp/change.diff" | tr '\n' ' ')"
    else
        bad "$1" "the change does not apply: $(oneline "$tmp/out")"
    fi
}
EOF
cat >"$tmp/main.sh" <<EOF
top='$top'
tmp='$tmp'
kvm_why='$kvm_why'
PATH='$B/bin':\$PATH
export PATH
cd '$tmp/work' || exit 1
. '$tmp/run.sh'
. '$tmp/doc.sh'
[ -n "\$bgpid" ] && kill "\$bgpid" 2>/dev/null
if [ "\$failed" != 0 ]; then
    [ "\$notrun" -gt 0 ] && echo "SKIP: tutorial: \$notrun steps after" \
        "the failure at line \$failed not run"
    exit 1
fi
t1=\$(date +%s%N)
if [ -z "\$first_nc" ]; then
    echo "FAIL: tutorial: no nc command answered"
    exit 1
fi
echo "PASS: tutorial: from atoll new to the first answer from nc" \
    "\$(( (first_nc - t0) / 1000000 )) ms, the whole tutorial" \
    "\$(( (t1 - t0) / 1000000 )) ms"
EOF
ip netns exec "$ns" sh "$tmp/main.sh" || exit 1
exit ${libfail:-0}
