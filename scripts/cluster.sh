#!/usr/bin/env bash
# Starts (or stops) RedLive's split deployment as local processes on loopback, without Docker: the same topology
# as docker-compose.yml. One redis-server (append-only persistence), N silos, M hub servers (Orleans clients with
# the Redis backplane), and, when nginx is installed, a WebSocket-capable load balancer in front of the hubs.
#
#   scripts/cluster.sh start [--silos N] [--hubs M] [--dir DIR] [--port-offset K] [--no-build] [--config Debug]
#   scripts/cluster.sh stop  [--dir DIR]
#   scripts/cluster.sh status [--dir DIR]
#
# Ports (plus --port-offset K): redis 6390, silo i 11110+i (gateway 29999+i, HTTP 8080+i), hub i 5080+i,
# load balancer 5080.
# The signing key comes from REDLIVE_SIGNING_KEY (a random one is made and saved in DIR when unset).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

command=${1:-}
shift || true
silos=2 hubs=2 dir="$root/artifacts/cluster" offset=0 build=1 config=Release
while (($#)); do
  case "$1" in
    --silos) silos=$2; shift 2 ;;
    --hubs) hubs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --port-offset) offset=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --config) config=$2; shift 2 ;;
    *) echo "cluster.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
redis_port=$((6390 + offset)) lb_port=$((5080 + offset))

wait_healthy() { # name url
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$2/health" 2>/dev/null; then echo "  $1 healthy at $2"; return 0; fi
    sleep 0.5
  done
  echo "cluster.sh: $1 not healthy at $2; see $dir/$1.log" >&2
  return 1
}

start() {
  command -v redis-server >/dev/null || { echo "cluster.sh: redis-server is required (apt-get install redis-server)" >&2; exit 1; }
  mkdir -p "$dir/redis"
  if ((build)); then dotnet build "$root/RedLive.sln" -c $config -v quiet -nologo >/dev/null; fi
  key=${REDLIVE_SIGNING_KEY:-}
  if [ -z "$key" ]; then
    [ -f "$dir/signing-key" ] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$dir/signing-key"
    key=$(cat "$dir/signing-key")
  fi

  # appendfsync always: a write is acknowledged only once it is on disk. With Redis' default (everysec) a Redis
  # crash could drop about a second of confirmed purchases, and the sale could sell those units again.
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" --appendonly yes --appendfsync always --save "" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "  redis on 127.0.0.1:$redis_port"

  export Redis__ConnectionString="127.0.0.1:$redis_port" Cluster__Clustering=Redis Cluster__Storage=Redis
  for i in $(seq 1 "$silos"); do
    Cluster__SiloPort=$((11110 + offset + i)) Cluster__GatewayPort=$((29999 + offset + i)) ASPNETCORE_URLS="http://127.0.0.1:$((8080 + offset + i))" \
      nohup dotnet "$root/src/Live.Silo/bin/$config/net10.0/Live.Silo.dll" > "$dir/silo-$i.log" 2>&1 &
    echo $! > "$dir/silo-$i.pid"
  done
  for i in $(seq 1 "$silos"); do wait_healthy "silo-$i" "http://127.0.0.1:$((8080 + offset + i))"; done

  upstreams=""
  for i in $(seq 1 "$hubs"); do
    # ASPNETCORE_FORWARDEDHEADERS_ENABLED: behind nginx the anonymous-connection cap counts the client's address.
    ASPNETCORE_ENVIRONMENT=Production Hub__Mode=Client Hub__Backplane=Redis Hub__HubId="hub-$i" Auth__DevTokens=false Auth__SigningKey="$key" \
      ASPNETCORE_FORWARDEDHEADERS_ENABLED=true \
      ASPNETCORE_URLS="http://127.0.0.1:$((5080 + offset + i))" \
      nohup dotnet "$root/src/Live.Hub/bin/$config/net10.0/Live.Hub.dll" > "$dir/hub-$i.log" 2>&1 &
    echo $! > "$dir/hub-$i.pid"
    upstreams="$upstreams    server 127.0.0.1:$((5080 + offset + i));\n"
  done
  for i in $(seq 1 "$hubs"); do wait_healthy "hub-$i" "http://127.0.0.1:$((5080 + offset + i))"; done

  if command -v nginx >/dev/null; then
    sed -e "s|__UPSTREAMS__|$upstreams|" -e "s|__PORT__|$lb_port|" -e "s|__DIR__|$dir|g" \
      "$root/deploy/nginx.local.conf.template" > "$dir/nginx.conf"
    nginx -c "$dir/nginx.conf" -p "$dir"
    echo "  load balancer at http://127.0.0.1:$lb_port (nginx)"
  else
    echo "  no nginx installed: connect to the hub servers directly (apt-get install nginx for the load balancer)"
  fi
  echo "cluster up in $dir (signing key in $dir/signing-key unless REDLIVE_SIGNING_KEY was set)"
}

stop() {
  [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  for pidfile in "$dir"/hub-*.pid "$dir"/silo-*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  rm -f "$dir/redis.pid"
  echo "cluster stopped"
}

status() {
  for pidfile in "$dir"/*.pid; do
    [ -f "$pidfile" ] || continue
    name=$(basename "$pidfile" .pid)
    if kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "  $name running"; else echo "  $name not running"; fi
  done
}

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
