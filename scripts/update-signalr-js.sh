#!/usr/bin/env bash
# Refreshes the web viewer's SignalR client (src/Live.Hub/wwwroot/lib/signalr/signalr.min.js) from the npm package
# @microsoft/signalr, through npm's own client: no CDN, nothing else downloaded. Usage: scripts/update-signalr-js.sh [version]
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-10.0.11}"
target="src/Live.Hub/wwwroot/lib/signalr"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="$(cd "$work" && npm pack --silent "@microsoft/signalr@${version}" | tail -n 1)"
tar -xzf "$work/$tarball" -C "$work"
src="$work/package/dist/browser/signalr.min.js"
[ -f "$src" ] || { echo "update-signalr-js: $src not in @microsoft/signalr@${version}" >&2; exit 1; }
mkdir -p "$target"
cp "$src" "$target/signalr.min.js"
echo "signalr.min.js <- @microsoft/signalr@${version} ($(wc -c < "$target/signalr.min.js") bytes)"
