// experiments/cpython/pow.py, run by the machine's python3, finds the same nonces as gillab.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "workloads.hpp"

using namespace gillab;

TEST(CPython, PowPyGivesTheSameAnswersAsTheInterpreter) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 on this machine";
  const std::vector<int64_t> seeds{0, 1, 42, 123456789, 2147483647};
  for (int difficulty : {3, 8}) {
    std::string seed_list;
    for (int64_t s : seeds) {
      if (!seed_list.empty()) seed_list += ',';
      seed_list += std::to_string(s);
    }
    std::string cmd = std::string("python3 ") + GILLAB_SOURCE_DIR + "/experiments/cpython/pow.py --seeds " +
                      seed_list + " --difficulty " + std::to_string(difficulty) + " --blocks 6";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ASSERT_EQ(pclose(p), 0) << out;
    auto j = nlohmann::json::parse(out);
    auto answers = j["answers"].get<std::vector<int64_t>>();
    ASSERT_EQ(answers.size(), seeds.size());
    for (size_t i = 0; i < seeds.size(); ++i)
      EXPECT_EQ(answers[i], pow_task_native(seeds[i], difficulty, 6)) << "seed " << seeds[i];
  }
}
