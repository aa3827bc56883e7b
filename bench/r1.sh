#!/usr/bin/env bash
# R1 alone, in alternating rounds: MngGetKycProfile over TCP (50 connections, no
# pipelining) against redis GET of a 1 KiB value, each server pinned to CPU 0 and its
# load generator to CPU 1 (as bench/compare.sh measures R1). Prints one line per round.
# With OTHER_BUILD (another commit's build directory), each round also runs that server on
# its own seeded copy: an A/B of two commits on the same machine at the same time.
# usage: bench/r1.sh [BUILD_DIR] [ROUNDS] [SECONDS] [PROFILES] [OTHER_BUILD]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"; rounds="${2:-3}"; secs="${3:-10}"; base="${4:-200000}"; other="${5:-}"
source bench/lib.sh

echo "seeding $base profiles (3 steps, 2 documents each)..." >&2
"$build/kyc-bench" seed --data "$work/base" --profiles "$base" >/dev/null 2>&1
if [ -n "$other" ]; then
  "$other/kyc-bench" seed --data "$work/other" --profiles "$base" >/dev/null 2>&1
fi
server_cpu="taskset -c 0"; client_cpu="taskset -c 1"

redis_r1() {
  $server_cpu redis-server --port 6392 --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize no > "$work/redis.log" 2>&1 &
  local rpid=$!
  for _ in $(seq 250); do redis-cli -p 6392 ping 2>/dev/null | grep -q PONG && break; sleep 0.02; done
  redis-cli -p 6392 SET key:__rand_int__ "$(head -c 1024 /dev/zero | tr '\0' x)" >/dev/null
  $client_cpu timeout 300 redis-benchmark -h 127.0.0.1 -p 6392 -t get -d 1024 -c 50 -P 1 \
    -n $((secs * 90000)) --csv -q | awk -F'"' '/GET/ { print $4 }'
  kill "$rpid"; wait "$rpid" 2>/dev/null || true
}

# r1_of BUILD DATA: "req/s p99" of that build's server on DATA.
r1_of() {
  local saved="$build"; build="$1"
  kyc_prefix="$server_cpu"
  start_kyc "$2" --io-threads 1
  local r; r=$($client_cpu "$build/kyc-bench" run --quiet --port "$kyc_tcp" --mix read \
    --connections 50 --pipeline 1 --seconds "$secs" --warmup 3 || true)
  stop_kyc
  build="$saved"
  echo "$(echo "$r" | field throughput) $(echo "$r" | field p99_us)"
}

if [ -n "$other" ]; then
  echo "| round | R1 this build (p99) | R1 $other (p99) | this / other | redis GET 1 KiB | this / redis |"
  echo "|---|---|---|---|---|---|"
else
  echo "| round | R1 ours (p99) | redis GET 1 KiB | ratio |"
  echo "|---|---|---|---|"
fi
for round in $(seq "$rounds"); do
  read -r ours p99 <<< "$(r1_of "$build" "$work/base")"
  if [ -n "$other" ]; then
    read -r theirs tp99 <<< "$(r1_of "$other" "$work/other")"
  fi
  redis=$(redis_r1)
  if [ -n "$other" ]; then
    echo "| $round | $ours req/s ($p99 µs) | $theirs req/s ($tp99 µs) | $(ratio "$ours" "$theirs") | $redis req/s | $(ratio "$ours" "$redis") |"
  else
    echo "| $round | $ours req/s (p99 $p99 µs) | $redis req/s | $(ratio "$ours" "$redis") |"
  fi
done
