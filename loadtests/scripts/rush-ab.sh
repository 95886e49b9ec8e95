#!/bin/bash
# usage: loadtests/scripts/rush-ab.sh label repo [extra serve --set args...]: fresh server, one 20 s warm-up rush (discarded), then 2 rushes of 30,000
source "$(dirname "$0")/warm-server.sh"
for i in 1 2; do
  w0=$(grep -E "^write_bytes" /proc/$PID/io | awk '{print $2}'); r0=$(grep -E "^read_bytes" /proc/$PID/io | awk '{print $2}')
  dotnet $L -s rush --host Url --url http://127.0.0.1:5391 --server-pid $PID --units 30000 --buyers 1000 --warmup-units 20000 --protocol MessagePack --out /tmp/ab-out > /dev/null 2>&1
  w1=$(grep -E "^write_bytes" /proc/$PID/io | awk '{print $2}'); r1=$(grep -E "^read_bytes" /proc/$PID/io | awk '{print $2}')
  echo "  disk written $(( (w1-w0)/51000 )) bytes per purchase (51,000 purchases), read $(( (r1-r0)/51000 ))"
  r=$(ls -td /tmp/ab-out/*/ | head -1)/report.md
  secs=$(grep -oE "measured for [0-9.]+ s" $r | awk '{print $3}')
  ans=$(grep -E "^\| answers \|" $r | grep -oE "[0-9]+" | head -1)
  scpu=$(grep -E "server CPU mean" $r | grep -oE "[0-9]+%" | head -1 | tr -d %)
  ccpu=$(grep -E "clients\) CPU mean" $r | grep -oE "[0-9]+%" | head -1 | tr -d %)
  chk=$(grep -oE "Checks: \*\*[a-z ]+\*\*" $r)
  python3 -c "s=$secs;a=$ans;sc=$scpu;cc=$ccpu;print(f'$label run $i: {a/s:7.0f} answers/s, server {sc}% = {sc/100*s/a*1e6:4.0f} us/answer, clients {cc}% = {cc/100*s/a*1e6:4.0f} us/answer; $chk')"
done
kill $PID
