// kyc-bench: a load generator and data-set generator for the KYC Manager TCP protocol.
//
//   kyc-bench seed --data DIR --profiles N
//   kyc-bench run --port P --password-env VAR --connections 50 --pipeline 1 --seconds 10 --mix read
//                 [--warmup 3]
//
// `run` prints one JSON line: {"mix","connections","pipeline","ok","errors","seconds",
// "throughput","p50_us","p99_us","p999_us","max_us"}.
#include <cstdio>
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/crash.h"
#include "bench/load.h"
#include "bench/seed.h"

int main(int argc, char** argv) {
  CLI::App app{"kyc-bench: load and data-set generator for the KYC Manager protocol"};
  app.require_subcommand(1);

  kyc::bench::SeedOptions seed;
  auto* seed_cmd = app.add_subcommand("seed", "write a data set straight into the bases");
  seed_cmd->add_option("--data", seed.data_dir, "data directory (server stopped)");
  seed_cmd->add_option("--profiles", seed.profiles, "customers (3 steps, 2 documents each)");
  seed_cmd->add_option("--batch", seed.batch, "profiles per transaction");
  seed_cmd->add_option("--transactions", seed.transactions,
                       "with --records: transactions per customer over the last year (AML)")
      ->check(CLI::Range(1, 1000));
  seed_cmd->add_flag("--records", seed.records,
                     "also a client record per customer (for the search, tx and level mixes)");

  kyc::bench::LoadOptions load;
  std::string password_env = "KYC_PASSWORD";
  bool quiet = false;
  double warmup = 0;
  auto* run_cmd = app.add_subcommand("run", "drive load over TCP and report latency");
  run_cmd->add_option("--host", load.host);
  run_cmd->add_option("--port", load.port);
  run_cmd->add_option("--login", load.login);
  run_cmd->add_option("--password-env", password_env);
  run_cmd->add_option("--connections", load.connections)->check(CLI::Range(1, 10000));
  run_cmd->add_option("--pipeline", load.pipeline)->check(CLI::Range(1, 1024));
  run_cmd->add_option("--seconds", load.seconds);
  run_cmd->add_option("--requests", load.requests, "stop after this many (instead of --seconds)");
  run_cmd->add_option("--mix", load.mix)->check(CLI::IsMember({"read", "list", "write", "search", "tx", "level"}));
  run_cmd->add_flag("--quiet", quiet, "no progress line");
  run_cmd->add_option("--warmup", warmup,
                      "read/list mix: run this many seconds unmeasured first (a server in "
                      "steady state: its profile cache filled)")
      ->check(CLI::Range(0.0, 3600.0));
  run_cmd->add_option("--level-base", load.level_base,
                      "level mix: the first required level to set (above earlier runs')")
      ->check(CLI::Range(4, 90));
  run_cmd->add_option("--first-customer", load.first_customer,
                      "write mix: use seeded customers from this one on (each once)");

  kyc::bench::CrashWriterOptions crash;
  auto* writer_cmd = app.add_subcommand("crash-writer",
                                        "stream acknowledged writes until the server dies");
  writer_cmd->add_option("--host", crash.host);
  writer_cmd->add_option("--port", crash.port);
  writer_cmd->add_option("--login", crash.login);
  writer_cmd->add_option("--password-env", password_env);
  writer_cmd->add_option("--connections", crash.connections);
  writer_cmd->add_option("--first-customer", crash.first_customer);
  writer_cmd->add_option("--http-port", crash.http_port);
  writer_cmd->add_option("--log", crash.log)->required();
  std::string check_data, check_log;
  auto* check_cmd = app.add_subcommand("crash-check", "verify acknowledged writes survived");
  check_cmd->add_option("--data", check_data)->required();
  check_cmd->add_option("--log", check_log)->required();
  CLI11_PARSE(app, argc, argv);

  if (*check_cmd) {
    auto r = kyc::bench::CheckCrash(check_data, check_log);
    if (!r.ok()) {
      std::fprintf(stderr, "%s: %s\n", std::string(kyc::CodeName(r.status().code())).c_str(),
                   r.status().message().c_str());
      return 1;
    }
    std::printf("{\"logged\":%lld,\"steps\":%lld,\"profiles\":%lld,\"transactions\":%lld,"
                "\"totals\":%lld,\"money\":%lld,\"balances\":%lld}\n",
                (long long)r->logged, (long long)r->steps, (long long)r->profiles,
                (long long)r->transactions, (long long)r->totals, (long long)r->money,
                (long long)r->balances);
    return 0;
  }
  if (*writer_cmd) {
    const char* pw = std::getenv(password_env.c_str());
    if (!pw) return 2;
    crash.password = pw;
    auto r = kyc::bench::RunCrashWriter(crash);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().message().c_str());
      return 1;
    }
    std::printf("{\"logged\":%lld}\n", (long long)*r);
    return 0;
  }

  if (*seed_cmd) {
    kyc::Status s = kyc::bench::SeedDirect(seed);
    if (!s.ok()) {
      std::fprintf(stderr, "%s: %s\n", std::string(kyc::CodeName(s.code())).c_str(),
                   s.message().c_str());
      return 1;
    }
    std::printf("{\"seeded_profiles\":%lld}\n", (long long)seed.profiles);
    return 0;
  }
  const char* pw = std::getenv(password_env.c_str());
  if (!pw) {
    std::fprintf(stderr, "set %s to the password of '%s'\n", password_env.c_str(),
                 load.login.c_str());
    return 2;
  }
  load.password = pw;
  load.progress = !quiet;
  if (warmup > 0) {
    if (load.mix == "write") {
      std::fprintf(stderr, "--warmup is for the read and list mixes (a write run uses up customers)\n");
      return 2;
    }
    kyc::bench::LoadOptions w = load;
    w.seconds = warmup;
    w.requests = 0;
    w.progress = false;
    if (auto r = kyc::bench::RunLoad(w); !r.ok()) {
      std::fprintf(stderr, "warm-up: %s\n", r.status().message().c_str());
      return 1;
    }
  }
  auto r = kyc::bench::RunLoad(load);
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", std::string(kyc::CodeName(r.status().code())).c_str(),
                 r.status().message().c_str());
    return 1;
  }
  const auto& h = r->latency;
  std::printf(
      "{\"mix\":\"%s\",\"connections\":%d,\"pipeline\":%d,\"ok\":%llu,\"errors\":%llu,"
      "\"seconds\":%.2f,\"throughput\":%.0f,\"p50_us\":%llu,\"p99_us\":%llu,\"p999_us\":%llu,"
      "\"max_us\":%llu}\n",
      load.mix.c_str(), load.connections, load.pipeline, (unsigned long long)r->ok,
      (unsigned long long)r->errors, r->seconds, r->Throughput(),
      (unsigned long long)h.Percentile(0.50), (unsigned long long)h.Percentile(0.99),
      (unsigned long long)h.Percentile(0.999), (unsigned long long)h.max());
  return r->errors > 0 ? 1 : 0;
}
