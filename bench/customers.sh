#!/usr/bin/env bash
# The client record's figures (issue 13), in one run on this machine:
#   C1  MngGetCustomers search p99 at CUSTOMERS client records (default 1,000,000): a
#       last-name prefix, a passport number or an e-mail, page of 20 (target ≤ 2 ms);
#   C2  durable MngAddTransaction writes/s against MngSetKycRequiredLevel writes/s on the
#       same server and data, both on random customers (target ≥ 0.8×): medians of five
#       alternating rounds after a warm-up.
#
# usage: bench/customers.sh [BUILD_DIR=build]   env: SECS (default 10), CUSTOMERS, BASE (200000)
set -euo pipefail
build="$(cd "${1:-build}" && pwd)"
secs="${SECS:-10}"
customers="${CUSTOMERS:-1000000}"
base="${BASE:-200000}"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

echo "seeding $customers customers with client records..." >&2
"$build/kyc-bench" seed --data "$work/big" --profiles "$customers" --records >/dev/null 2>&1
"$build/kyc-bench" seed --data "$work/base" --profiles "$base" --records >/dev/null 2>&1

# C1 per core, as R1: the server (one I/O thread) on CPU 0, the load generator on CPU 1.
kyc_prefix="taskset -c 0"
start_kyc "$work/big" --io-threads 1
kyc_prefix=""
c1_start_ms=$kyc_start_ms
c1_rss_mb=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$kyc_pid/status")
pinned() { taskset -c 1 "$build/kyc-bench" run --quiet --port "$kyc_tcp" "$@" || true; }
pinned --mix search --connections 10 --seconds 2 >/dev/null   # warm up
c1=$(pinned --mix search --connections 10 --seconds "$secs")
stop_kyc

# C2: both mixes warmed up unmeasured first (the first writes after a start run on a cold
# page cache), then five alternating rounds; the medians are compared.
start_kyc "$work/base"
# Each level round starts 10 levels above the one before: the server only raises a
# required level, and a write that changes nothing would flatter the reference.
bench --mix level --connections 50 --seconds 3 --level-base 4 >/dev/null
bench --mix tx --connections 50 --seconds 3 >/dev/null
levels=() txs=()
for round in 1 2 3 4 5; do
  levels+=("$(bench --mix level --connections 50 --seconds "$secs" --level-base $((4 + 10 * round)) | field throughput)")
  txs+=("$(bench --mix tx --connections 50 --seconds "$secs" | field throughput)")
done
stop_kyc
median() { printf "%s\n" "$@" | sort -n | sed -n 3p; }
tx=$(median "${txs[@]}")
level=$(median "${levels[@]}")
c2_tx="${txs[*]}"; c2_level="${levels[*]}"
cat <<TABLE
| # | ours | reference | ours/ref | target |
|---|---|---|---|---|
| C1 per core | search at $customers records: p50 $(echo "$c1" | field p50_us) µs, p99 $(echo "$c1" | field p99_us) µs, $(echo "$c1" | field throughput) req/s (start-up $c1_start_ms ms, RSS $c1_rss_mb MiB) | — | — | p99 ≤ 2000 µs |
| C2 | MngAddTransaction: median $tx writes/s (rounds: $c2_tx) | MngSetKycRequiredLevel: median $level writes/s (rounds: $c2_level) | $(ratio "$tx" "$level") | ≥ 0.8× |
TABLE
