# atoll run in dom0 (a vm.sh "sh:" case, busybox sh): ATOLL is the host's
# atoll and APP an application built on the host (tests/guest/hello.c for
# xen, tests/xen/config.sh), both at their host paths with their times
# (vm.sh -m), so the image is up to date and nothing is compiled here.
# Each run prints "run K: out: " and "run K: err: " lines (atoll run's
# stdout and stderr), "run K: status N" and "run K: image MTIME".
#   sh atoll-dom0.sh ATOLL APP
atoll=$1
app=$2
cd "$app" || { echo "atoll-dom0: no $app"; exit 1; }
k=0
for args in "exit 7" "abort"; do
    k=$((k + 1))
    # shellcheck disable=SC2086
    "$atoll" run --mem 32 -- $args >/tmp/run.out 2>/tmp/run.err </dev/null
    echo "run $k: status $?"
    sed "s/^/run $k: out: /" /tmp/run.out
    sed "s/^/run $k: err: /" /tmp/run.err
    echo "run $k: image $(stat -c %Y dist/hello.xen)"
done
# The configuration atoll wrote for xl is gone.
echo "left: $(ls /tmp | grep -c '^atoll-xl')"
