// gillab: the command line.
#include <boost/program_options.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "compare.hpp"
#include "config.hpp"
#include "driver.hpp"
#include "experiment.hpp"
#include "build_info.hpp"
#include "machine_name.hpp"
#include "micro_results.hpp"
#include "program.hpp"
#include "report.hpp"
#include "reproduce.hpp"
#include "summary.hpp"
#include "strategy.hpp"
#include "workload_files.hpp"

namespace po = boost::program_options;
using namespace gillab;

namespace {

constexpr int kBadInput = 2;

const char* kUsage =
    "usage:\n"
    "  gillab run CONFIG... [--set key=value]... [--out DIR] [--quiet] [--dry-run [--topology DESC]]   (several: a suite)\n"
    "  gillab list [--disassemble WORKLOAD]\n"
    "  gillab summarize RESULTS.csv...   (writes summary-RESULTS.csv beside each)\n"
    "  gillab report [RESULTS_DIR] [--figures DIR] [--readme README.md]   (writes RESULTS_DIR/REPORT.md; default results/<machine>)\n"
    "  gillab compare [RESULTS_ROOT] [--out DIR]   (every machine side by side: MACHINES.md, machines.csv in DIR, default ROOT)\n"
    "  gillab machine   (this machine's name: its results go to results/<machine>/)\n"
    "  gillab reproduce A B   (two invocations' results: does each claim figure of B lie in A's interval?)\n"
    "  gillab code-layout DIR...   (the same configs by builds that place code differently: how far each ratio moves)\n"
    "  gillab micro GBENCH.json [--out DIR]   (Google Benchmark JSON -> DIR/micro.csv, default results/<machine>)\n"
    "  gillab --help | --version\n";

// The limits every outside program runs under (program.hpp), for --help.
std::string watchdog_help() {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "\nwatchdogs (each kills the whole process group, says which program ran past what, exits 2, writes nothing):\n"
                "  a run of the model or of CPython   timeout_s (a model run past it is recorded as failed; a CPython run stops the config)\n"
                "  a Python's probe (--probe)          timeout_s or %.0f s, whichever is less\n"
                "  git (the report's provenance)       %.0f s (GILLAB_GIT_LIMIT_S overrides)\n",
                kProbeLimitS, kGitLimitS);
  return buf;
}

// The workloads: each file with its docstring's first line (or why it does not compile).
void list_workloads() {
  std::printf("\nworkloads (%s/*.py; a config may also name a .py path):\n", workloads_dir().c_str());
  const std::vector<WorkloadFile> files = workload_files();
  int width = 0;
  for (const WorkloadFile& f : files) width = std::max(width, static_cast<int>(f.name.size()));
  for (const WorkloadFile& f : files) {
    std::string doc;
    try {
      doc = workload_program(f.name).doc;
      doc = doc.substr(0, doc.find('\n'));
    } catch (const InputError& e) {
      doc = std::string("(does not compile: ") + e.what() + ")";
    }
    std::printf("  %-*s  %s\n  %-*s  %s\n", width, f.name.c_str(), doc.c_str(), width, "", f.path.c_str());
  }
}

int list(const std::string& disassemble_workload) {
  if (!disassemble_workload.empty()) {
    try {
      const Program& p = workload_program(disassemble_workload);
      std::printf("%s (%s)\n\n%s", disassemble_workload.c_str(), workload_path(disassemble_workload).c_str(),
                  gillab::disassemble(p).c_str());
      return 0;
    } catch (const InputError& e) {
      std::fprintf(stderr, "gillab list: %s\n", e.what());
      return kBadInput;
    }
  }
  std::printf("experiments:\n");
  for (const Experiment& e : experiments()) {
    std::string s;
    for (auto& x : e.strategies) s += (s.empty() ? "" : ", ") + x;
    std::printf("  %-16s %s\n  %-16s strategies: %s; workload: %s\n", e.name.c_str(), e.claim.c_str(), "", s.c_str(),
                e.workload.c_str());
  }
  std::printf("\nstrategies:\n");
  for (const Strategy& s : strategies()) std::printf("  %-16s %s\n", s.name.c_str(), s.description.c_str());
  list_workloads();
  return 0;
}

// results/<this machine>: where run, micro and report go unless told otherwise.
std::string this_results_dir() {
  Topology topo;
  return "results/" + machine_name(topo);
}

