// `gillab run`: plan, measure the machine, execute the rounds, pair, write.
#include "driver.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <sys/wait.h>
#include <unistd.h>

#include "atomic_file.hpp"
#include "claim_points.hpp"
#include "claim.hpp"
#include "summary.hpp"
#include "cpython_runner.hpp"
#include "eval.hpp"
#include "isolate.hpp"
#include "json_input.hpp"
#include "layout.hpp"
#include "machine_name.hpp"
#include "machine_capacity.hpp"
#include "build_info.hpp"
#include "machine_facts.hpp"
#include "manifest.hpp"
#include "plan.hpp"
#include "program.hpp"
#include "progress.hpp"
#include "results_writer.hpp"
#include "rounds.hpp"
#include "run_length.hpp"
#include "topology.hpp"
#include "workload_files.hpp"

namespace gillab {

namespace {

// Seconds for one task of this workload on this machine, measured in a short serial run.
double calibrate_task_s(const WorkloadParams& w, int64_t seed) {
  WorkloadParams small = w;
  small.blocks = std::min(w.blocks, 8);
  Runtime<rc::Plain> rt(build_workload(small), false);
  ThreadState<rc::Plain> ts(rt);
  const int64_t args[3] = {seed, small.difficulty, small.blocks};
  auto t0 = std::chrono::steady_clock::now();
  Interpreter<rc::Plain, false>::call(ts, rt.global(kTaskGlobal), args);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s * w.blocks / small.blocks;
}

struct TimeEstimate {
  std::vector<double> per_point_s;  // one run of each point
  double round_s = 0;               // one round of every point
  double least_s = 0, most_s = 0;   // warm-up + repetitions; up to max_repetitions or the budget
};

TimeEstimate estimate(const Plan& plan, const Config& cfg, int capacity) {
  TimeEstimate e;
  const double task_s = calibrate_task_s(plan.workload, plan.seeds[0]);
  for (const Point& p : plan.points) {
    int par = p.strategy->parallel && !p.strategy->uses_gil ? std::min(p.workers, capacity) : 1;
    const double python = p.implementation == "cpython" ? 3.5 : 1.0;  // CPython's pace on this work, roughly
    e.per_point_s.push_back(cfg.tasks * task_s * cost_factor(p) * python / par);
    e.round_s += e.per_point_s.back();
  }
  e.least_s = e.round_s * (cfg.warmup + cfg.repetitions);
  e.most_s = std::max(e.least_s, std::min(e.round_s * (cfg.warmup + cfg.max_repetitions), cfg.budget_s + e.round_s));
  return e;
}

// Where each worker would run: the order a reader checks on a machine with packages and SMT.
void print_pinning(const Topology& topo, PinMode pin, int workers) {
  std::printf("\npinning (pin: %s) on %s: %d packages, %d NUMA nodes, %d cores, %d PUs\n", pin_name(pin),
              topo.cpu_model().c_str(), topo.packages(), topo.numa_nodes(), topo.cores(), topo.pus());
  if (pin == PinMode::None) return;
  std::printf("worker  pu  core  package  numa\n");
  for (int w = 0; w < workers; ++w) {
    const int pu = topo.pu_for(w, pin);
    const Topology::Place at = topo.place_of(pu);
    std::printf("%6d %3d %5d %8d %5d%s\n", w, pu, at.core, at.package, at.numa,
                w >= topo.capacity(pin) ? "  (oversubscribed)" : "");
  }
}

void print_plan(const Plan& plan, const Config& cfg, const Topology& topo, const TimeEstimate& est, bool list_points) {
  std::fprintf(stderr,
               "gillab: %s (%s): %zu points, %d warm-up + %d to %d rounds (until each interval is within +-%.1f%%, "
               "budget %s) on %s, %d cores / %d PUs\n",
               cfg.name.c_str(), plan.experiment->name.c_str(), plan.points.size(), cfg.warmup, cfg.repetitions,
               cfg.max_repetitions, cfg.precision * 100, format_duration(cfg.budget_s).c_str(), topo.cpu_model().c_str(),
               topo.cores(), topo.pus());
  std::fprintf(stderr, "gillab: estimated %s to %s (one round ~%s)\n", format_duration(est.least_s).c_str(),
               format_duration(est.most_s).c_str(), format_duration(est.round_s).c_str());
  int most = 0;
  for (const Point& p : plan.points) most = std::max(most, p.workers);
  const int capacity = topo.capacity(cfg.pin);
  if (most > capacity)
    std::fprintf(stderr, "gillab: warning: up to %d workers on %d %s: those runs are oversubscribed (flagged in the CSV)\n",
                 most, capacity, cfg.pin == PinMode::Pus ? "PUs" : "cores");
  if (!list_points) return;
  for (const Point& p : plan.points)
    std::printf("%s  (baseline: %s)\n", p.label().c_str(), plan.points[p.baseline].label().c_str());
  print_pinning(topo, cfg.pin, most);
}

// A model run in a freshly exec'd measuring process (`gillab __measure SPEC`): ASLR draws its
// layout anew and its environment carries the drawn padding. Failures read as run_isolated's.
Isolated run_exec(const std::string& exe, const RunSpec& spec, const std::string& strategy, double timeout_s) {
  const std::vector<std::string> env{"GILLAB_LAYOUT_PAD=" + std::string(spec.layout.env_pad(), 'x')};
  const ProgramRun r = run_program({exe, "__measure", spec_to_json(spec, strategy).dump()}, timeout_s, env);
  Isolated out;
  if (interrupted()) {
    out.error = "interrupted";
  } else if (r.timed_out) {
    out.timed_out = true;
    out.error = watchdog_message(timeout_s);
  } else if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0 && !r.out.empty()) {
    out.ok = true;
    out.payload = r.out;
  } else {
    const std::string why = program_failure(r, "the run's process", "measuring " + strategy, timeout_s);
    out.error = why.empty() ? "the run's process printed nothing" : why;
  }
  return out;
}

// How the runs drew their layouts, for the manifest: enough to draw each one again.
nlohmann::json layout_manifest(const Config& cfg, const RunOptions& opt) {
  if (!cfg.layout_randomized) return {{"mode", "fixed"}, {"note", "every run forked from this process, inheriting its layout"}};
  const bool exec = (cfg.layout_factors & kLayoutExec) && !opt.measure_exe.empty();
  return {{"mode", "randomized"},
          {"factors", layout_factor_names(cfg.layout_factors)},
          {"exec", exec},
          {"runs_per_layout", cfg.runs_per_layout},
          {"layout_seed", cfg.layout_seed},
          {"seed", "layout_seed = stream_seed(layout_seed, \"<point label>/layout/<layout_group>\") | 1; each offset = "
                   "stream_seed(layout_seed, <factor and worker>) drawn below 4096 (harness/layout.cpp)"}};
}

// Runs of a point in one group share a layout draw: runs_per_layout consecutive rounds.
// Warm-up runs share one of their own.
int layout_group_of(const Config& cfg, int rep, bool warm) { return warm ? -1 : (rep - 1) / cfg.runs_per_layout; }

// The run's spec: the point, the plan's tasks, and the layout its group drew.
RunSpec spec_for(const Plan& plan, const Config& cfg, Topology& topo, const Point& p, int rep, bool warm) {
  RunSpec spec;
  spec.workload = plan.workload;
  spec.workload.name = p.workload;
  spec.seeds = plan.seeds;
  spec.workers = p.workers;
  spec.pin = cfg.pin;
  spec.immortal = p.immortal;
  spec.deferred = p.deferred;
  spec.gil = GilParams{p.gil_mode.empty() ? "new" : p.gil_mode, p.switch_interval_us ? p.switch_interval_us : kDefaultSwitchIntervalUs,
                       cfg.check_interval};
  spec.lock_kind = p.lock_kind.empty() ? "mutex" : p.lock_kind;
  spec.timeline = cfg.timeline && rep == 1 && !warm;
  spec.topo = &topo;
  if (cfg.layout_randomized)
    spec.layout = draw_layout(static_cast<uint64_t>(cfg.layout_seed), p.label(), layout_group_of(cfg, rep, warm), cfg.layout_factors);
  return spec;
}

// One isolated run of a point, its answers checked against the reference. measure_exe: the
// gillab binary, for runs in an exec'd process ("" where there is none: the tests' own runs).
Record run_once(const Plan& plan, const Config& cfg, Topology& topo, size_t index, int rep, bool warm,
                const std::string& measure_exe) {
  const Point& p = plan.points[index];
  const RunSpec spec = spec_for(plan, cfg, topo, p, rep, warm);
  // A CPython run has its own watchdog at timeout_s (its process group killed, one line); the
  // isolating child's is a little later, so the inner one speaks first.
  const bool cpython = p.implementation == "cpython";
  Isolated iso;
  if (!cpython && spec.layout.has(kLayoutExec) && !measure_exe.empty()) {
    iso = run_exec(measure_exe, spec, p.strategy->name, cfg.timeout_s);
  } else {
    iso = run_isolated(
        [&] {
          RunResult r;
          with_stack_pad(spec.layout.main_stack_pad(), [&] {
            r = cpython ? run_cpython(spec, plan.pythons[static_cast<size_t>(p.python)].path, p.cpython_mode, cfg.timeout_s)
                        : p.strategy->run(spec);
          });
          return to_json(r).dump();
        },
        cpython ? cfg.timeout_s + 5 : cfg.timeout_s);
  }
  if (iso.program_failed) throw ProgramError(iso.error);  // the config stops: nothing is written
  Record rec{index, rep, {}, iso.ok};
  // A CPython run is a fresh process whatever the layout: no group of its own to share.
  rec.layout_group = cpython || !spec.layout.seed ? -1 : layout_group_of(cfg, rep, warm);
  rec.layout_seed = cpython ? 0 : spec.layout.seed;
  if (iso.ok) rec.result = run_result_from_json(parse_json(iso.payload, "the run's process", "a run's result"));
  else rec.result.error = iso.error;
  RunResult& r = rec.result;
  for (int pu : r.bound_pus) {
    const Topology::Place at = topo.place_of(pu);
    r.bound_packages.push_back(at.package);
    r.bound_numa.push_back(at.numa);
  }
  const std::vector<int64_t>& reference = plan.reference.at(p.workload);
  if (r.ok && r.answers != reference) {
    r.ok = false;
    for (size_t t = 0; t < reference.size(); ++t)
      if (t >= r.answers.size() || r.answers[t] != reference[t]) {
        r.error = "wrong answer: task " + std::to_string(t) + " gave " +
                  (t < r.answers.size() ? std::to_string(r.answers[t]) : "nothing") + ", expected " +
                  std::to_string(reference[t]);
        break;
      }
  }
  return rec;
}

}  // namespace

