#pragma once
// The row of results/micro.csv a benchmark becomes, said by the benchmark itself in Google
// Benchmark's label, so that `gillab micro` reads fields and never decodes a benchmark's name:
//
//   group=<group> policy=<policy> object=<object> arg=<argument> per_op=<cpu|real|cpu/2>
//
// per_op names the time that is one operation's: the CPU or the real time of one iteration, or
// half the CPU time (an incref+decref pair is two operations). A counter named s_per_op (seconds
// per operation, an inverted rate) takes its place where the benchmark counts its own operations;
// a counter cas_retries_per_op is copied as it is. Empty fields are left out.
#include <benchmark/benchmark.h>

#include <string>

namespace gillab {

struct MicroRow {
  std::string group{}, policy{}, object{}, arg{}, per_op = "cpu";

  std::string label() const {
    std::string out;
    for (auto [key, value] : {std::pair{"group", &group}, {"policy", &policy}, {"object", &object}, {"arg", &arg},
                              {"per_op", &per_op}})
      if (!value->empty()) out.append(out.empty() ? "" : " ").append(key).append("=").append(*value);
    return out;
  }
  void describe(benchmark::State& state) const { state.SetLabel(label()); }
};

}  // namespace gillab
