#!/usr/bin/env bash
# Side-by-side benchmarks on this machine, in one run: kyc-server against Redis, nginx and
# PostgreSQL, printed as ratios (absolute figures drift from run to run; ratios less so).
# R1/R2 are per core: server and Redis pinned to CPU 0, load generators to CPU 1.
# Every server is started on 127.0.0.1 only and stopped by PID at the end.
#
# usage: bench/compare.sh [BUILD_DIR=build]    env: SECS (per run, default 10),
#        BIG (profiles for S1/S2, default 1000000), SMALL (default 10000), BASE (default 200000)
set -euo pipefail
build="$(cd "${1:-build}" && pwd)"
secs="${SECS:-10}"
big="${BIG:-1000000}"
small="${SMALL:-10000}"
base="${BASE:-200000}"
wsecs=$(( secs < 5 ? secs : 5 ))  # write runs use up seeded customers
here="$(cd "$(dirname "$0")" && pwd)"

need=()
for p in redis-server redis-tools nginx wrk postgresql; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

source "$here/lib.sh"

echo "seeding $base profiles (3 steps, 2 documents each)..." >&2
"$build/kyc-bench" seed --data "$work/base" --profiles "$base" >/dev/null 2>&1

# ---- R1, R2: TCP reads vs redis GET 1 KiB, per core. A dealer terminal is on another
# machine, so the load generator must not share the server's core: the server (one I/O
# thread) and Redis each run on CPU 0, kyc-bench and redis-benchmark on CPU 1.
server_cpu="taskset -c 0"; client_cpu="taskset -c 1"
$server_cpu redis-server --port 6391 --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
  > "$work/redis.log" 2>&1 &
pids+=("$!")
# Wait until it answers: redis-benchmark started too early can hang on its first connect.
for _ in $(seq 250); do redis-cli -p 6391 ping 2>/dev/null | grep -q PONG && break; sleep 0.02; done
# redis_rps PIPELINE REQUESTS [PREFIX...]: GET requests/s with 50 connections.
redis_rps() {
  local p="$1" n="$2"; shift 2
  "$@" timeout 300 redis-benchmark -h 127.0.0.1 -p 6391 -t get -d 1024 -c 50 -P "$p" -n "$n" --csv -q \
    | awk -F'"' '/GET/ { print $4 }'
}
# `-t get` alone reads a key nothing has set: every answer is a 5-byte nil, whatever -d
# says. The ratio is taken against GET of a real 1 KiB value (the key SET first); the
# nil figure is printed beside it.
r1_redis_nil=$(redis_rps 1 400000 $client_cpu)
r2_redis_nil=$(redis_rps 16 2000000 $client_cpu)
redis-cli -p 6391 SET key:__rand_int__ "$(head -c 1024 /dev/zero | tr '\0' x)" >/dev/null
r1_redis=$(redis_rps 1 400000 $client_cpu)
r2_redis=$(redis_rps 16 2000000 $client_cpu)
# Unpinned, for the two-thread figures below (the generator then shares both cores).
r1_redis_free=$(redis_rps 1 400000)
r2_redis_free=$(redis_rps 16 2000000)
# Like for like (informative): GET of 2 KiB values (a profile's size) at random among as
# many keys as there are profiles, so Redis too reads cold memory for each answer.
# `-r N` makes key:__rand_int__ random in [0, N); SET first fills ~99 % of them.
redis_rand() {
  local p="$1" n="$2" what="$3"; shift 3
  "$@" timeout 300 redis-benchmark -h 127.0.0.1 -p 6391 -t "$what" -d 2000 -r "$base" -c 50 \
    -P "$p" -n "$n" --csv -q | awk -F'"' '/GET|SET/ { print $4 }'
}
redis_rand 16 $((base * 5)) set $client_cpu >/dev/null
r1_redis_rand=$(redis_rand 1 400000 get $client_cpu)
r2_redis_rand=$(redis_rand 16 2000000 get $client_cpu)
redis-cli -p 6391 FLUSHALL >/dev/null

# Measured in steady state: an unmeasured warm-up fills the profile cache first (Redis's
# one key is hot from its first GET).
kyc_prefix="$server_cpu"
start_kyc "$work/base" --io-threads 1
r1=$($client_cpu "$build/kyc-bench" run --quiet --port "$kyc_tcp" --mix read --connections 50 \
  --pipeline 1 --seconds "$secs" --warmup 3 || true)
r2=$($client_cpu "$build/kyc-bench" run --quiet --port "$kyc_tcp" --mix read --connections 50 \
  --pipeline 16 --seconds "$secs" || true)
stop_kyc
kyc_prefix=""
r1_ours=$(echo "$r1" | field throughput); r1_p99=$(echo "$r1" | field p99_us)
r2_ours=$(echo "$r2" | field throughput)

# ---- The default two I/O threads, nothing pinned: the generator shares the server's two
# cores, so these figures measure the rig as much as the server (not the target).
start_kyc "$work/base"
r1f=$(bench --mix read --connections 50 --pipeline 1 --seconds "$secs" --warmup 3)
r2f=$(bench --mix read --connections 50 --pipeline 16 --seconds "$secs")
r1f_ours=$(echo "$r1f" | field throughput); r1f_p99=$(echo "$r1f" | field p99_us)
r2f_ours=$(echo "$r2f" | field throughput)

