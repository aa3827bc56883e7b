#!/usr/bin/env bash
# Crash safety under load: ROUNDS times, start kyc-server, stream acknowledged writes
# (require a step, approve it, add the customer's record, two transactions, then a deposit
# credited through its signed callback and a withdrawal held and paid) from 4
# connections, kill -9 the server at a random moment, then open the bases as a restart
# would and check that every acknowledged change is there and no change is half there (a
# step approved without its audit row, a profile whose status disagrees with its steps,
# totals that differ from the sum of the customer's transactions, a deposit credited
# without its ledger entry, a hold that does not follow its withdrawal, a balance that is
# not what its deposits, payouts and adjustments add up to).
#
# usage: bench/crash.sh [ROUNDS=20] [BUILD_DIR=build]
set -euo pipefail
rounds="${1:-20}"
build="${2:-build}"
dir=$(mktemp -d /tmp/kyc-crash.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
data="$dir/data"
log="$dir/acked.log"
mkdir -p "$data"
: > "$log"
export KYC_ADMIN_PASSWORD=crash-admin-password KYC_PASSWORD=crash-admin-password
# Withdrawals at KYC level 1, so the writer's customers (one step) may withdraw.
printf '[password_hash]\nops_limit = 1\nmem_limit = 8192\n[policy.default]\nwithdrawal = 1\n' \
  > "$dir/kyc.toml"

start_server() {
  : > "$dir/out"
  "$build/kyc-server" --config "$dir/kyc.toml" --data "$data" --tcp 127.0.0.1:0 \
    --http 127.0.0.1:0 > "$dir/out" 2>> "$dir/err" &
  pid=$!
  for _ in $(seq 200); do
    port=$(sed -n 's/^tcp 127.0.0.1:\([0-9]*\)$/\1/p' "$dir/out")
    http_port=$(sed -n 's/^http 127.0.0.1:\([0-9]*\)$/\1/p' "$dir/out")
    [ -n "$port" ] && [ -n "$http_port" ] && return 0
    sleep 0.05
  done
  echo "server did not start"; cat "$dir/err"; exit 1
}

for round in $(seq "$rounds"); do
  start_server
  "$build/kyc-bench" crash-writer --port "$port" --http-port "$http_port" --log "$log" \
    --first-customer $((round * 1000000)) > /dev/null 2>&1 &
  writer=$!
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  wait "$writer" 2>/dev/null || true
  result=$("$build/kyc-bench" crash-check --data "$data" --log "$log") || {
    echo "round $round: FAILED"; exit 1; }
  echo "round $round: $result"
done

# The data directory still starts a server that answers.
start_server
kill -TERM "$pid"
wait "$pid"
changes=$(wc -l < "$log")
echo "crash: $rounds rounds, $changes acknowledged changes checked: all present, none half there; totals equal their transactions; balances equal their ledger"
echo "$rounds passed, 0 failed"
