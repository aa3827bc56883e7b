#!/usr/bin/env bash
# The AML Manager's figure (issue 14), in one run on this machine:
#   A1  a monthly run of groups 3 and 4 (flags 3.1–3.6, 4.1 and 4.2 subscribed on every
#       brand) over CUSTOMERS client records (default 1,000,000) with TX transactions each
#       (default 10: 10,000,000), on the machine's two cores: its elapsed_ms (target
#       ≤ 10 s), while MngGetKycProfile is read alongside: that read's p99 during the run
#       (target ≤ 2 ms), and the same read's p99 with no run, for comparison.
#
# usage: bench/aml.sh [BUILD_DIR=build]   env: CUSTOMERS, TX, CONNECTIONS (default 4)
set -euo pipefail
build="$(cd "${1:-build}" && pwd)"
customers="${CUSTOMERS:-1000000}"
tx="${TX:-10}"
connections="${CONNECTIONS:-4}"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

# DATA=dir keeps the seeded data set there and reuses it on the next run (seeding ten
# million transactions takes about ten minutes); each run works on a copy of it.
data="${DATA:-$work/aml}"
seed_s=0
if [ ! -f "$data/bases/kyc.db" ]; then
  echo "seeding $customers customers with $tx transactions each..." >&2
  t0=$(date +%s)
  "$build/kyc-bench" seed --data "$data" --profiles "$customers" --records --transactions "$tx" \
    >/dev/null 2>&1
  seed_s=$(( $(date +%s) - t0 ))
fi
if [ "$data" != "$work/aml" ]; then cp -r "$data" "$work/aml"; fi
start_kyc "$work/aml"
rss_mb=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$kyc_pid/status")
ctl() { "$build/kycctl" --port "$kyc_tcp" --login admin --password-env KYC_PASSWORD "$@"; }
flags='3.1 {"x":"20000"}
3.2 {"x":"25000"}
3.3 {"x":"2"}
3.4 {"x":"1","months":3}
3.5 {"x":"2900"}
3.6 {}
4.1 {}
4.2 {}'
for brand in $(seq 0 $((${SEED_BRANDS:-4} - 1))); do
  while read -r flag params; do
    ctl MngSetAmlFlag "{\"brand\":\"bench$brand\",\"flag\":\"$flag\",\"enabled\":true,\"params\":$params}" >/dev/null
  done <<< "$flags"
done

bench --mix read --connections "$connections" --seconds 3 >/dev/null  # warm the profile cache
quiet=$(bench --mix read --connections "$connections" --seconds 10)
# The reader's window starts with the run and lasts READ_SECS (default 6): within the run
# when the run takes longer, so its p99 is the p99 of reads made during the run.
bench --mix read --connections "$connections" --seconds "${READ_SECS:-6}" > "$work/during.json" &
reader=$!
sleep 0.2
run=$(ctl MngRunAmlChecks '{"date":"2026-10-01"}')
wait "$reader"
during=$(cat "$work/during.json")
again=$(ctl MngRunAmlChecks '{"date":"2026-10-01"}')
stop_kyc
elapsed=$(echo "$run" | field elapsed_ms)
cat <<TABLE
| # | ours | target |
|---|---|---|
| A1 | monthly run (groups 3 and 4) of 2026-10-01 over $customers customers × $tx transactions: $elapsed ms, $(echo "$run" | field customers_checked) customers checked, $(echo "$run" | field alerts_created) alerts created; repeated: $(echo "$again" | field elapsed_ms) ms, $(echo "$again" | field alerts_created) created (seed $seed_s s, start-up $kyc_start_ms ms, RSS $rss_mb MiB) | ≤ 10,000 ms |
| A1 reads | MngGetKycProfile with $connections connections over the first ${READ_SECS:-6} s of the run: p50 $(echo "$during" | field p50_us) µs, p99 $(echo "$during" | field p99_us) µs; with no run: p50 $(echo "$quiet" | field p50_us) µs, p99 $(echo "$quiet" | field p99_us) µs | p99 ≤ 2,000 µs |
TABLE
