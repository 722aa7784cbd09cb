// Pinning planned on paper (hwloc synthetic topologies): distinct physical cores before SMT
// siblings, packages and NUMA nodes filled in the documented order; `workers: auto`; the
// machine's name that its results folder carries.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "config.hpp"
#include "machine_name.hpp"
#include "results_writer.hpp"
#include "test_support.hpp"
#include "topology.hpp"

using namespace gillab;

TEST(Topology, TwoSocketSmtPinsEveryCoreBeforeAnySibling) {
  Topology t("package:2 core:16 pu:2");
  ASSERT_TRUE(t.synthetic());
  EXPECT_EQ(t.packages(), 2);
  EXPECT_EQ(t.cores(), 32);
  EXPECT_EQ(t.pus(), 64);
  std::set<int> cores;
  for (int w = 0; w < 32; ++w) {  // pin: pus, the first 32 workers: 32 distinct cores, in order
    const Topology::Place at = t.place_of(t.pu_for(w, PinMode::Pus));
    EXPECT_EQ(at.core, w);
    EXPECT_EQ(at.package, w / 16) << "package 0 is filled before package 1";
    cores.insert(at.core);
  }
  EXPECT_EQ(cores.size(), 32u);
  for (int w = 32; w < 64; ++w) {  // then each core's sibling, in the same core order
    const int pu = t.pu_for(w, PinMode::Pus);
    EXPECT_EQ(t.place_of(pu).core, w - 32);
    EXPECT_NE(pu, t.pu_for(w - 32, PinMode::Pus)) << "a sibling, not the same PU";
  }
  for (int w = 0; w < 32; ++w) EXPECT_EQ(t.pu_for(w, PinMode::Cores), t.pu_for(w, PinMode::Pus));
  EXPECT_EQ(t.pu_for(32, PinMode::Cores), t.pu_for(0, PinMode::Cores)) << "pin: cores wraps round";
  EXPECT_EQ(t.pu_for(0, PinMode::None), -1);
}

TEST(Topology, NumaNodesFillInOrderWithinEachPackage) {
  Topology t("package:2 numa:2 core:4 pu:1");
  EXPECT_EQ(t.numa_nodes(), 4);
  for (int w = 0; w < 16; ++w) {
    const Topology::Place at = t.place_of(t.pu_for(w, PinMode::Cores));
    EXPECT_EQ(at.numa, w / 4) << w;
    EXPECT_EQ(at.package, w / 8) << w;
  }
}

TEST(Topology, ASyntheticMachineIsNeverBoundTo) {
  Topology t("package:1 core:2 pu:1");
  EXPECT_EQ(t.bind_thread(0, PinMode::Cores), -1);
  EXPECT_NE(t.error().find("synthetic"), std::string::npos);
  EXPECT_THROW(Topology("package:2 core:x"), std::invalid_argument);
}

TEST(Topology, ThisMachinePlacesEveryCore) {
  Topology t;
  ASSERT_GE(t.cores(), 1);
  for (int w = 0; w < t.cores(); ++w) {
    const Topology::Place at = t.place_of(t.pu_for(w, PinMode::Cores));
    EXPECT_GE(at.package, 0);
    EXPECT_GE(at.numa, 0);
  }
}

// Every run's measuring process loads a topology: hwloc's I/O and XML plugins (and the
// libraries they pull in) stay unloaded, or each run's start pays for them.
TEST(Topology, LoadsNoneOfHwlocsIoOrXmlPlugins) {
  if (std::system("ls /usr/lib/*/hwloc/hwloc_pci.so >/dev/null 2>&1") != 0) GTEST_SKIP() << "no hwloc plugins installed";
  Topology t;
  ASSERT_GE(t.cores(), 1);
  const std::string maps = test::slurp("/proc/self/maps");
  for (const char* plugin : {"hwloc_pci", "hwloc_opencl", "hwloc_gl", "hwloc_xml_libxml", "libxml2", "libX11"})
    EXPECT_EQ(maps.find(plugin), std::string::npos) << plugin << " is mapped";
}

