#!/bin/bash
# usage: loadtests/scripts/rush-steady.sh label repo [extra serve --set args...]: fresh server, a warm-up rush, then one long rush; per-second medians over its steady part
source "$(dirname "$0")/warm-server.sh"
dotnet $L -s rush --host Url --url http://127.0.0.1:5391 --server-pid $PID --units 250000 --per-user-limit 1000 --buyers 1000 --warmup 5 --warmup-units 20000 --protocol MessagePack --out /tmp/ab-out > /tmp/steady-$label.log 2>&1
python3 - /tmp/steady-$label.log "$label" <<'PY'
import re,sys,statistics as st
rows=[]
for l in open(sys.argv[1]):
    m=re.search(r'Measure\].*step (\d+)/s.*server cpu (\d+)%.*clients cpu (\d+)%',l)
    if m: rows.append(tuple(map(int,m.groups())))
rows=rows[5:-1]
a=[r[0] for r in rows]; s=[r[1] for r in rows]; c=[r[2] for r in rows]
ma=st.mean(a)
print(f"{sys.argv[2]}: {len(rows)} s, answers/s median {st.median(a):.0f} mean {ma:.0f}; server {st.mean(s):.0f}% = {st.mean(s)/100/ma*1e6:.0f} us/answer; clients {st.mean(c):.0f}% = {st.mean(c)/100/ma*1e6:.0f} us/answer")
PY
kill $PID
