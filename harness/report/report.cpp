// REPORT.md: provenance (every manifest's commit, checked against HEAD), the registered claims
// with intervals and verdicts, the A/A pairs, the precision, the warnings the summaries raised,
// then every section the experiments registered (report_section.hpp), then the figures make plots
// rendered. This file names no claim, config, strategy or workload.
#include "report.hpp"

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "atomic_file.hpp"
#include "claim.hpp"
#include "claim_figures.hpp"
#include "csv_reader.hpp"
#include "csv_writer.hpp"
#include "build_info.hpp"
#include "manifest_reader.hpp"
#include "program.hpp"
#include "report_section.hpp"
#include "summary.hpp"

namespace gillab {

namespace fs = std::filesystem;

namespace {

bool is_raw_results(const fs::path& p) {
  const std::string n = p.filename().string();
  if (p.extension() != ".csv") return false;
  for (const char* prefix : {"summary-", "timeline-", "cas-hist-", "claims"})
    if (n.rfind(prefix, 0) == 0) return false;
  return true;
}

}  // namespace

// Every raw CSV's summary, derived again in memory (nothing is rewritten: `gillab summarize`
// writes summaries), and its manifest; a broken file stops the load before anything is used.
LoadedResults load_results(const std::string& dir) {
  LoadedResults l;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir + ": no such results folder");
  recover_commits(dir);  // a set that a kill left half-renamed is finished first
  std::vector<fs::path> csvs;
  for (auto& e : fs::directory_iterator(dir))
    if (is_raw_results(e.path())) csvs.push_back(e.path());
  std::sort(csvs.begin(), csvs.end());
  for (const fs::path& csv : csvs) {
    const std::string config = csv.stem().string();
    l.results.add(config, CsvFile::parse(summary_of(csv.string()), summary_path_for(csv.string())));
    const fs::path json = fs::path(csv).replace_extension(".json");
    if (fs::exists(json, ec)) l.manifests[config] = read_manifest_file(json.string());
  }
  return l;
}