namespace {

// The machine to plan for: this one, or a synthetic one on paper (--topology, --dry-run only).
std::unique_ptr<Topology> topology_for(const RunOptions& opt) {
  if (!opt.topology.empty() && !opt.dry_run)
    throw ConfigError("--topology '" + opt.topology + "': a synthetic machine can only be planned; add --dry-run");
  try {
    return std::make_unique<Topology>(opt.topology);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("--topology: ") + e.what());
  }
}

// The config's Pythons, probed, when it runs CPython at all; a Python that cannot run is bad
// input. None when the globs match nothing: the plan then has the model's points alone.
std::vector<PythonBuild> pythons_of(const Config& cfg) {
  if (std::count(cfg.implementations.begin(), cfg.implementations.end(), "cpython") == 0) return {};
  try {
    std::vector<PythonBuild> found = probe_pythons(cfg.pythons, cfg.timeout_s);
    if (found.empty())
      std::fprintf(stderr, "gillab: %s: no Python matches; CPython is not measured (`make cpython` builds one)\n",
                   cfg.where("python").c_str());
    return found;
  } catch (const std::exception& e) {  // a ProgramError's one line, placed at the key
    throw ConfigError(cfg.where("python") + ": " + e.what());
  }
}

// The machine's folder name; a bad GILLAB_MACHINE is bad input.
std::string this_machine(const Topology& topo) {
  try {
    return machine_name(topo);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(e.what());
  }
}

}  // namespace