TEST(Workers, AutoDoublesUpToTheCoresThenTwiceTheCoresOnce) {
  EXPECT_EQ(auto_workers(1), (std::vector<int>{1, 2}));
  EXPECT_EQ(auto_workers(2), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(auto_workers(6), (std::vector<int>{1, 2, 4, 6, 12}));
  EXPECT_EQ(auto_workers(16), (std::vector<int>{1, 2, 4, 8, 16, 32}));
  Config c = parse_config("workers: auto\n", "x.yaml", {});
  EXPECT_TRUE(c.workers_auto);
  EXPECT_EQ(resolve_workers(c, 16).workers, auto_workers(16));
  Config fixed = parse_config("workers: [3]\n", "x.yaml", {});
  EXPECT_EQ(resolve_workers(fixed, 16).workers, (std::vector<int>{3}));
}

TEST(Workers, DryRunOnASyntheticMachinePrintsItsPinning) {
  const auto folders = [] {
    std::set<std::string> names;
    for (auto& e : std::filesystem::directory_iterator(std::string(GILLAB_SOURCE_DIR) + "/results")) names.insert(e.path().filename());
    return names;
  };
  const std::set<std::string> before = folders();
  auto p = test::run_gillab({"run", "configs/speedup.yaml", "--dry-run", "--set", "workers=auto", "--set", "pin=pus",
                             "--topology", "package:2 core:16 pu:2"});
  ASSERT_EQ(p.status, 0) << p.err;
  EXPECT_NE(p.out.find("2 packages, 1 NUMA nodes, 32 cores, 64 PUs"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("workers=64"), std::string::npos) << "auto: twice the cores once";
  EXPECT_EQ(p.out.find("workers=128"), std::string::npos);
  EXPECT_EQ(folders(), before) << "a plan creates no results folder";
  auto real = test::run_gillab({"run", "configs/speedup.yaml", "--topology", "package:2 core:16 pu:2"});
  EXPECT_EQ(real.status, 2);
  EXPECT_NE(real.err.find("add --dry-run"), std::string::npos) << real.err;
  auto bad = test::run_gillab({"run", "configs/speedup.yaml", "--dry-run", "--topology", "package:2 core:x"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("not an hwloc synthetic description"), std::string::npos) << bad.err;
}

TEST(MachineName, StableSlugOfModelFamilyCoresAndHost) {
  EXPECT_EQ(slug("AMD EPYC 7B13 64-Core Processor"), "amd-epyc-7b13-64-core-processor");
  EXPECT_EQ(slug("  Intel(R) Xeon(R) "), "intel-r-xeon-r");
  Topology t;
  unsetenv("GILLAB_MACHINE");
  const std::string name = machine_name(t);
  EXPECT_EQ(name, machine_name(t)) << "stable";
  EXPECT_EQ(slug(name), name);
  EXPECT_NE(name.find("-" + std::to_string(t.cores()) + "c"), std::string::npos) << name;
  if (const std::string fm = cpu_family_model(); !fm.empty()) {
    EXPECT_NE(name.find(fm), std::string::npos) << name;
  }
  setenv("GILLAB_MACHINE", "lab-box-1", 1);
  EXPECT_EQ(machine_name(t), "lab-box-1");
  setenv("GILLAB_MACHINE", "Lab Box", 1);
  EXPECT_THROW(machine_name(t), std::invalid_argument);
  unsetenv("GILLAB_MACHINE");
}

TEST(MachineName, EachMachinesResultsGoToTheirOwnFolder) {
  Config c = parse_config("tasks: 2\n", "configs/gil.yaml", {});
  test::TempDir d;
  const std::string cwd = std::filesystem::current_path();
  std::filesystem::current_path(d.path);
  const OutputPaths a = output_paths(c, "", "machine-a"), b = output_paths(c, "", "machine-b");
  std::filesystem::current_path(cwd);
  EXPECT_EQ(a.csv, "results/machine-a/gil.csv");
  EXPECT_EQ(b.csv, "results/machine-b/gil.csv");
  EXPECT_EQ(a.json, "results/machine-a/gil.json");
}