namespace {

std::string fmt(const char* f, double v) { return fmt_number(f, v); }

// Whether what measures (interpreter, harness, experiments, configs, the build) differs
// between `commit` and HEAD. Results, figures and their scripts, tests, CI and prose aside: a
// commit of results, or of a test, after the run changes nothing that was measured. "" when
// git cannot tell (no checkout, an unknown commit); a git that hangs is an InputError.
std::string sources_differ(const std::string& commit) {
  const double limit = git_limit_s();
  const char* doing = "comparing the results' commit with HEAD";
  const ProgramRun r = run_program({"git", "-C", build_info().source_dir, "diff", "--stat", commit, "HEAD", "--", ".",
                                    ":(exclude)results", ":(exclude)plots", ":(exclude)tests", ":(exclude).ci", ":(exclude)*.md"},
                                   limit);
  if (r.timed_out || (r.started && WIFSIGNALED(r.status))) throw ProgramError(program_failure(r, "git", doing, limit));
  if (!r.started || !WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) return "";  // git cannot tell
  std::string out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  const size_t nl = out.rfind('\n');
  const std::string last = nl == std::string::npos ? out : out.substr(nl + 1);
  // diff --stat ends with " 3 files changed, 10 insertions(+)"; nothing when they agree.
  if (!last.empty() && last.find(" changed") == std::string::npos)
    throw ProgramError("'git' (" + std::string(doing) + ") printed '" + last.substr(0, 80) +
                       "', expected diff --stat's 'N files changed' line");
  return last;
}

std::string machine_line(const nlohmann::json& m) {
  const auto& mc = m["machine"];
  std::string s = mc.value("cpu_model", "?") + ", " + std::to_string(mc.value("cores", 0)) + " cores / " +
                  std::to_string(mc.value("pus", 0)) + " PUs, " + mc.value("kernel", "?") + ", host `" +
                  mc.value("host", "?") + "`";
  if (mc.contains("virtualization")) s += ", " + mc["virtualization"].get<std::string>();
  return s;
}

// Which commits, builds and machines the results come from; warnings where they disagree.
std::string provenance(const LoadedResults& l) {
  std::ostringstream out;
  std::map<std::string, std::vector<std::string>> by_commit, by_machine;
  const nlohmann::json* first = nullptr;
  for (auto& [config, m] : l.manifests) {
    if (!first) first = &m;
    std::string c = m["gillab"].value("git_commit", "unknown");
    if (m["gillab"].value("dirty", false)) c += "+dirty";
    by_commit[c].push_back(config);
    by_machine[machine_line(m)].push_back(config);
  }
  if (!first) return "- no manifest found\n";
  auto list = [](const std::vector<std::string>& v) {
    std::string s;
    for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  for (auto& [mach, cfgs] : by_machine) out << "- machine: " << mach << " (" << list(cfgs) << ")\n";
  const auto& b = (*first)["build"];
  out << "- build: " << b.value("compiler", "?") << ", " << b.value("build_type", "?") << ", `" << b.value("flags", "?") << "`\n";
  for (auto& [c, cfgs] : by_commit) out << "- commit `" << c << "`: " << list(cfgs) << "\n";
  std::vector<std::string> warnings;
  if (by_commit.size() > 1) warnings.push_back("the results come from " + std::to_string(by_commit.size()) + " commits");
  if (by_machine.size() > 1) warnings.push_back("the results come from " + std::to_string(by_machine.size()) + " machines");
  for (auto& [c, cfgs] : by_commit) {
    if (c.find("+dirty") != std::string::npos) warnings.push_back("`" + c + "` was a build with uncommitted changes");
    else if (std::string d = sources_differ(c); !d.empty())
      warnings.push_back("`" + c.substr(0, 12) + "` is not HEAD's source (" + d + ")");
  }
  for (auto& w : warnings) out << "- **warning**: " << w << "\n";
  return out.str();
}

}  // namespace

namespace {

// A verdict that the A/A noise floor turned inconclusive says so, naming the floors.
void note_noise_floor(const Claim& c, const ResultSet& rs, const ClaimOutcome& without, ClaimOutcome& o) {
  if (without.verdict == o.verdict) return;
  std::string floors;
  for (const std::string& cfg : c.reads)
    if (rs.noise_floor(cfg) > 0)
      floors += (floors.empty() ? "" : ", ") + std::string("`") + cfg + "` " + fmt("+-%.1f%%", rs.noise_floor(cfg) * 100);
  o.measured += "; " + std::string(verdict_name(without.verdict)) + " by the intervals alone, " + verdict_name(o.verdict) +
                " once they carry the A/A noise floor (" + floors + ")";
}

// Whether any config a claim reads has rows of free-threaded CPython with its GIL off: only
// CPython's rows fill `gil_enabled` (the model's are blank), so a 0 there is such a row.
bool has_free_threaded_rows(const ResultSet& rs, const std::vector<std::string>& configs) {
  for (const std::string& cfg : configs) {
    const CsvFile* t = rs.table(cfg);
    for (size_t i = 0; t && t->has("gil_enabled") && i < t->size(); ++i)
      if (t->at(i, "gil_enabled") == "0") return true;
  }
  return false;
}

}  // namespace

std::vector<ClaimRow> evaluate_claims(const ResultSet& rs) {
  std::vector<ClaimRow> rows;
  ResultSet bare = rs;
  bare.apply_noise_floors(false);
  for (const Claim& c : claims()) {
    bool have = !c.reads.empty();
    for (auto& cfg : c.reads) have = have && rs.has(cfg);
    ClaimOutcome o;
    std::set<ResultSet::Read> reads;
    if (!have) o.measured = "not measured: no results for `" + c.reads.front() + "`";
    else {
      try {
        (void)rs.take_reads();
        o = c.evaluate(rs);
        reads = rs.take_reads();
        note_noise_floor(c, rs, c.evaluate(bare), o);
        // A claim on free-threaded CPython without such a build (CI has none) is not measured,
        // whichever way the model's half points: that half is printed, not judged.
        if (c.needs_free_threaded_cpython && !has_free_threaded_rows(rs, c.reads)) o.verdict = Verdict::NotMeasured;
      } catch (const LookupError& e) {
        throw LookupError("claim " + c.id + ": " + e.what());
      }
    }
    rows.push_back({&c, o, std::move(reads)});
  }
  return rows;
}

namespace {

std::string claims_table(const std::vector<ClaimRow>& rows) {
  std::ostringstream out;
  out << "| claim | measured, median [95% interval] | published anchor | verdict |\n|---|---|---|---|\n";
  for (const ClaimRow& r : rows)
    out << "| " << r.claim->id << ": " << r.claim->text << " | " << r.outcome.measured << " | " << r.claim->anchor << " | "
        << verdict_name(r.outcome.verdict) << " |\n";
  return out.str();
}

std::string rules(const std::vector<ClaimRow>& rows) {
  std::ostringstream out;
  out << "\nVerdict rules: a claim *holds* when the whole 95% interval is on the claim's side of its threshold, "
         "*does not hold* when the whole interval is on the other side, and is *inconclusive* when the interval "
         "straddles it (or a point ran once: no interval).\n\n";
  for (const ClaimRow& r : rows) out << "- " << r.claim->id << ": " << r.claim->rule << ".\n";
  return out.str();
}

// Every summary row that raised a warning.
std::string warnings_section(const ResultSet& rs, const std::map<std::string, nlohmann::json>& manifests) {
  std::ostringstream out;
  int n = 0;
  for (auto& [config, m] : manifests) {
    const CsvFile* t = rs.table(config);
    if (!t || !t->has("warnings")) continue;
    for (size_t r = 0; r < t->size(); ++r) {
      if (t->at(r, "warnings").empty()) continue;
      std::string point;
      for (const std::string& k : summary_key_columns())
        if (t->has(k) && !t->at(r, k).empty() && k != "experiment") point += (point.empty() ? "" : " ") + k + "=" + t->at(r, k);
      out << "- `" << config << "` " << point << ": " << t->at(r, "warnings") << "\n";
      ++n;
    }
  }
  if (n == 0) return "None: every point within its CV, fences, length and capacity limits.\n";
  return std::to_string(n) + " point(s) raised a warning (CV of 10% or more; outliers by Tukey's fences, kept; runs under "
         "50 ms; 5 runs or fewer, too few for a 95% interval of a median; rounds in which the canary ran 10% slow; an interval wider than its target; a speedup above the "
         "machine's measured capacity). Each claim's interval above already carries the noise they describe.\n\n"
         "<details><summary>Every point with a warning</summary>\n\n" + out.str() + "\n</details>\n";
}

std::string capacity_line(const std::map<std::string, nlohmann::json>& manifests) {
  std::string s;
  for (auto& [config, m] : manifests)
    if (m.contains("capacity"))
      s += (s.empty() ? "" : ", ") + config + " " + fmt("%.2f", m["capacity"].value("speedup", NAN));
  if (s.empty()) return "";
  return "- machine capacity (native kernel on every core at once, N x t1 / tN, measured before each config): " + s + "\n";
}

// LaTeX's specials escaped; `code` set in \texttt; the em dash as ---.
std::string latex(const std::string& text) {
  std::string out;
  bool code = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (text.compare(i, 3, "\xe2\x80\x94") == 0) {  // the em dash
      out += "---";
      i += 2;
    } else if (c == '`') {
      out += code ? "}" : "\\texttt{";
      code = !code;
    } else if (std::string("&%$#_{}").find(c) != std::string::npos) {
      out += std::string("\\") + c;
    } else if (c == '~') {
      out += "\\textasciitilde{}";
    } else if (c == '^') {
      out += "\\textasciicircum{}";
    } else if (c == '\\') {
      out += "\\textbackslash{}";
    } else {
      out += c;
    }
  }
  return code ? out + "}" : out;
}

// claims.tex: a booktabs table to \input in a paper (needs \usepackage{booktabs,tabularx}).
std::string claims_tex(const std::vector<ClaimRow>& rows, const std::string& machine) {
  std::ostringstream out;
  out << "% Written by `gillab report` from the results beside it; regenerate, do not edit.\n"
      << "% Needs \\usepackage{booktabs,tabularx}. Measured on " << latex(machine) << ".\n"
      << "\\begin{tabularx}{\\linewidth}{@{}lXXl@{}}\n\\toprule\n"
      << "& Claim & Measured: median [95\\% interval] & Verdict \\\\\n\\midrule\n";
  for (const ClaimRow& r : rows)
    out << r.claim->id << " & " << latex(r.claim->text) << " & " << latex(r.outcome.measured) << " & "
        << verdict_name(r.outcome.verdict) << " \\\\\n";
  out << "\\bottomrule\n\\end{tabularx}\n";
  return out.str();
}

std::string claims_csv(const std::vector<ClaimRow>& rows, const std::string& machine) {
  CsvTable t({"id", "claim", "measured", "anchor", "verdict", "rule", "machine"});
  for (const ClaimRow& r : rows)
    t.add_row().set("id", r.claim->id).set("claim", r.claim->text).set("measured", r.outcome.measured)
        .set("anchor", r.claim->anchor).set("verdict", verdict_name(r.outcome.verdict)).set("rule", r.claim->rule)
        .set("machine", machine);
  return t.str();
}

std::string machine_of(const LoadedResults& l) {
  for (auto& [c, m] : l.manifests)
    return m["machine"].value("cpu_model", "?") + " (" + std::to_string(m["machine"].value("cores", 0)) + " cores, " +
           m["machine"].value("virtualization", "?") + ")";
  return "no machine";
}

}  // namespace

