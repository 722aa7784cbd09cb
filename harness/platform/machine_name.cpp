#include "machine_name.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace gillab {

std::string slug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string cpu_family_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, family, model;
  auto value = [](const std::string& l) {
    const size_t colon = l.find(':');
    return colon == std::string::npos ? std::string() : slug(l.substr(colon + 1));
  };
  while (std::getline(in, line) && (family.empty() || model.empty())) {
    if (line.rfind("cpu family", 0) == 0) family = value(line);
    else if (line.rfind("model", 0) == 0 && line.rfind("model name", 0) != 0) model = value(line);
  }
  return family.empty() || model.empty() ? "" : "f" + family + "m" + model;
}

std::string machine_name(const Topology& topo) {
  if (const char* given = std::getenv("GILLAB_MACHINE"); given && *given) {
    if (slug(given) != given)
      throw std::invalid_argument(std::string("GILLAB_MACHINE='") + given + "': expected a name of lower-case letters, digits and '-' (such as '" + slug(given) + "')");
    return given;
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string name = slug(topo.cpu_model());
  if (name.empty()) name = "cpu";
  if (const std::string fm = cpu_family_model(); !fm.empty()) name.append("-").append(fm);
  name.append("-").append(std::to_string(topo.cores())).append("c");
  if (const std::string h = slug(host); !h.empty()) name.append("-").append(h);
  return name;
}

}  // namespace gillab
