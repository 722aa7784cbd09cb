#pragma once
// JSON that gillab reads back (manifests, a Python's answers, Google Benchmark output) may be
// truncated, garbage or of the wrong shape. Every such fault is an InputError of one line:
// the file (or program) and the line and column where known, and what was expected; the JSON
// library's own text never reaches the user unwrapped.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "input_error.hpp"

namespace gillab {

// `expected` names the document: "a gillab manifest", "Google Benchmark JSON".
nlohmann::json parse_json(const std::string& text, const std::string& name, const std::string& expected);
nlohmann::json read_json_file(const std::string& path, const std::string& expected);

enum class JsonKind { Object, Array, String, Number, Integer, Boolean };

// One field a reader relies on: a dotted path ("machine.cores") and its kind. An optional
// field may be absent (or null), never of another kind.
struct JsonField {
  const char* path;
  JsonKind kind;
  bool required = true;
};

// Throws InputError "name: key 'machine.cores': expected an integer, got a string" for the
// first field that is missing or of another kind.
void check_json_shape(const nlohmann::json& j, const std::vector<JsonField>& fields, const std::string& name);

}  // namespace gillab