std::string readme_claims_table(const std::vector<ClaimRow>& rows, const std::string& machine) {
  return "Measured on " + machine + " (`make experiments && make readme`; this table is written by `gillab report --readme`).\n\n" +
         claims_table(rows);
}


namespace {

// The A/A intervals that exclude 1: found a bias to explain.
std::vector<std::string> aa_alarms(const ResultSet& rs, const std::map<std::string, nlohmann::json>& manifests) {
  std::vector<std::string> out;
  for (const auto& [config, m] : manifests)
    for (const AaPair& p : rs.aa_pairs(config))
      if (p.ratio.low > 1 || p.ratio.high < 1)
        out.push_back("A/A `" + config + "`: " + p.route + " (" + p.workload + ") against serial is " + show(p.ratio, "%.3f") +
                      ", whose interval excludes 1");
  return out;
}

// Per config: each null ratio with its interval, and the floor its claims' intervals carry.
std::string aa_section(const ResultSet& rs, const std::map<std::string, nlohmann::json>& manifests) {
  std::ostringstream out;
  out << "\n## A/A: the same code by two routes\n\nEach config measures serial against itself and against the "
         "routes that run serial's machine code at one worker (gil, processes, interpreters). Their ratios are 1 "
         "unless the suite has a bias to explain. A config's noise floor is the largest distance of an A/A median "
         "from 1; every ratio interval a claim reads from that config is widened by it, so an effect inside the "
         "floor decides nothing.\n\n| config | route | ratio to serial, median [95% interval] | noise floor |\n|---|---|---|---|\n";
  for (const auto& [config, m] : manifests) {
    const std::vector<AaPair> pairs = rs.aa_pairs(config);
    for (size_t i = 0; i < pairs.size(); ++i)
      out << "| " << (i ? "" : config) << " | " << pairs[i].route << " (" << pairs[i].workload << ") | "
          << show(pairs[i].ratio, "%.3f") << (pairs[i].ratio.low > 1 || pairs[i].ratio.high < 1 ? " **excludes 1**" : "")
          << " | " << (i ? "" : fmt("+-%.1f%%", rs.noise_floor(config) * 100)) << " |\n";
  }
  return out.str();
}

// Each claim's figures alone, so one claim's many wide figures do not hide the others'.
std::string by_claim_precision(const ResultSet& rs, const std::vector<ClaimRow>& rows) {
  std::string out;
  for (const ClaimRow& r : rows) {
    std::map<ResultSet::Read, ClaimIds> mine;
    for (const ResultSet::Read& read : r.reads) mine[read].push_back(r.claim->id);
    const FigurePrecision p = figure_precision(rs, mine);
    if (p.figures == 0) continue;
    out += (out.empty() ? "" : ", ") + r.claim->id + " " + fmt("%.1f%%", p.median * 100) + " (" + std::to_string(p.figures) + ")";
  }
  return out;
}

// How precise the claim figures came out, and how many A/A intervals exclude 1, beside the
// targets the suite holds itself to (issue 18: median half-width 3%, none above 10%; at most
// 5% of A/A intervals excluding 1, none by more than 3%).
std::string precision_section(const ResultSet& rs, const std::map<std::string, nlohmann::json>& manifests,
                              const std::vector<ClaimRow>& rows) {
  std::ostringstream out;
  out << "\n## Precision\n\n";
  std::map<ResultSet::Read, ClaimIds> figures;  // as claim_figures() finds them, from the rows' reads
  for (const ClaimRow& r : rows)
    for (const ResultSet::Read& read : r.reads) figures[read].push_back(r.claim->id);
  const FigurePrecision p = figure_precision(rs, figures);
  if (p.figures == 0) {
    out << "No claim figure has an interval yet.\n";
  } else {
    const ResultSet::Read& w = p.widest_at;
    out << "- Claim figures: " << p.figures << " with intervals (noise floors included); median half-width "
        << fmt("%.1f%%", p.median * 100) << " (target 3%); " << p.above_10pct << " above 10% (target none), the widest " << fmt("%.1f%%", p.widest * 100) << ": "
        << join_ids(figures.at(w)) << ", `" << w.config << "` " << point_words(row_key(*rs.table(w.config), w.row)) << " " << w.metric << ".\n";
    out << "- By claim (median half-width, figures): " << by_claim_precision(rs, rows) << ".\n";
  }
  int pairs = 0, excluding = 0;
  double farthest = 0;
  for (const auto& [config, m] : manifests)
    for (const AaPair& a : rs.aa_pairs(config)) {
      if (!std::isfinite(a.ratio.low) || !std::isfinite(a.ratio.high)) continue;
      ++pairs;
      const double off = a.ratio.low > 1 ? a.ratio.low - 1 : a.ratio.high < 1 ? 1 - a.ratio.high : 0;
      excluding += off > 0;
      farthest = std::max(farthest, off);
    }
  if (pairs)
    out << "- A/A intervals: " << excluding << " of " << pairs << " exclude 1 (target: at most 5%)"
        << (excluding ? fmt(", the farthest by %.1f%% (target 3%%)", farthest * 100) : std::string()) << ".\n";
  return out.str();
}

}  // namespace

