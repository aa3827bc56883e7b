# What bench/compare.sh and bench/customers.sh share: a work directory removed at exit with
# every server they started, and starting/stopping kyc-server. Sourced; expects $build.
work=$(mktemp -d /tmp/kyc-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ -n "${pgbin:-}" ] && [ -d "$work/pg" ]; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export KYC_ADMIN_PASSWORD=compare-admin-password KYC_PASSWORD=compare-admin-password
printf '[password_hash]\nops_limit = 1\nmem_limit = 8192\n' > "$work/kyc.toml"

# start_kyc DATA [FLAGS...]: sets kyc_pid, kyc_tcp, kyc_http, kyc_start_ms; the server runs
# under $kyc_prefix (a taskset, or nothing).
kyc_prefix=""
start_kyc() {
  local data="$1"; shift
  : > "$work/kyc.out"
  local t0; t0=$(date +%s%N)
  $kyc_prefix "$build/kyc-server" --config "$work/kyc.toml" --data "$data" --tcp 127.0.0.1:0 \
    --http 127.0.0.1:0 --log-level warn "$@" > "$work/kyc.out" 2>> "$work/kyc.err" &
  kyc_pid=$!; pids+=("$kyc_pid")
  # Up to 10 minutes: ten million transactions take a while to load.
  for _ in $(seq 30000); do
    kyc_http=$(sed -n 's/^http 127.0.0.1:\([0-9]*\)$/\1/p' "$work/kyc.out")
    [ -n "$kyc_http" ] && break
    kill -0 "$kyc_pid" 2>/dev/null || break
    sleep 0.02
  done
  kyc_start_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  kyc_tcp=$(sed -n 's/^tcp 127.0.0.1:\([0-9]*\)$/\1/p' "$work/kyc.out")
}
stop_kyc() { kill -TERM "$kyc_pid"; wait "$kyc_pid" 2>/dev/null || true; }
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
bench() { "$build/kyc-bench" run --quiet --port "$kyc_tcp" "$@" || true; }
