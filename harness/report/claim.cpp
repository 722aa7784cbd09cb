#include "claim.hpp"

#include <algorithm>
#include <cstdio>

#include "summary.hpp"

namespace gillab {

void ResultSet::add(const std::string& config, CsvFile summary) {
  tables_.insert_or_assign(config, std::move(summary));
  double floor = 0;
  for (const AaPair& p : aa_pairs(config))
    if (std::isfinite(p.ratio.estimate)) floor = std::max(floor, std::fabs(p.ratio.estimate - 1));
  floors_[config] = floor;
}

const CsvFile* ResultSet::table(const std::string& config) const {
  auto it = tables_.find(config);
  return it == tables_.end() ? nullptr : &it->second;
}

std::optional<size_t> ResultSet::row(const std::string& config, const Match& match) const {
  const CsvFile* t = table(config);
  if (!t) return std::nullopt;
  for (auto& [k, v] : match)
    if (!t->has(k)) return std::nullopt;
  std::vector<size_t> hits;
  // A/A points (role "aa") answer only a look-up that names them: a claim's {strategy: serial}
  // means the config's own serial point, not its second copy.
  const bool plain_only = t->has("role") && !match.count("role");
  for (size_t r = 0; r < t->size(); ++r)
    if ((!plain_only || t->at(r, "role").empty()) &&
        std::all_of(match.begin(), match.end(), [&](auto& kv) { return t->at(r, kv.first) == kv.second; }))
      hits.push_back(r);
  if (hits.size() <= 1) return hits.empty() ? std::nullopt : std::optional<size_t>(hits[0]);
  std::string named;
  for (auto& [k, v] : match) named += (named.empty() ? "" : ", ") + k + "=" + v;
  for (const std::string& c : summary_key_columns()) {
    if (!t->has(c)) continue;
    for (size_t h : hits)
      if (t->at(h, c) != t->at(hits[0], c))
        throw LookupError(config + ": " + std::to_string(hits.size()) + " points match {" + named + "}; they differ in '" +
                          c + "': name it");
  }
  throw LookupError(config + ": " + std::to_string(hits.size()) + " rows match {" + named + "}");
}

double ResultSet::value(const std::string& config, const Match& match, const std::string& column) const {
  auto r = row(config, match);
  const CsvFile* t = table(config);
  return r && t->has(column) ? t->number(*r, column) : NAN;
}

namespace {

Estimate estimate_at(const CsvFile& t, size_t r, const std::string& metric) {
  auto num = [&](const std::string& c) { return t.has(c) ? t.number(r, c) : NAN; };
  Estimate e;
  e.estimate = num(metric + "_median");
  e.low = num(metric + "_ci_low");
  e.high = num(metric + "_ci_high");
  const double n = num("runs_ok");
  e.n = std::isfinite(n) ? static_cast<int>(n) : 0;
  return e;
}

// An A/A row: the planner marked it (aa_pair; plan.cpp says which routes run serial's code).
bool is_aa_row(const CsvFile& t, size_t r) { return t.has("aa_pair") && t.at(r, "aa_pair") == "1"; }

}  // namespace

std::vector<AaPair> ResultSet::aa_pairs(const std::string& config) const {
  std::vector<AaPair> out;
  const CsvFile* t = table(config);
  if (!t || !t->has("strategy") || !t->has("speedup_median")) return out;
  for (size_t r = 0; r < t->size(); ++r)
    if (is_aa_row(*t, r))
      out.push_back({t->at(r, "strategy") + (t->at(r, "strategy") == "serial" ? " again" : ""),
                     t->has("workload") ? t->at(r, "workload") : "", estimate_at(*t, r, "speedup")});
  return out;
}

double ResultSet::noise_floor(const std::string& config) const {
  auto it = floors_.find(config);
  return it == floors_.end() ? 0 : it->second;
}

Estimate ResultSet::get(const std::string& config, const Match& match, const std::string& metric) const {
  auto r = row(config, match);
  if (!r) return {};
  Estimate e = estimate_at(*table(config), *r, metric);
  reads_.insert({config, *r, metric});
  const bool ratio = metric == "speedup" || metric == "scaling" || metric == "efficiency" || metric == "efficiency_vs_capacity";
  if (floors_on_ && ratio) {
    const double f = noise_floor(config);
    e.low /= 1 + f;
    e.high *= 1 + f;
  }
  return e;
}

namespace {
std::vector<Claim>& registry() {
  static std::vector<Claim> all;
  return all;
}
}  // namespace

bool register_claim(Claim c) {
  auto& all = registry();
  for (const Claim& x : all)
    if (x.id == c.id) throw std::logic_error("claim registered twice: " + c.id);
  // Natural order: C2 before C10, and the essay's C-claims before the A-claims that follow.
  auto key = [](const Claim& k) { return std::make_pair(k.id[0] == 'C' ? 0 : 1, std::atoi(k.id.c_str() + 1)); };
  all.insert(std::upper_bound(all.begin(), all.end(), c, [&](const Claim& a, const Claim& b) { return key(a) < key(b); }), c);
  return true;
}

const std::vector<Claim>& claims() { return registry(); }

namespace {
std::string format(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
}  // namespace

std::string show(const Estimate& e, const char* f) {
  if (!std::isfinite(e.estimate)) return "n/a";
  if (!std::isfinite(e.low) || !std::isfinite(e.high))
    return format(f, e.estimate) + " (" + std::to_string(e.n) + (e.n == 1 ? " run" : " runs") + ": no interval)";
  return format(f, e.estimate) + " [" + format(f, e.low) + ", " + format(f, e.high) + "]";
}

std::string show_percent(const Estimate& ratio) {
  Estimate p = ratio;
  p.estimate = (ratio.estimate - 1) * 100;
  p.low = (ratio.low - 1) * 100;
  p.high = (ratio.high - 1) * 100;
  std::string s = show(p, "%+.0f%%");
  return s;
}

}  // namespace gillab