namespace {

// Every figure make plots rendered for this machine, by name (fig1-... first): no list of them here.
std::string figures_section(const std::string& dir, const std::string& figures_dir) {
  std::vector<fs::path> pngs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(figures_dir, ec))
    if (e.path().extension() == ".png") pngs.push_back(e.path());
  std::sort(pngs.begin(), pngs.end());
  std::ostringstream out;
  for (const fs::path& png : pngs)
    out << "### " << png.stem().string() << "\n\n![" << png.stem().string() << "](" << fs::relative(png, dir).string() << ")\n\n";
  if (pngs.empty()) out << "No figures yet: run `make plots`.\n";
  return out.str();
}

}  // namespace

std::string build_report(const LoadedResults& l, const std::vector<ClaimRow>& rows, const std::string& dir,
                         const std::string& figures_dir) {
  const ResultSet& rs = l.results;
  std::ostringstream out;
  out << "# gillab report\n\nEvery figure below comes from the CSVs in this directory (one row per run; medians "
         "over the rounds with 95% percentile-bootstrap intervals, from the `summary-*.csv` files that `gillab "
         "summarize` derives). Ratios are paired: each run against the matched serial run of its own round. "
         "Regenerate with `make experiments && make plots && make report`.\n\n## Provenance\n\n"
      << provenance(l);
  for (const std::string& a : aa_alarms(rs, l.manifests)) {
    out << "- **warning**: " << a << "\n";
    std::fprintf(stderr, "gillab report: warning: %s\n", a.c_str());
  }
  out << capacity_line(l.manifests) << "\n## The claims\n\n" << claims_table(rows) << rules(rows)
      << aa_section(rs, l.manifests) << precision_section(rs, l.manifests, rows) << "\n## Warnings\n\n" << warnings_section(rs, l.manifests);
  const ReportInput in{rs, l.manifests};
  for (const ReportSection& section : report_sections()) out << section.render(in);

  out << "\n## Figures\n\n" << figures_section(dir, figures_dir);
  return out.str();
}

