#!/bin/sh
# The man pages, the bash completion and the pkg-config file (run by
# tests/docs/run.sh; B is absolute, tmp a scratch folder):
#   - every page in docs/man renders with groff -ww without a warning;
#   - they and the completion follow the tools: every command of
#     atoll --help is in atoll(1) and completed, every option of atoll run
#     --help is completed, every command of atoll-kv --help is in
#     atoll-kv(1), every option of the tenders' --help is in their pages;
#   - the completion completes commands, targets and the devices of the
#     nearest unikernel.conf;
#   - make install puts them where man, bash-completion and pkg-config
#     look, and atoll.pc's flags are the installed atoll-cc's.
set -u
B=$1
tmp=$2
Bmake=$3 # B as make was given it (relative paths are other targets)
top=$(pwd)
. "$top/tests/lib/check.sh"

# render PAGE: the page as man shows it, wide, in $tmp/page
render() { MANWIDTH=200 man -l "$1" >"$tmp/page" 2>"$tmp/page.err"; }

for page in docs/man/*.1 docs/man/*.5; do
    groff -man -Tutf8 -ww -z "$page" >"$tmp/groff" 2>&1
    if [ -s "$tmp/groff" ]; then
        fail "$page renders without groff warnings" "$(head -n 2 \
            "$tmp/groff" | tr '\n' '|')"
    elif ! render "$page" || [ ! -s "$tmp/page" ]; then
        fail "$page renders with man -l" "$(head -c 200 "$tmp/page.err")"
    else
        pass "$page renders without groff warnings"
    fi
done

comp=tools/atoll/completion/atoll
# has_all WHAT FILE WORD...: every WORD is in FILE (fixed strings)
has_all() {
    what=$1 file=$2
    shift 2
    missing=""
    for w in "$@"; do
        grep -qF -- "$w" "$file" || missing="$missing $w"
    done
    if [ -z "$missing" ]; then
        pass "$what"
    else
        fail "$what" "missing:$missing"
    fi
}

cmds=$("$B/bin/atoll" --help | sed -n '/^  [a-z]/s/^  \([a-z-]*\) .*/\1/p')
[ -n "$cmds" ] || fail "atoll --help lists commands" "none found"
render docs/man/atoll.1
missing=""
for c in $cmds; do
    grep -qE "^       $c( |\$)" "$tmp/page" || missing="$missing $c"
done
if [ -z "$missing" ]; then
    pass "atoll(1) describes every command of atoll --help"
else
    fail "atoll(1) describes every command of atoll --help" "missing:$missing"
fi
# shellcheck disable=SC2086
has_all "the completion offers every command of atoll --help" "$comp" $cmds
runopts=$("$B/bin/atoll" run --help | sed -n 's/^  *\(--[a-z][a-z-]*\).*/\1/p')
# shellcheck disable=SC2086
has_all "the completion offers every option of atoll run --help" "$comp" \
    $runopts
kvcmds=$("$B/bin/atoll-kv" --help |
    sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
render docs/man/atoll-kv.1
# shellcheck disable=SC2086
has_all "atoll-kv(1) has every command of atoll-kv --help" "$tmp/page" \
    $kvcmds
kvopts=$("$B/bin/atoll-kv" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
# shellcheck disable=SC2086
has_all "atoll-kv(1) has every option of atoll-kv --help" "$tmp/page" \
    $kvopts
# shellcheck disable=SC2086
has_all "the completion offers every command and option of atoll-kv" \
    "$comp" $kvcmds $kvopts
for t in spt hvt; do
    opts=$("$B/bin/atoll-$t" --help | grep -o -- '--[a-z][a-z:-]*' | sort -u)
    render "docs/man/atoll-$t.1"
    # shellcheck disable=SC2086
    has_all "atoll-$t(1) has every option of atoll-$t --help" "$tmp/page" \
        $opts
done

# complete WORDS...: what the completion offers for the last word, sorted,
# on one line, in $tmp/app (a folder with a unikernel.conf)
mkdir -p "$tmp/app/src"
printf 'name app\nnet service\nblock storage\nblock cache\n' \
    >"$tmp/app/unikernel.conf"
complete_words() {
    (cd "$tmp/app/src" && bash -c '. "$0"; COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1)); COMPREPLY=()
        case $1 in atoll) _atoll ;; *) _atoll_kv_tool ;; esac
        printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
        "$top/$comp" "$@") 2>&1
}
# expect_comp NAME WANT WORDS...
expect_comp() {
    name=$1 want=$2
    shift 2
    got=$(complete_words "$@")
    if [ "$got" = "$want " ]; then
        pass "completion: $name"
    else
        fail "completion: $name" "got '$got', want '$want'"
    fi
}
expect_comp "atoll <TAB>: the commands" \
    "build clean configure describe dns kv kvm-check new pack run www" \
    atoll ""
