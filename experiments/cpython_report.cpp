// REPORT.md's section on the cpython experiment: the model's threads and processes beside real
// CPython's on the same tasks, and why they differ where they do.
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "claim.hpp"
#include "gil.hpp"
#include "report_section.hpp"

using namespace gillab;

namespace {

std::string fmt(const char* f, double v) { return fmt_number(f, v); }

struct Off {
  bool threads = false, processes = false, model_slower = false;  // beyond 10% at some worker count
};

double c_get(const ResultSet& rs, const ResultSet::Match& m, const char* col) { return rs.value("cpython", m, col); }

// The time ratios at 1, 2, 4 and 8 workers, and where the model is more than 10% off.
Off ratios_table(const ReportInput& in, std::ostringstream& out) {
  const ResultSet& rs = in.results;
  std::string py;
  if (in.manifests.count("cpython")) {
    const auto& m = in.manifests.at("cpython");
    if (m.contains("python"))
      py = "Python " + m["python"].value("version", "?") + " (" + m["python"].value("build", "?") + " build, GIL " +
           (m["python"].value("gil_enabled_at_run_time", true) ? "enabled" : "disabled") + ")";
  }
  out << "\n## The model beside real CPython\n\n`configs/cpython.yaml`: the same tasks in " << py
      << " (`experiments/cpython/run_tasks.py`: threading and multiprocessing, as the essay) and in gillab. "
         "Time relative to each implementation's own serial loop, medians; GIL switch interval 5 ms. Target: the "
         "model within 10% of CPython.\n\n| workers | CPython threads | gillab threads | difference | CPython "
         "processes | gillab processes | difference |\n|---|---|---|---|---|---|---|\n";
  Off off;
  for (const char* w : {"1", "2", "4", "8"}) {
    auto ratio = [&](const char* impl, const char* st) {
      ResultSet::Match m{{"implementation", impl}, {"strategy", st}, {"workers", w}};
      if (std::string(st) == "gil" || std::string(st) == "threads") m["switch_interval_us"] = std::to_string(kDefaultSwitchIntervalUs);
      return 1 / c_get(rs, m, "speedup_median");
    };
    double ct = ratio("cpython", "threads"), gt = ratio("gillab", "gil"), cp = ratio("cpython", "processes"),
           gp = ratio("gillab", "processes");
    if (!std::isfinite(ct) && !std::isfinite(cp)) continue;
    if (std::fabs(gt / ct - 1) > 0.10) off.threads = true;
    if (std::fabs(gp / cp - 1) > 0.10) {
      off.processes = true;
      off.model_slower = off.model_slower || gp > cp;
    }
    out << "| " << w << " | " << fmt("%.2f", ct) << " | " << fmt("%.2f", gt) << " | " << fmt("%+.0f%%", (gt / ct - 1) * 100)
        << " | " << fmt("%.2f", cp) << " | " << fmt("%.2f", gp) << " | " << fmt("%+.0f%%", (gp / cp - 1) * 100) << " |\n";
  }
  return off;
}

// The threads' time at each switch interval, then why the ratios differ where they do.
void intervals_and_why(const ResultSet& rs, const Off& off, std::ostringstream& out) {
  out << "\nSwitch intervals (threads, time relative to serial, 2 workers): ";
  std::string iv;
  for (const char* us : {"1000", "5000", "20000"}) {
    double ct = 1 / c_get(rs, {{"implementation", "cpython"}, {"strategy", "threads"}, {"workers", "2"}, {"switch_interval_us", us}}, "speedup_median");
    double gt = 1 / c_get(rs, {{"implementation", "gillab"}, {"strategy", "gil"}, {"workers", "2"}, {"switch_interval_us", us}}, "speedup_median");
    if (std::isfinite(ct)) iv += std::string(iv.empty() ? "" : "; ") + us + " us: CPython " + fmt("%.2f", ct) + ", gillab " + fmt("%.2f", gt);
  }
  out << (iv.empty() ? "n/a" : iv) << ".\n";
  if (off.threads)
    out << "\nWhere the threads differ by more than 10%: the model's tasks take about a third of CPython's time, so a "
           "switch interval covers a larger share of a task and a late hand-off at the end of the run weighs more; "
           "CPython's GIL also pays its own condition-variable wake-ups, and with more threads than cores its waiting "
           "threads compete with the holder for the CPU. Run-to-run noise on this machine (the CV columns of "
           "`summary-cpython.csv`) is of the same order.\n";
  if (off.processes && off.model_slower)
    out << "\nWhere gillab's processes gain less than CPython's by more than 10%: gillab's tasks take about a third "
           "of CPython's time, so the fixed costs of a forked worker weigh more: its first writes to the shared "
           "objects' refcounts copy the runtime's pages (copy-on-write), and an uneven last task leaves a core idle "
           "for longer relative to the run. Run-to-run noise here is of the same order.\n";
  else if (off.processes)
    out << "\nWhere CPython's processes gain less than gillab's by more than 10%: CPython's `multiprocessing.Pool` "
           "pickles every task and result through a pipe and wakes its workers through a queue, a fixed cost per "
           "task; gillab's forked workers take tasks from a counter in shared memory.\n";
}

std::string cpython_section(const ReportInput& in) {
  if (!in.results.has("cpython")) return "";
  std::ostringstream out;
  const Off off = ratios_table(in, out);
  intervals_and_why(in.results, off, out);
  return out.str();
}

}  // namespace

GILLAB_REPORT_SECTION(cpython, {.name = "cpython", .order = 10, .render = cpython_section});