std::string write_report(const std::string& dir, const std::string& figures_dir, const std::string& readme) {
  const LoadedResults l = load_results(dir);
  const std::vector<ClaimRow> rows = evaluate_claims(l.results);
  const std::string text = build_report(l, rows, dir, figures_dir);
  const std::string machine = machine_of(l);
  std::string path = (fs::path(dir) / "REPORT.md").string();
  AtomicWriter w;  // the report, the claims for papers and the README's table: one set
  w.stage(path, text);
  w.stage((fs::path(dir) / "claims.csv").string(), claims_csv(rows, machine));
  w.stage((fs::path(dir) / "claims.tex").string(), claims_tex(rows, machine));
  if (!readme.empty()) w.stage(readme, replace_between_markers(read_text(readme), readme_claims_table(rows, machine), readme));
  w.commit();
  return path;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replace_between_markers(const std::string& text, const std::string& inner, const std::string& name) {
  const std::string begin = "<!-- gillab report: claims begin -->", end = "<!-- gillab report: claims end -->";
  const size_t b = text.find(begin), e = text.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b)
    throw std::runtime_error(name + ": no '" + begin + "' ... '" + end + "' markers to write the claims between");
  return text.substr(0, b + begin.size()) + "\n" + inner + text.substr(e);
}

}  // namespace gillab
