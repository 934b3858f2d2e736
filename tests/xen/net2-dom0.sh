# dom0's side of tests/xen/run.sh's two-vif case (run by vm.sh in dom0
# with busybox sh while tests/xen/net2.c runs with vifs 0 and 1): once
# both backends are Connected, each vif is taken off the bridge (so it is
# a point-to-point link, like a TAP) and netpeer sends a frame on its dom0
# end vifD.K, which reaches the guest's K-th device only, to the MAC
# xenstore gave that vif, and waits for its echo on the same vif.
i=0
until d=$(xl domid "$DOM" 2>/dev/null); do # xl create is still at work
    i=$((i + 1))
    [ $i -lt 60 ] || { echo "no domain $DOM"; exit 1; }
    sleep 0.5
done
state() { xenstore-read /local/domain/0/backend/vif/$d/$1/state 2>/dev/null; }
i=0
while [ "$(state 0)" != 4 ] || [ "$(state 1)" != 4 ]; do
    i=$((i + 1))
    [ $i -lt 60 ] || break
    sleep 0.5
done
for k in 0 1; do
    m=$(xenstore-read /local/domain/$d/device/vif/$k/mac)
    echo "vif$k: mac $m, backend state $(state $k)"
    ip link set vif$d.$k nomaster
    /usr/bin/netpeer vif$d.$k "$m" >/tmp/peer 2>&1
    echo "peer$k: status $? $(tr '\n' ' ' </tmp/peer)"
done
sleep 1 # the guest's last lines, and its poweroff