# ---- R3: REST profile vs nginx static 1 KiB JSON, same wrk
token=$(curl -s -X POST "127.0.0.1:$kyc_http/auth/login" \
  -d "{\"login\":\"admin\",\"password\":\"$KYC_PASSWORD\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
mkdir -p "$work/www"
head -c 1024 /dev/zero | tr '\0' 'x' | sed 's/^/{"pad":"/; s/$/"}/' | head -c 1024 > "$work/www/p.json"
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nb; proxy_temp_path $work/np; fastcgi_temp_path $work/nf;
  uwsgi_temp_path $work/nu; scgi_temp_path $work/ns;
  server { listen 127.0.0.1:8097; root $work/www; }
}
NGINX
nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=("$!")
for _ in $(seq 250); do curl -sf -o /dev/null "http://127.0.0.1:8097/p.json" && break; sleep 0.02; done
wrk_rps() { wrk -t2 -c50 -d"${secs}s" "$@" | awk '/Requests\/sec/ { print $2 }'; }
r3_nginx=$(wrk_rps "http://127.0.0.1:8097/p.json")
r3_ours=$(wrk_rps -H "Authorization: Bearer $token" "http://127.0.0.1:$kyc_http/manager/kyc/profiles/1")
stop_kyc

# ---- W1, W2: durable writes vs pgbench TPC-B
start_kyc "$work/base"
w1=$(bench --mix write --connections 50 --seconds "$wsecs" --first-customer 1)
stop_kyc
w1_ours=$(echo "$w1" | field throughput)
start_kyc "$work/base" --no-group-commit
w2=$(bench --mix write --connections 50 --seconds "$wsecs" --first-customer $((base / 2)))
stop_kyc
w2_single=$(echo "$w2" | field throughput)

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
mkdir -p "$work/pg" "$work/pgsock" && chown postgres "$work/pg" "$work/pgsock"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pgsock/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p 5439 -k $work/pgsock -c fsync=on -c synchronous_commit=on" \
  -w start >/dev/null
runuser -u postgres -- "$pgbin/pgbench" -h 127.0.0.1 -p 5439 -i -s 10 postgres >/dev/null 2>&1
w1_pg=$(runuser -u postgres -- "$pgbin/pgbench" -h 127.0.0.1 -p 5439 -c 8 -j 2 -T 20 postgres 2>/dev/null \
  | awk '/^tps/ { print $3; exit }')
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null

# ---- S1, S2: start-up at BIG profiles; list page p99 at BIG vs SMALL
echo "seeding $big profiles..." >&2
"$build/kyc-bench" seed --data "$work/big" --profiles "$big" >/dev/null 2>&1
"$build/kyc-bench" seed --data "$work/small" --profiles "$small" >/dev/null 2>&1
start_kyc "$work/big"
s1_ms=$kyc_start_ms
s1_rss_mb=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$kyc_pid/status")
s2_big=$(bench --mix list --connections 10 --seconds "$secs" | field p99_us)
stop_kyc
start_kyc "$work/small"
s2_small=$(bench --mix list --connections 10 --seconds "$secs" | field p99_us)
stop_kyc

cat <<TABLE
| # | ours | reference | ours/ref | target |
|---|---|---|---|---|
| R1 per core | $r1_ours req/s, p99 ${r1_p99} µs | redis GET 1 KiB -P 1: $r1_redis req/s (nil key: $r1_redis_nil, $(ratio "$r1_ours" "$r1_redis_nil")×) | $(ratio "$r1_ours" "$r1_redis") | ≥ 1.3×, p99 ≤ 1000 µs |
| R2 per core | $r2_ours req/s | redis GET 1 KiB -P 16: $r2_redis req/s (nil key: $r2_redis_nil, $(ratio "$r2_ours" "$r2_redis_nil")×) | $(ratio "$r2_ours" "$r2_redis") | ≥ 0.8× |
| R1 per core, like for like | the same | redis GET 2 KiB of $base random keys -P 1: $r1_redis_rand req/s | $(ratio "$r1_ours" "$r1_redis_rand") | (informative) |
| R2 per core, like for like | the same | redis GET 2 KiB of $base random keys -P 16: $r2_redis_rand req/s | $(ratio "$r2_ours" "$r2_redis_rand") | (informative) |
| R1, 2 threads, unpinned | $r1f_ours req/s, p99 ${r1f_p99} µs | redis, unpinned: $r1_redis_free req/s | $(ratio "$r1f_ours" "$r1_redis_free") | (the rig: not a target) |
| R2, 2 threads, unpinned | $r2f_ours req/s | redis, unpinned: $r2_redis_free req/s | $(ratio "$r2f_ours" "$r2_redis_free") | (the rig: not a target) |
| R3 | $r3_ours req/s | nginx 1 KiB file: $r3_nginx req/s | $(ratio "$r3_ours" "$r3_nginx") | ≥ 0.8× |
| W1 | $w1_ours writes/s | pgbench TPC-B: $w1_pg tps | $(ratio "$w1_ours" "$w1_pg") | ≥ 5× |
| W2 | $w1_ours writes/s | same, no group commit: $w2_single writes/s | $(ratio "$w1_ours" "$w2_single") | ≥ 3× |
| S1 | $big profiles: serving after $s1_ms ms, RSS $s1_rss_mb MiB | — | — | ≤ 10000 ms, ≤ 2048 MiB |
| S2 | page p99 at $big: $s2_big µs | at $small: $s2_small µs | $(ratio "$s2_big" "$s2_small") | ≤ 1.5 |
TABLE
