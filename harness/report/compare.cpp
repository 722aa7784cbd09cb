#include "compare.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "atomic_file.hpp"
#include "csv_writer.hpp"
#include "report.hpp"
#include "report_section.hpp"

namespace gillab {

namespace fs = std::filesystem;

namespace {

struct Item {
  std::string kind, name, unit;
  Estimate value;
  std::string verdict;  // claims only
};

struct Machine {
  std::string folder, name, cpu, commit;
  int cores = 0;
  std::vector<Item> items;
};

// One machine's items: the experiments' registered figures, then every claim's verdict.
Machine plan_machine(const fs::path& folder) {
  const LoadedResults l = load_results(folder.string());
  Machine m;
  m.folder = folder.filename().string();
  m.name = m.folder;
  for (const auto& [config, j] : l.manifests) {
    m.cpu = j["machine"].value("cpu_model", "");
    m.cores = j["machine"].value("cores", 0);
    m.commit = j["gillab"].value("git_commit", "");
    break;
  }
  const ResultSet& rs = l.results;
  for (const CompareGroup& g : compare_groups())
    for (const CompareItem& it : g.items(rs)) m.items.push_back({it.kind, it.name, it.unit, it.value, ""});
  for (const ClaimRow& c : evaluate_claims(rs)) m.items.push_back({"claim", c.claim->id, "", {}, verdict_name(c.outcome.verdict)});
  return m;
}

std::string csv_of(const std::vector<Machine>& machines) {
  CsvTable t({"machine", "machine_index", "cpu_model", "cores", "commit", "kind", "item", "item_index", "unit",
              "median", "ci_low", "ci_high", "verdict"});
  for (size_t mi = 0; mi < machines.size(); ++mi) {
    const Machine& m = machines[mi];
    std::map<std::string, int> index_in_kind;
    for (const Item& it : m.items) {
      auto& row = t.add_row();
      row.set("machine", m.name).set("machine_index", static_cast<long long>(mi)).set("cpu_model", m.cpu)
          .set("cores", static_cast<long long>(m.cores)).set("commit", m.commit).set("kind", it.kind).set("item", it.name)
          .set("item_index", static_cast<long long>(index_in_kind[it.kind]++)).set("unit", it.unit).set("verdict", it.verdict);
      // Blank, not zero, where a machine did not measure it.
      if (std::isfinite(it.value.estimate)) row.set("median", it.value.estimate, 4);
      if (std::isfinite(it.value.low)) row.set("ci_low", it.value.low, 4).set("ci_high", it.value.high, 4);
    }
  }
  return t.str();
}

std::string markdown_of(const std::vector<Machine>& machines) {
  std::ostringstream out;
  out << "# gillab on every machine\n\nWritten by `gillab compare` from each `results/<machine>/` folder; regenerate, do "
         "not edit. Each machine's numbers come from its own runs (its `REPORT.md` has the provenance); compare "
         "ratios, never absolute times across machines.\n\n| | ";
  for (const Machine& m : machines) out << m.name << " | ";
  out << "\n|---|";
  for (size_t i = 0; i < machines.size(); ++i) out << "---|";
  out << "\n| CPU | ";
  for (const Machine& m : machines) out << m.cpu << " (" << m.cores << " cores) | ";
  out << "\n| commit | ";
  for (const Machine& m : machines) out << "`" << m.commit.substr(0, 12) << "` | ";
  out << "\n";
  for (size_t i = 0; i < machines.front().items.size(); ++i) {
    const Item& first = machines.front().items[i];
    out << "| " << (first.kind == "claim" ? first.name : first.kind + ": " + first.name + (first.unit.empty() ? "" : " (" + first.unit + ")")) << " | ";
    for (const Machine& m : machines) {
      const Item& it = m.items[i];
      out << (it.kind == "claim" ? it.verdict : show(it.value, "%.3g")) << " | ";
    }
    out << "\n";
  }
  out << "\n";
  for (const CompareGroup& g : compare_groups()) out << g.note << " ";
  out << "Figure: `plots/out/machines.png` (`make plots`).\n";
  return out.str();
}

}  // namespace

std::string write_comparison(const std::string& root, const std::string& out_dir) {
  std::vector<fs::path> folders;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(root, ec))
    if (e.is_directory() && fs::exists(e.path() / "micro.csv", ec)) folders.push_back(e.path());
    else if (e.is_directory())
      for (auto& f : fs::directory_iterator(e.path(), ec))
        if (f.path().extension() == ".json") {
          folders.push_back(e.path());
          break;
        }
  if (ec) throw std::runtime_error("cannot read " + root + ": " + ec.message());
  if (folders.empty()) throw std::runtime_error(root + ": no machine's results (results/<machine>/ folders); run `make experiments`");
  std::sort(folders.begin(), folders.end());
  std::vector<Machine> machines;
  for (const fs::path& f : folders) machines.push_back(plan_machine(f));
  const fs::path out = out_dir.empty() ? fs::path(root) : fs::path(out_dir);
  fs::create_directories(out);
  AtomicWriter w;
  const std::string csv = (out / "machines.csv").string(), md = (out / "MACHINES.md").string();
  w.stage(csv, csv_of(machines));
  w.stage(md, markdown_of(machines));
  w.commit();
  return csv + " and " + md;
}

}  // namespace gillab
