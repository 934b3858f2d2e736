# dom0's side of tests/xen/run.sh's echo case (run by vm.sh in dom0 with
# busybox sh while examples/echo runs at 10.0.0.2 on vif 0 on xenbr0):
# one "NAME: RESULT" line per check for run.sh to judge.
G=10.0.0.2
i=0
while ! ping -c 1 -W 1 $G >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 40 ] || { echo "up: no answer to ping in 40 s"; exit 1; }
done
echo "up: after $i pings"
d=$(xl domid "$DOM")
vif=$(xenstore-read /local/domain/0/backend/vif/$d/0/state)
echo "mac: $(xenstore-read /local/domain/$d/device/vif/0/mac)"
echo "backend: state $vif, bridge $(ls /sys/class/net/xenbr0/brif | tr '\n' ' ')"
ping -c 5 -i 0.2 -s 1400 -W 2 $G | sed -n 's/^/ping: /p' | tail -n 2
printf 'hello tcp\n' | /usr/bin/nc -N -w 5 $G 7 | sed 's/^/tcp: /'
printf 'hello udp\n' | /usr/bin/nc -u -w 2 $G 7 | sed 's/^/udp: /'
netclient echo $G 7 1 1000000 60 2>&1 | sed 's/^/tcp1m: /'
netclient udp $G 7 1000 8 3 2>&1 | sed 's/^/udprate: /'
sleep 3 # a --stats line (every 2 s) after the traffic
