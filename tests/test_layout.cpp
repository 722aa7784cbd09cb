// Layout drawn per run (layout.hpp): offsets within a page in cache-line steps, a pure function
// of the run's seed and factor, none where a factor is off; runs measured in an exec'd process;
// the CSV names each run's layout, and the same seeds draw the same layouts again.
#include <gtest/gtest.h>

#include <set>

#include "layout.hpp"
#include "run_result.hpp"
#include "test_support.hpp"

using namespace gillab;
using gillab::test::TempDir;

TEST(Layout, OffsetsArePageBoundedLineStepsDrawnPerFactor) {
  std::set<size_t> arenas;
  for (int g = 0; g < 64; ++g) {
    const Layout l = draw_layout(1, "serial pow workers=1", g, kAllLayoutFactors);
    EXPECT_LT(l.arena_offset(), 4096u);
    EXPECT_EQ(l.arena_offset() % 64, 0u);
    EXPECT_EQ(l.thread_stack_pad(1) % 64, 0u);
    EXPECT_LT(l.env_pad(), 4096u);
    arenas.insert(l.arena_offset());
    EXPECT_EQ(l.arena_offset(), draw_layout(1, "serial pow workers=1", g, kAllLayoutFactors).arena_offset());  // a pure function
  }
  EXPECT_GT(arenas.size(), 20u) << "64 draws over 64 line offsets";
  const Layout arena_only = draw_layout(1, "p", 0, kLayoutArena);
  EXPECT_EQ(arena_only.env_pad(), 0u);
  EXPECT_EQ(arena_only.main_stack_pad(), 0u);
  EXPECT_FALSE(arena_only.has(kLayoutExec));
  EXPECT_EQ(draw_layout(1, "p", 0, 0).seed, 0u) << "no factor: fixed";
  EXPECT_EQ(parse_layout_factors({"exec", "stacks"}), kLayoutExec | kLayoutStacks);
  EXPECT_EQ(layout_factor_names(kAllLayoutFactors), "exec,env,arena,stacks");
  EXPECT_THROW(parse_layout_factors({"heap"}), std::invalid_argument);
}

// The exec'd measuring process runs one spec and prints its result.
TEST(Layout, TheMeasuringProcessRunsASpec) {
  RunSpec s;
  s.workload = WorkloadParams{"pow", 4, 4};
  s.seeds = {1, 2};
  s.pin = PinMode::None;
  s.layout = draw_layout(3, "serial", 0, kAllLayoutFactors);
  auto p = gillab::test::run_gillab({"__measure", spec_to_json(s, "serial").dump()});
  ASSERT_EQ(p.status, 0) << p.err;
  const RunResult r = run_result_from_json(nlohmann::json::parse(p.out));
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.answers.size(), 2u);
  EXPECT_EQ(r.task_s.size(), 2u);
  std::string strategy;
  EXPECT_EQ(spec_from_json(spec_to_json(s, "serial"), strategy).layout.seed, s.layout.seed);
}

TEST(Layout, EachRunNamesItsLayoutAndTheSameSeedsDrawItAgain) {
  TempDir d;
  const std::string cfg = "experiment: speedup\ntasks: 2\nworkers: 1\nstrategies: serial\nrepetitions: 3\nmax_repetitions: 3\n"
                          "warmup: 0\ndifficulty: 4\nblocks: 4\naa: false\n";
  d.write("l.yaml", cfg);
  auto seeds_of = [&](const std::vector<std::string>& sets) {
    std::vector<std::string> args{"run", d.file("l.yaml"), "--out", d.file("out"), "--quiet"};
    for (const std::string& s : sets) args.insert(args.end(), {"--set", s});
    auto p = gillab::test::run_gillab(args);
    EXPECT_EQ(p.status, 0) << p.err;
    std::vector<std::string> seeds;
    for (auto& r : gillab::test::read_csv(d.file("out/l.csv"))) seeds.push_back(r["layout_seed"] + "/" + r["layout_group"]);
    return seeds;
  };
  const auto a = seeds_of({}), again = seeds_of({}), other = seeds_of({"layout_seed=7"}), fixed = seeds_of({"layout=fixed"});
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a, again);
  EXPECT_NE(a, other);
  EXPECT_EQ(std::set<std::string>(a.begin(), a.end()).size(), 3u) << "one layout a run (runs_per_layout: 1)";
  EXPECT_EQ(fixed, (std::vector<std::string>{"/", "/", "/"}));
  const auto shared = seeds_of({"runs_per_layout=3"});
  EXPECT_EQ(std::set<std::string>(shared.begin(), shared.end()).size(), 1u) << "three rounds, one layout";
  auto m = nlohmann::json::parse(gillab::test::slurp(d.file("out/l.json")));
  EXPECT_EQ(m["layout"]["mode"], "randomized");
  EXPECT_EQ(m["layout"]["exec"], true);
}

// Several builds measure (make experiments' aligned builds): round r by build r mod K, each pair
// within one build, and the manifest names them; a build that is not there is bad input.
TEST(Layout, RoundsCycleOverTheBuildsThatMeasure) {
  TempDir d;
  d.write("b.yaml", "experiment: speedup\ntasks: 2\nworkers: 2\nstrategies: serial, gil\nrepetitions: 4\nmax_repetitions: 4\n"
                    "warmup: 0\ndifficulty: 4\nblocks: 4\naa: false\n");
  auto p = gillab::test::run_gillab({"run", d.file("b.yaml"), "--out", d.file("out"), "--quiet", "--build-with", GILLAB_BIN});
  ASSERT_EQ(p.status, 0) << p.err;
  for (auto& r : gillab::test::read_csv(d.file("out/b.csv")))
    EXPECT_EQ(r["build"], std::to_string((std::stoi(r["rep"]) - 1) % 2)) << "round " << r["rep"];
  auto m = nlohmann::json::parse(gillab::test::slurp(d.file("out/b.json")));
  EXPECT_EQ(m["builds"].size(), 2u);
  // The second build really measures: a wrapper that leaves a mark, then is gillab. Without the
  // exec'd measuring process its rounds would run in a fork of the first and leave none.
  d.write("other-build", "#!/bin/sh\necho \"$1\" >> '" + d.file("measured") + "'\nexec " + std::string(GILLAB_BIN) + " \"$@\"\n");
  std::filesystem::permissions(d.file("other-build"), std::filesystem::perms::owner_all);
  auto wrapped = gillab::test::run_gillab({"run", d.file("b.yaml"), "--out", d.file("w"), "--quiet", "--build-with", d.file("other-build")});
  ASSERT_EQ(wrapped.status, 0) << wrapped.err;
  // Rounds 2 and 4 of two points (serial, gil at 2 workers), each run its own __measure.
  EXPECT_EQ(gillab::test::slurp(d.file("measured")), "__measure\n__measure\n__measure\n__measure\n");
  auto bad = gillab::test::run_gillab({"run", d.file("b.yaml"), "--out", d.file("bad"), "--build-with", "/no/such/gillab"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--build-with: '/no/such/gillab' is not an executable gillab build"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(d.file("bad/b.csv")));
}
