# Sourced by rush-ab.sh and rush-steady.sh with: label repo [extra serve --set args...].
# Starts a fresh RedLive load-test server on port 5391 (SQLite in /tmp/ab-data) and warms it with one rush;
# leaves L (the load tool), PID (the server) and the extra arguments consumed.
label=$1; repo=$2; shift 2
L=$repo/loadtests/Live.LoadTests/bin/Release/net10.0/Live.LoadTests.dll
pkill -f "serve --kind" ; sleep 1
d=/tmp/ab-data; rm -rf $d; mkdir -p $d
nohup dotnet $L serve --kind RedLive --port 5391 --set RateLimits:BuysPerSecond=1000 --set RateLimits:BuyBurst=1000 --set Cluster:Storage=Sqlite --set Cluster:DataPath=$d "$@" > /tmp/ab-serve.log 2>&1 &
sleep 6; PID=$(pgrep -f "dotnet.*serve --kind RedLive")
dotnet $L -s rush --host Url --url http://127.0.0.1:5391 --server-pid $PID --units 10000 --buyers 1000 --warmup-units 60000 --protocol MessagePack --out /tmp/ab-out > /dev/null 2>&1
