# The shell side of the test protocol, sourced by the test scripts
# (. tests/lib/check.sh, from the top of the tree): one line per check,
# "PASS: name", "FAIL: name: reason" or "SKIP: name: reason", as
# tests/run.sh counts them; $fails counts the FAIL lines, for the exit
# status. POSIX sh that busybox sh runs too (tests/hvt sources it inside
# its VM).
#
# out_has, out_tail and expect look at the last command's output: the
# files named in $check_out (default $tmp/out; a script may add its
# stderr file).
fails=0

pass() { echo "PASS: $1"; }
# fail NAME REASON...: the words of REASON joined by spaces.
fail() {
    n=$1
    shift
    echo "FAIL: $n: $*"
    fails=$((fails + 1))
}
skip() { echo "SKIP: $1: $2"; }

# scratch NAME [COMMAND]: a scratch folder $tmp (/tmp/atoll-NAME.XXXXXX)
# and the traps that, on exit, run COMMAND (stopping what the script
# started), delete the network namespaces named in $ns and $cns (set
# empty here) and remove $tmp (kept if $KEEP is set).
scratch() {
    tmp=$(mktemp -d "/tmp/atoll-$1.XXXXXX") || exit 1
    ns="" cns="" scratch_first=${2:-}
    trap scratch_cleanup EXIT
    trap 'exit 1' INT TERM HUP
}
scratch_cleanup() {
    [ -n "$scratch_first" ] && $scratch_first
    [ -n "$cns" ] && ip netns del "$cns" 2>/dev/null
    [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}

# out_has TEXT: the output holds TEXT (a fixed string).
out_has() {
    # shellcheck disable=SC2086
    cat ${check_out:-"$tmp/out"} 2>/dev/null | grep -qF -- "$1"
}

# out_match RE: the output matches the extended regular expression RE.
out_match() {
    # shellcheck disable=SC2086
    cat ${check_out:-"$tmp/out"} 2>/dev/null | grep -qE -- "$1"
}

# out_tail: the output's last two lines on one line, for a FAIL reason.
out_tail() {
    # shellcheck disable=SC2086
    cat ${check_out:-"$tmp/out"} 2>/dev/null | tail -n 2 | tr '\n' '|' |
        cut -c 1-200
}

# expect NAME STATUS [TEXT...]: the last command exited with STATUS ($rc)
# and its output holds every TEXT (!TEXT: does not hold TEXT; ~RE:
# matches the extended regular expression RE). One PASS or FAIL line;
# returns 1 after a FAIL.
expect() {
    expect_as "exit status $rc" "$rc" "$@"
}

# expect_as WHAT GOT NAME STATUS [TEXT...]: expect with the status GOT
# instead of $rc (compared as a string, so "none" can stand for no
# status), WHAT naming it in a FAIL reason: for a status decoded from the
# command's, as a guest's from QEMU's.
expect_as() {
    what=$1 got=$2 name=$3 want=$4
    shift 4
    if [ "$got" != "$want" ]; then
        fail "$name" "$what, want $want; output: $(out_tail)"
        return 1
    fi
    for text in "$@"; do
        case $text in
        !*)
            if out_has "${text#!}"; then
                fail "$name" "output has '${text#!}': $(out_tail)"
                return 1
            fi
            ;;
        \~*)
            if ! out_match "${text#\~}"; then
                fail "$name" "output does not match '${text#\~}': $(out_tail)"
                return 1
            fi
            ;;
        *)
            if ! out_has "$text"; then
                fail "$name" "output lacks '$text': $(out_tail)"
                return 1
            fi
            ;;
        esac
    done
    pass "$name"
}

# expect_run NAME STATUS TEXT -- COMMAND...: run COMMAND with its stdout
# and stderr in $tmp/out and its status in $rc, then expect NAME STATUS
# TEXT (an empty TEXT: the status alone).
expect_run() {
    name=$1 want=$2 text=$3
    shift 4
    "$@" >"$tmp/out" 2>&1
    rc=$?
    if [ -n "$text" ]; then
        expect "$name" "$want" "$text"
    else
        expect "$name" "$want"
    fi
}