namespace {

// An A/A interval that excludes 1 is a bias to explain: said on stderr as soon as it is known.
void warn_on_aa(const std::string& summary_path, const std::string& config) {
  ResultSet rs;
  rs.add(config, CsvFile::read(summary_path));
  for (const AaPair& p : rs.aa_pairs(config))
    if (p.ratio.low > 1 || p.ratio.high < 1)
      std::fprintf(stderr, "gillab: warning: A/A %s: %s (%s) against serial is %s, whose interval excludes 1\n", config.c_str(),
                   p.route.c_str(), p.workload.c_str(), show(p.ratio, "%.3f").c_str());
}

// Which points the claims read, which the rounds past the minimum serve first.
void print_claim_points(const std::vector<bool>& claim, const Config& cfg, const std::string& why_none) {
  const auto n = std::count(claim.begin(), claim.end(), true);
  if (!why_none.empty()) {
    std::fprintf(stderr, "gillab: warning: config '%s': the claims' points cannot be found (%s); every point gets rounds alike\n",
                 cfg.name.c_str(), why_none.c_str());
    return;
  }
  if (n == 0) {
    std::printf("claims: none reads config '%s'; every point gets rounds alike\n", cfg.name.c_str());
    return;
  }
  std::printf("claims: %td of %zu points are read by claims; past round %d they get rounds first, the forecast follows that round\n", n,
              claim.size(), cfg.repetitions);
}

}  // namespace

