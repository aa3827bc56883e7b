// An AML run (issue 14): the checks due on a date, evaluated from committed memory on the
// calling thread (and helpers), then raised through the kyc writer in short writes. Also
// the dry run of one flag, which stores nothing, and the server's daily schedule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aml/evaluate.h"
#include "core/core.h"
#include "kyc/audit.h"

namespace kyc {

struct AmlRunRequest {
  int64_t date = 0;                  // the day the checks are run for (DayOf)
  std::optional<std::string> brand;  // only this brand's subscriptions
  bool scheduled = false;            // by the server's scheduler
  Actor actor;                       // named in the audit rows of the alerts
  bool wait = true;                  // false: `unavailable` while another run is going on
};

struct AmlRunResult {
  int64_t date = 0;
  int64_t customers_checked = 0;
  int64_t alerts_created = 0;
  int64_t alerts_updated = 0;
  std::vector<AmlSkip> skipped;  // at most kMaxListedSkips
  int64_t skipped_total = 0;
  int64_t elapsed_ms = 0;
};
inline constexpr size_t kMaxListedSkips = 1000;

// Runs the checks due on `date`. Blocks until every alert is committed. Runs (and dry runs)
// go one at a time: a second waits for the first, or with `wait` false is `unavailable`
// (a request must not hold a blocking thread while it waits). Running a date again raises
// nothing new.
Result<AmlRunResult> RunAmlChecks(Core& core, const AmlRunRequest& request);

struct AmlTestResult {
  std::vector<AmlHit> hits;
  int64_t customers_checked = 0;
  std::vector<AmlSkip> skipped;
};
// Evaluates one flag with `sub`'s parameters as if run on `date` (its period as of that
// date, due or not) over the data as it stands, ignoring earlier hits. Stores nothing.
// `unavailable` while a run is going on.
Result<AmlTestResult> TestAmlFlag(Core& core, const AmlSubscription& sub, int64_t date);

// The scheduler's step, called from a timer: when the clock has passed `run_at_seconds`
// (seconds after midnight UTC) of a day not yet run, runs that day (and, after downtime,
// the missed days, at most 31 back). Returns the dates run.
Result<std::vector<int64_t>> RunDueAmlChecks(Core& core, int64_t run_at_seconds);

}  // namespace kyc
