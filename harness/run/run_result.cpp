#include "run_result.hpp"

#include "workload_files.hpp"

namespace gillab {

nlohmann::json to_json(const RunResult& r) {
  nlohmann::json tl = nlohmann::json::array();
  for (const Interval& iv : r.timeline)
    tl.push_back({static_cast<int>(iv.kind), iv.worker, iv.task, iv.cpu, iv.t0, iv.t1});
  return {{"ok", r.ok}, {"error", r.error}, {"wall_s", r.wall_s}, {"cpu_s", r.cpu_s}, {"startup_s", r.startup_s}, {"runtimes", r.runtimes},
          {"answers", r.answers}, {"task_s", r.task_s}, {"bytecodes", r.bytecodes}, {"refcount_ops", r.refcount_ops},
          {"lock_acquires", r.lock_acquires}, {"lock_contended", r.lock_contended}, {"container_contended", r.container_contended},
          {"cas_retries", r.cas_retries}, {"cas_retries_max", r.cas_retries_max},
          {"cas_ops_retried", r.cas_ops_retried}, {"cas_hist", r.cas_hist},
          {"biased_merges", r.biased_merges}, {"biased_queued", r.biased_queued},
          {"gil_switches", r.gil_switches}, {"gil_wait_s", r.gil_wait_s},
          {"gil_worker_acquires", r.gil_worker_acquires}, {"gil_worker_wait_s", r.gil_worker_wait_s},
          {"lost_updates", r.lost_updates}, {"premature_zero", r.premature_zero},
          {"bound_pus", r.bound_pus}, {"worker_cpus", r.worker_cpus}, {"timeline", tl}};
}

nlohmann::json spec_to_json(const RunSpec& s, const std::string& strategy) {
  return {{"strategy", strategy},
          {"workload", {{"name", s.workload.name}, {"difficulty", s.workload.difficulty}, {"blocks", s.workload.blocks}}},
          {"program", program_to_json(workload_program(s.workload.name))},  // the child need not compile it
          {"seeds", s.seeds}, {"workers", s.workers}, {"pin", pin_name(s.pin)}, {"immortal", s.immortal},
          {"deferred", s.deferred},
          {"gil", {{"mode", s.gil.mode}, {"switch_interval_us", s.gil.switch_interval_us}, {"check_interval", s.gil.check_interval}}},
          {"lock_kind", s.lock_kind}, {"timeline", s.timeline},
          {"layout", {{"seed", s.layout.seed}, {"factors", s.layout.factors}}}};
}

RunSpec spec_from_json(const nlohmann::json& j, std::string& strategy) {
  RunSpec s;
  strategy = j.at("strategy").get<std::string>();
  const auto& w = j.at("workload");
  s.workload = WorkloadParams{w.at("name").get<std::string>(), w.at("difficulty").get<int>(), w.at("blocks").get<int>()};
  remember_program(s.workload.name, program_from_json(j.at("program"), s.workload.name));
  j.at("seeds").get_to(s.seeds);
  j.at("workers").get_to(s.workers);
  const std::string pin = j.at("pin").get<std::string>();
  s.pin = pin == "cores" ? PinMode::Cores : pin == "pus" ? PinMode::Pus : PinMode::None;
  j.at("immortal").get_to(s.immortal);
  j.at("deferred").get_to(s.deferred);
  const auto& g = j.at("gil");
  s.gil = GilParams{g.at("mode").get<std::string>(), g.at("switch_interval_us").get<int>(), g.at("check_interval").get<int>()};
  j.at("lock_kind").get_to(s.lock_kind);
  j.at("timeline").get_to(s.timeline);
  s.layout.seed = j.at("layout").at("seed").get<uint64_t>();
  s.layout.factors = j.at("layout").at("factors").get<unsigned>();
  return s;
}

RunResult run_result_from_json(const nlohmann::json& j) {
  RunResult r;
  j.at("ok").get_to(r.ok);
  j.at("error").get_to(r.error);
  j.at("wall_s").get_to(r.wall_s);
  r.startup_s = j.value("startup_s", 0.0);
  r.runtimes = j.value("runtimes", 1);
  j.at("cpu_s").get_to(r.cpu_s);
  j.at("answers").get_to(r.answers);
  if (j.contains("task_s")) j.at("task_s").get_to(r.task_s);
  j.at("bytecodes").get_to(r.bytecodes);
  j.at("refcount_ops").get_to(r.refcount_ops);
  j.at("lock_acquires").get_to(r.lock_acquires);
  j.at("lock_contended").get_to(r.lock_contended);
  r.container_contended = j.value("container_contended", uint64_t{0});
  j.at("cas_retries").get_to(r.cas_retries);
  j.at("cas_retries_max").get_to(r.cas_retries_max);
  j.at("cas_ops_retried").get_to(r.cas_ops_retried);
  j.at("cas_hist").get_to(r.cas_hist);
  j.at("biased_merges").get_to(r.biased_merges);
  j.at("biased_queued").get_to(r.biased_queued);
  j.at("gil_switches").get_to(r.gil_switches);
  j.at("gil_wait_s").get_to(r.gil_wait_s);
  j.at("gil_worker_acquires").get_to(r.gil_worker_acquires);
  j.at("gil_worker_wait_s").get_to(r.gil_worker_wait_s);
  j.at("lost_updates").get_to(r.lost_updates);
  j.at("premature_zero").get_to(r.premature_zero);
  j.at("bound_pus").get_to(r.bound_pus);
  j.at("worker_cpus").get_to(r.worker_cpus);
  for (const auto& t : j.at("timeline"))
    r.timeline.push_back(Interval{static_cast<Interval::Kind>(t[0].get<int>()), t[1].get<int>(),
                                  t[2].get<int>(), t[3].get<int>(), t[4].get<double>(), t[5].get<double>()});
  return r;
}

}  // namespace gillab
