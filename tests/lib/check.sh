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
fail() { echo "FAIL: $1: $2"; fails=$((fails + 1)); }
skip() { echo "SKIP: $1: $2"; }

# out_has TEXT: the output holds TEXT (a fixed string).
out_has() {
    # shellcheck disable=SC2086
    cat ${check_out:-"$tmp/out"} 2>/dev/null | grep -qF -- "$1"
}

# out_tail: the output's last two lines on one line, for a FAIL reason.
out_tail() {
    # shellcheck disable=SC2086
    cat ${check_out:-"$tmp/out"} 2>/dev/null | tail -n 2 | tr '\n' '|' |
        cut -c 1-200
}

# expect NAME STATUS [TEXT...]: the last command exited with STATUS ($rc)
# and its output holds every TEXT (!TEXT: does not hold TEXT). One PASS
# or FAIL line; returns 1 after a FAIL.
expect() {
    name=$1 want=$2
    shift 2
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit status $rc, want $want; output: $(out_tail)"
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