int measure_main(const std::string& spec_json) {
  try {
    std::string strategy;
    RunSpec spec = spec_from_json(nlohmann::json::parse(spec_json), strategy);
    const Strategy* s = find_strategy(strategy);
    if (!s) throw std::invalid_argument("no strategy '" + strategy + "'");
    Topology topo;
    spec.topo = &topo;
    RunResult r;
    with_stack_pad(spec.layout.main_stack_pad(), [&] { r = s->run(spec); });
    std::fputs(to_json(r).dump().c_str(), stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gillab __measure: %s\n", e.what());
    return 3;
  }
}

double estimate_config_s(const Config& given, const RunOptions& opt) {
  std::unique_ptr<Topology> machine = topology_for(opt);
  const Config cfg = calibrate_run_length(resolve_workers(given, machine->cores())).cfg;
  const Plan plan = make_plan(cfg, pythons_of(cfg));
  return estimate(plan, cfg, machine->capacity(cfg.pin)).most_s;
}

namespace {

// The manifest's run-wide part: provenance, layout, builds, Pythons, and the machine's
// capacity, measured here, before the first round.
nlohmann::json run_manifest(const Plan& plan, const Config& cfg, Topology& topo, const RunOptions& opt, int capacity_workers) {
  nlohmann::json manifest = manifest_json(cfg, *plan.experiment, topo);
  manifest["layout"] = layout_manifest(cfg, opt);
  if (!opt.measure_builds.empty()) {
    manifest["builds"] = nlohmann::json::array({opt.measure_exe == "/proc/self/exe" ? "this gillab" : opt.measure_exe});
    for (const std::string& b : opt.measure_builds) manifest["builds"].push_back(b);
  }
  const Capacity cap = measure_capacity(topo, cfg.pin, capacity_workers);
  manifest["capacity"] = {{"workers", cap.workers}, {"speedup", cap.speedup}, {"t1_s", cap.t1_s}, {"tn_s", cap.tn_s},
                          {"repetitions", cap.repetitions},
                          {"kernel", "native integer mixing, no memory traffic; N pinned threads each do the work of one"}};
  if (!opt.quiet)
    std::fprintf(stderr, "gillab: machine capacity: %.2f of %d %s (native kernel, weak scaling)\n", cap.speedup,
                 cap.workers, cfg.pin == PinMode::Pus ? "PUs" : "cores");
  if (!plan.pythons.empty()) {
    manifest["python"] = plan.pythons.front().probe;  // the first, where readers looked before
    manifest["pythons"] = nlohmann::json::array();
    for (const PythonBuild& b : plan.pythons)
      manifest["pythons"].push_back({{"path", b.path}, {"label", b.label}, {"probe", b.probe}});
  }
  return manifest;
}

struct Executed {
  RoundsOutcome outcome;
  double elapsed_s = 0;
};

// Every round of every point, with progress on stderr.
Executed execute_rounds(const Plan& plan, const Config& cfg, Topology& topo, const RunOptions& opt,
                        const TimeEstimate& est, const Priority& priority) {
  Progress progress(static_cast<int>(plan.points.size()) * (cfg.warmup + cfg.repetitions), est.least_s, opt.quiet);
  progress.set_suite(opt.suite_label, opt.suite_after_s);
  auto on_round = [&](int round, size_t runs) {
    progress.set_label(round <= 0 ? "warm-up" : "round " + std::to_string(round));
    if (round > cfg.repetitions) progress.extend(static_cast<int>(runs), est.round_s * static_cast<double>(runs) / static_cast<double>(plan.points.size()));
  };
  auto once = [&](size_t p, int rep, bool warm, Record& out) {
    auto t0 = std::chrono::steady_clock::now();
    const double canary = out.canary_s;
    // Round r is measured by build r mod K (warm-up rounds, 0 and below, by build 0).
    const size_t b = rep > 0 ? static_cast<size_t>(rep - 1) % (1 + opt.measure_builds.size()) : 0;
    out = run_once(plan, cfg, topo, p, rep, warm, b == 0 ? opt.measure_exe : opt.measure_builds[b - 1]);
    if (!opt.measure_builds.empty() && plan.points[p].implementation == "gillab") out.build = static_cast<int>(b);
    out.canary_s = canary;
    if (interrupted()) return false;
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const RunResult& r = out.result;
    progress.step(plan.points[p].label(), r.ok ? r.wall_s : took, est.per_point_s[p], r.ok ? "" : "FAILED: " + r.error);
    return true;
  };
  Executed e{run_rounds(plan, cfg, once, on_round, priority), 0};
  e.elapsed_s = progress.elapsed_s();
  return e;
}

}  // namespace

int run_config(const Config& given, const RunOptions& opt) {
  for (const std::string& b : opt.measure_builds)
    if (access(b.c_str(), X_OK) != 0) throw ConfigError("--build-with: '" + b + "' is not an executable gillab build");
  std::unique_ptr<Topology> machine = topology_for(opt);
  Topology& topo = *machine;
  const RunLength sized = calibrate_run_length(resolve_workers(given, topo.cores()));
  const Config& cfg = sized.cfg;
  if (!sized.line.empty() && (!opt.quiet || opt.dry_run)) std::fprintf(stderr, "gillab: %s\n", sized.line.c_str());
  // Everything the config names must exist before anything runs or is written.
  const Plan plan = make_plan(cfg, pythons_of(cfg));
  Priority priority;
  std::string why_no_points;
  priority.claim = claim_points(plan, cfg, &why_no_points);
  if (opt.dry_run) {  // a plan touches no folder (and a synthetic machine names none)
    print_plan(plan, cfg, topo, estimate(plan, cfg, topo.capacity(cfg.pin)), true);
    print_claim_points(priority.claim, cfg, why_no_points);
    return 0;
  }
  const OutputPaths paths = output_paths(cfg, opt.out_dir, this_machine(topo));
  recover_commits(std::filesystem::path(paths.csv).parent_path().string());

  install_interrupt_handlers();  // before the slow set-up, so Ctrl-C is never the default kill
  const int capacity_workers = topo.capacity(cfg.pin);
  const TimeEstimate est = estimate(plan, cfg, capacity_workers);
  if (!opt.quiet) {
    print_plan(plan, cfg, topo, est, false);
    print_claim_points(priority.claim, cfg, why_no_points);
    priority.after_pilot = [&](const std::vector<Record>& records, int more_rounds) {
      for (const std::string& line : precision_forecast(plan, cfg, records, cfg.repetitions, more_rounds))
        std::fprintf(stderr, "gillab: forecast: %s\n", line.c_str());
    };
  }
  nlohmann::json manifest = run_manifest(plan, cfg, topo, opt, capacity_workers);
  if (!sized.record.is_null()) manifest["calibration"] = sized.record;
  manifest["load_before"] = load_average();
  Executed done = execute_rounds(plan, cfg, topo, opt, est, priority);
  if (done.outcome.interrupted) {
    std::fprintf(stderr, "gillab: interrupted: nothing written, earlier results left as they were\n");
    return 130;
  }
  manifest["load_after"] = load_average();
  manifest["estimated_s"] = {est.least_s, est.most_s};
  manifest["elapsed_s"] = done.elapsed_s;
  const int failures = write_results(paths, WriteInput{cfg, plan, done.outcome, capacity_workers, std::move(manifest)}, opt.quiet);
  warn_on_aa(summary_path_for(paths.csv), cfg.name);
  return failures ? 1 : 0;
}

}  // namespace gillab
