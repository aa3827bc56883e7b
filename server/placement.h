// Where a TCP connection's I/O runs: gathered on the first I/O thread, or spread over all.
//
// A client that waits for each answer before it sends the next request (a terminal, a
// script, R1 in BENCHMARKS.md) gives every read one request. Spread over two threads,
// such connections wake both threads for a few requests each: on a machine whose cores
// the clients share, three busy threads on two cores wait for scheduler ticks (p99 2-4 ms,
// measured). Gathered on one thread, the same load is answered in larger batches per
// `epoll_wait` and the other core stays free for the clients. A pipelining client gives
// each read many requests: there the work per wake-up is large and a second thread nearly
// doubles throughput (R2). So the connection watches how many requests its reads bring
// and asks to move when that changes.
#pragma once

namespace kyc {

enum class Placement { kGather, kSpread };

class PlacementGauge {
 public:
  // Reads judged together: long enough that one pipelined burst or one lone request does
  // not move a connection, short enough that a pipelining client spreads within a
  // fraction of a second.
  static constexpr int kWindow = 16;
  // Windows in a row a spread connection needs to gather again; doubled each time it
  // gathers, up to kMaxGatherWindows. Requests per read depend a little on the
  // thread (a busy one lets more pile up between reads), so a client near the line could
  // otherwise move back and forth; each move costs a few system calls.
  static constexpr int kGatherWindows = 4;
  static constexpr int kMaxGatherWindows = 64;

  // One read delivered `requests` whole requests (0 when it ended inside a frame).
  // Returns where the connection belongs now.
  Placement OnRead(int requests);
  Placement placement() const { return placement_; }

 private:
  Placement placement_ = Placement::kGather;
  int reads_ = 0;
  int requests_ = 0;
  int gather_windows_ = 0;  // consecutive windows that argued for gathering
  int gather_after_ = kGatherWindows;  // doubled each time it gathers
};

}  // namespace kyc