// One config, or several in a row (a suite): every config is read and checked before anything
// runs, and the progress line carries the whole suite's ETA. A failed run in one config does
// not stop the next; an interrupt stops them all.
int run_suite(const std::vector<std::string>& files, const std::vector<std::string>& sets, RunOptions ro) {
  std::vector<Config> cfgs;
  for (const std::string& f : files) cfgs.push_back(load_config(f, sets));
  if (cfgs.size() == 1) return run_config(cfgs[0], ro);
  std::vector<double> est;
  for (const Config& c : cfgs) est.push_back(estimate_config_s(c, ro));
  int rc = 0;
  for (size_t i = 0; i < cfgs.size(); ++i) {
    ro.suite_label = std::to_string(i + 1) + "/" + std::to_string(cfgs.size()) + " " + cfgs[i].name;
    ro.suite_after_s = 0;
    for (size_t j = i + 1; j < cfgs.size(); ++j) ro.suite_after_s += est[j];
    if (!ro.quiet || ro.dry_run) std::fprintf(stderr, "== %s\n", cfgs[i].path.c_str());
    int r = 0;
    try {
      r = run_config(cfgs[i], ro);
    } catch (const ProgramError& e) {  // this config wrote nothing; the next may use other programs
      std::fprintf(stderr, "gillab: %s: %s\n", cfgs[i].path.c_str(), escape_bytes(e.what()).c_str());
      r = kBadInput;
    }
    if (r == 130) return r;
    rc = std::max(rc, r);
  }
  return rc;
}

using Args = std::vector<std::string>;

// Each command: its arguments (the positional words after it) and the parsed options.
int cmd_code_layout(const po::variables_map&, const Args& files) {
  if (files.size() < 2) {
    std::fprintf(stderr, "gillab code-layout: give two or more results folders (one per build)\n%s", kUsage);
    return kBadInput;
  }
  std::fputs(code_layout_report(files).c_str(), stdout);
  return 0;
}

int cmd_reproduce(const po::variables_map&, const Args& files) {
  if (files.size() != 2) {
    std::fprintf(stderr, "gillab reproduce: give two results folders (two invocations of the same configs)\n%s", kUsage);
    return kBadInput;
  }
  std::fputs(reproduce_report(files[0], files[1]).c_str(), stdout);
  return 0;
}

int cmd_micro(const po::variables_map& vm, const Args& files) {
  if (files.size() != 1) {
    std::fprintf(stderr, "gillab micro: give one Google Benchmark JSON file\n%s", kUsage);
    return kBadInput;
  }
  std::printf("wrote %s\n", convert_micro(files[0], vm.count("out") ? vm["out"].as<std::string>() : this_results_dir()).c_str());
  return 0;
}

int cmd_compare(const po::variables_map& vm, const Args& files) {
  const std::string out = vm.count("out") ? vm["out"].as<std::string>() : "";
  std::printf("wrote %s\n", write_comparison(files.empty() ? "results" : files[0], out).c_str());
  return 0;
}

int cmd_report(const po::variables_map& vm, const Args& files) {
  const std::string dir = files.empty() ? this_results_dir() : files[0];
  const std::string readme = vm.count("readme") ? vm["readme"].as<std::string>() : "";
  std::printf("wrote %s%s%s\n", write_report(dir, vm["figures"].as<std::string>(), readme).c_str(),
              readme.empty() ? "" : " and the claims table in ", readme.c_str());
  return 0;
}

int cmd_summarize(const po::variables_map&, const Args& files) {
  if (files.empty()) {
    std::fprintf(stderr, "gillab summarize: no CSV given\n%s", kUsage);
    return kBadInput;
  }
  for (const std::string& f : files) std::printf("wrote %s\n", write_summary(f).c_str());
  return 0;
}

int cmd_machine(const po::variables_map&, const Args&) {  // the folder this machine's results go to
  Topology topo;
  std::printf("%s\n", machine_name(topo).c_str());
  return 0;
}

int cmd_list(const po::variables_map& vm, const Args&) {
  return list(vm.count("disassemble") ? vm["disassemble"].as<std::string>() : "");
}

int cmd_measure(const po::variables_map&, const Args& a) {  // the exec'd measuring process of a run (driver.cpp)
  return a.size() == 1 ? measure_main(a[0]) : kBadInput;
}

