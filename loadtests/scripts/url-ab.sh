#!/bin/bash
# usage: loadtests/scripts/url-ab.sh TREE "VAR=VALUE ..." SCENARIO-ARGS...
# One standard run (--baseline) against servers started here: RedLive (SQLite in /tmp/url-data, the rush's raised
# buy limits) with the given environment, the bare SignalR server without it. For runtime settings that must reach
# RedLive's server only (with --host Process both servers and the tool's clients inherit the tool's environment).
repo=$1; envs=$2; shift 2
L=$repo/loadtests/Live.LoadTests/bin/Release/net10.0/Live.LoadTests.dll
pkill -f "serve --kind"; sleep 1
rm -rf /tmp/url-data; mkdir -p /tmp/url-data
env $envs nohup dotnet $L serve --kind RedLive --port 5392 --set Cluster:Storage=Sqlite --set Cluster:DataPath=/tmp/url-data \
  --set RateLimits:BuysPerSecond=1000 --set RateLimits:BuyBurst=1000 > /tmp/url-redlive.log 2>&1 &
nohup dotnet $L serve --kind Bare --port 5393 > /tmp/url-bare.log 2>&1 &
sleep 7
rp=$(pgrep -f "serve --kind RedLive"); bp=$(pgrep -f "serve --kind Bare")
dotnet $L --host Url --url http://127.0.0.1:5392 --server-pid "$rp" --bare-url http://127.0.0.1:5393 --bare-pid "$bp" \
  --baseline "$@" --out /tmp/url-out 2>&1 | grep -E "^(fanout|rush|resume)|delivered ratio|cpu mean|comparison"
kill "$rp" "$bp"
