// CTest's fixture (tests/CMakeLists.txt): makes the shared results folders afresh, once per
// ctest run, before the tests that read them.
#include <iostream>

#include "shared_results.hpp"

int main() {
  for (const gillab::test::SharedResults& r : {gillab::test::smoke_recipe(), gillab::test::tiny_suite_recipe()}) {
    std::string error;
    if (gillab::test::shared_results(r, true, &error).empty()) {
      std::cerr << r.name << ": " << error << "\n";
      return 1;
    }
    std::cout << r.name << ": " << r.runs.size() << " runs\n";
  }
  return 0;
}