int cmd_run(const po::variables_map& vm, const Args& files) {
  if (files.empty()) {
    std::fprintf(stderr, "gillab run: no CONFIG given\n%s", kUsage);
    return kBadInput;
  }
  RunOptions ro;
  if (vm.count("out")) ro.out_dir = vm["out"].as<std::string>();
  ro.quiet = vm.count("quiet") > 0;
  ro.measure_exe = "/proc/self/exe";
  if (vm.count("build-with")) ro.measure_builds = vm["build-with"].as<std::vector<std::string>>();
  ro.dry_run = vm.count("dry-run") > 0;
  if (vm.count("topology")) ro.topology = vm["topology"].as<std::string>();
  const Args sets = vm.count("set") ? vm["set"].as<Args>() : Args{};
  try {
    return run_suite(files, sets, ro);
  } catch (const InputError& e) {  // a config, a file or an outside program: bad input
    std::fprintf(stderr, "gillab: %s\n", escape_bytes(e.what()).c_str());
    return kBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gillab: error: %s\n", escape_bytes(e.what()).c_str());
    return 1;
  }
}

// `guarded`: any error is the command's one line and exit 2 (results and files it reads are
// input); run and list say their own.
struct Command {
  const char* name;
  int (*run)(const po::variables_map&, const Args&);
  bool guarded;
};
const Command kCommands[] = {
    {"run", cmd_run, false},          {"list", cmd_list, false},         {"__measure", cmd_measure, false},
    {"machine", cmd_machine, true},   {"summarize", cmd_summarize, true}, {"report", cmd_report, true},
    {"micro", cmd_micro, true},       {"compare", cmd_compare, true},    {"reproduce", cmd_reproduce, true},
    {"code-layout", cmd_code_layout, true},
};

po::options_description visible_options() {
  po::options_description opts("options");
  opts.add_options()
      ("help,h", "this help, with every config key")
      ("version", "print the version and git commit")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a config key: --set workers=1,2 (of several --set of one key, the last wins)")
      ("out", po::value<std::string>(), "with run: write results into this directory instead; with compare: write MACHINES.md and machines.csv there")
      ("quiet,q", "no progress or summary")
      ("dry-run", "print the runs, where each worker would be pinned, and the time estimate; run nothing")
      ("build-with", po::value<std::vector<std::string>>()->composing(), "with run: another gillab build to measure with (repeatable); round r uses build r mod K (make experiments BUILDS=aligned)")
      ("topology", po::value<std::string>(), "with run --dry-run: plan for an hwloc synthetic machine, e.g. \"package:2 core:16 pu:2\"")
      ("disassemble", po::value<std::string>(), "with list: print this workload's compiled bytecode (a stem in workloads/ or a .py path)")
      ("figures", po::value<std::string>()->default_value("plots/out"), "with report: where the figures are")
      ("readme", po::value<std::string>(), "with report: also write the claims table between the markers in this file");
  return opts;
}

}  // namespace

int main(int argc, char** argv) {
  const po::options_description opts = visible_options();
  po::options_description hidden;
  hidden.add_options()("command", po::value<std::string>())("config", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("command", 1).add("config", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "gillab: %s\n%s", e.what(), kUsage);
    return kBadInput;
  }
  if (vm.count("help")) {
    std::cout << "gillab: measures the GIL and its alternatives on one CPython-like interpreter\n\n"
              << kUsage << "\n" << opts << "\nconfig keys (YAML: `key: value` under these sections, or at the top level):\n"
              << config_help() << watchdog_help();
    return 0;
  }
  if (vm.count("version")) {
    std::printf("gillab %s (%s)\n", build_info().version.c_str(), git_commit().c_str());
    return 0;
  }
  const std::string cmd = vm.count("command") ? vm["command"].as<std::string>() : "";
  const Args files = vm.count("config") ? vm["config"].as<Args>() : Args{};
  for (const Command& c : kCommands) {
    if (cmd != c.name) continue;
    if (!c.guarded) return c.run(vm, files);
    try {
      return c.run(vm, files);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gillab %s: %s\n", c.name, escape_bytes(e.what()).c_str());
      return kBadInput;
    }
  }
  std::fprintf(stderr, "gillab: %s\n%s", cmd.empty() ? "no command given" : ("unknown command '" + cmd + "'").c_str(), kUsage);
  return kBadInput;
}
