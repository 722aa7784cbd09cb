#pragma once
// A fault in what gillab was given: a config, a file it reads (results, manifests, benchmark
// output), or an outside program that hangs, crashes or prints the wrong thing. The CLI prints
// its one line (file:line:column or the program, and what was expected) and exits 2, having
// written nothing.
#include <stdexcept>

namespace gillab {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace gillab