expect_comp "atoll dns <TAB>: check, pack" "--help check pack" atoll dns ""
expect_comp "atoll dns pack -<TAB>" "--help -o -q" atoll dns pack -
expect_comp "atoll www <TAB>: pack" "--help pack" atoll www ""
expect_comp "atoll www pack -<TAB>" "--gzip-min --help --tls -o -q" \
    atoll www pack -
expect_comp "atoll configure -t <TAB>: the targets" "hvt spt virtio xen" \
    atoll configure -t ""
expect_comp "atoll new --template=<TAB>: the templates" "echo hello kv" \
    atoll new --template=
expect_comp "atoll run --block <TAB>: unikernel.conf's block devices" \
    "cache= storage=" atoll run --block ""
expect_comp "atoll run --net <TAB>: unikernel.conf's net devices" \
    "service=" atoll run --net ""
expect_comp "atoll run --net service=au<TAB>: auto (the word after =)" \
    "auto" atoll run --net service=au
expect_comp "atoll run -- <TAB>: nothing (the unikernel's words)" "" \
    atoll run -- --
expect_comp "atoll kv <TAB>: atoll-kv's commands" \
    "check format get help ls put rm" atoll kv ""
expect_comp "atoll-kv --b<TAB>" "--block-size" atoll-kv --b

# ---- installed ----------------------------------------------------------
prefix=$tmp/prefix
if ! make -s --no-print-directory B="$Bmake" install PREFIX="$prefix" \
    >"$tmp/install" 2>&1; then
    fail "make install" "$(tail -n 3 "$tmp/install" | tr '\n' '|')"
    exit 1
fi
missing=""
for page in docs/man/*.1 docs/man/*.5; do
    n=$(basename "$page")
    MANWIDTH=80 man -M "$prefix/share/man" "${n##*.}" "${n%.*}" \
        >"$tmp/page" 2>/dev/null && [ -s "$tmp/page" ] || missing="$missing $n"
done
if [ -z "$missing" ]; then
    pass "installed: man -M PREFIX/share/man finds every page"
else
    fail "installed: man -M PREFIX/share/man finds every page" \
        "missing:$missing"
fi
c=$prefix/share/bash-completion/completions
if [ -f "$c/atoll" ] && [ "$(readlink "$c/atoll-kv")" = atoll ] &&
    bash -c ". '$c/atoll'; complete -p atoll atoll-kv" >/dev/null 2>&1; then
    pass "installed: the bash completion for atoll and atoll-kv"
else
    fail "installed: the bash completion for atoll and atoll-kv" \
        "not in $c or it does not load"
fi
pc=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags atoll 2>&1)
cc=$("$prefix/bin/atoll-cc" --target=spt --print-cflags 2>&1)
if [ -n "$pc" ] && [ "$(echo $pc)" = "$(echo $cc)" ]; then
    pass "installed: pkg-config --cflags atoll is atoll-cc --print-cflags"
else
    fail "installed: pkg-config --cflags atoll is atoll-cc --print-cflags" \
        "pkg-config: '$pc', atoll-cc: '$cc'"
fi
exit $((fails > 0))
