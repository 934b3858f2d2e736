#!/bin/sh
# Bad devices are refused with exit status 1, as Solo5's tenders do: a
# block file whose size is not a multiple of the sector size, a sector
# size that is not a power of two from 512 to 32768. Both tenders, with
# tests/guest/block (it declares block "storage"); nothing here needs KVM
# (devices are attached before /dev/kvm is opened). Installed as
# build/tests/unit/tender_devstatus; run from the repository root.
set -u
B=${B:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
head -c 1000 /dev/zero >"$tmp/odd"
head -c 65536 /dev/zero >"$tmp/disk"

# expect NAME PATTERN -- COMMAND...: status 1 and one stderr line matching.
expect() {
    name=$1 pat=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    if [ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
        grep -Eq -- "$pat" "$tmp/err"; then
        echo "PASS: $name"
    else
        echo "FAIL: $name: status $rc: $(head -c 200 "$tmp/err")"
        failed=1
    fi
}

for t in spt hvt; do
    img=$B/tests/guest/block.$t
    if [ ! -f "$img" ] || [ ! -x "$B/bin/atoll-$t" ]; then
        echo "FAIL: bad devices ($t): missing $img or atoll-$t (run make)"
        failed=1
        continue
    fi
    run() { "$B/bin/atoll-$t" --mem=8 "$@" "$img"; }
    expect "a 1000-byte block file is refused with status 1 ($t)" \
        "is 1000 bytes, not a non-zero multiple of the 512-byte sector" -- \
        run --block:storage="$tmp/odd"
    expect "a 1000-byte block file with 4096-byte sectors: status 1 ($t)" \
        "not a non-zero multiple of the 4096-byte sector" -- \
        run --block:storage="$tmp/odd" --block-sector-size:storage=4096
    for n in 0 256 1000 65536; do
        expect "sector size $n is refused with status 1 ($t)" \
            "sector size must be a power of two from 512 to 32768" -- \
            run --block:storage="$tmp/disk" --block-sector-size:storage=$n
    done
    # A syntax error stays a usage error (status 2).
    "$B/bin/atoll-$t" --block-sector-size:storage=4k "$img" \
        >/dev/null 2>&1 </dev/null
    rc=$?
    if [ $rc -eq 2 ]; then
        echo "PASS: sector size '4k' is a usage error, status 2 ($t)"
    else
        echo "FAIL: sector size '4k' is a usage error, status 2 ($t): $rc"
        failed=1
    fi
done
exit $failed
