# Turn the runnable parts of a markdown document into a shell script of
# calls for tests/docs/run.sh. Fenced blocks, by their info string:
#
#   ```console        lines "$ CMD" are commands, run in order in one
#                     shell (cd and variables carry over); the lines after
#                     a command, up to the next "$ " line, are its output
#   ```console hvt    the same, run only where KVM is usable
#   ```LANG file=PATH the block is the whole content of PATH
#   ```diff apply     a unified diff (a/ and b/ prefixes), applied with
#                     patch -p1
#
# Any other block (```sh, ```c without file=, ...) is prose. Each call
# carries the block's line number in the document; the payload follows
# as a here-document.
#
#   step LINE KIND 'CMD'   (KIND: any or hvt)
#   put_file LINE 'PATH'
#   apply_diff LINE
function q(s) {
    gsub(/'/, "'\\''", s)
    return "'" s "'"
}
function end_payload() {
    if (open_payload)
        print "ATOLL_DOC_EOF"
    open_payload = 0
}
BEGIN { in_block = 0; kind = ""; open_payload = 0 }
/^```/ {
    if (in_block) {
        end_payload()
        in_block = 0
        kind = ""
        next
    }
    in_block = 1
    info = substr($0, 4)
    line0 = NR
    if (info == "console") {
        kind = "any"
    } else if (info == "console hvt") {
        kind = "hvt"
    } else if (info == "diff apply") {
        kind = "diff"
        print "apply_diff " NR " <<'ATOLL_DOC_EOF'"
        open_payload = 1
    } else if (match(info, /(^| )file=[^ ]+/)) {
        path = substr(info, RSTART, RLENGTH)
        sub(/^ ?file=/, "", path)
        kind = "file"
        print "put_file " NR " " q(path) " <<'ATOLL_DOC_EOF'"
        open_payload = 1
    } else {
        kind = "prose"
    }
    next
}
in_block && (kind == "any" || kind == "hvt") {
    if (substr($0, 1, 2) == "$ ") {
        end_payload()
        print "step " NR " " kind " " q(substr($0, 3)) " <<'ATOLL_DOC_EOF'"
        open_payload = 1
    } else if (!open_payload && $0 != "") {
        printf "extract: line %d: output before any command\n", NR \
            > "/dev/stderr"
        bad = 1
    } else if (open_payload) {
        print
    }
    next
}
in_block && open_payload { print; next }
END {
    if (in_block) {
        printf "extract: the block at line %d is not closed\n", line0 \
            > "/dev/stderr"
        exit 1
    }
    if (bad)
        exit 1
}
