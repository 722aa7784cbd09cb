#include "json_input.hpp"

#include <fstream>
#include <sstream>

namespace gillab {

namespace {

// "path:line:column" for a byte offset into text (nlohmann counts bytes from 1).
std::string position(const std::string& text, size_t byte, const std::string& name) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return name + ":" + std::to_string(line) + ":" + std::to_string(col);
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 15: syntax error
// while parsing value - unexpected end of input; expected ..." reduced to "unexpected end of
// input".
std::string reason(const std::string& what) {
  std::string s = what;
  if (size_t dash = s.find(" - "); dash != std::string::npos) s = s.substr(dash + 3);
  if (size_t semi = s.find(';'); semi != std::string::npos) s = s.substr(0, semi);
  return s;
}

const char* kind_name(JsonKind k) {
  switch (k) {
    case JsonKind::Object: return "an object";
    case JsonKind::Array: return "a list";
    case JsonKind::String: return "a string";
    case JsonKind::Number: return "a number";
    case JsonKind::Integer: return "an integer";
    case JsonKind::Boolean: return "true or false";
  }
  return "?";
}

const char* found_name(const nlohmann::json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "a list";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "an integer";
  if (v.is_number()) return "a number";
  return "null";
}

bool is_kind(const nlohmann::json& v, JsonKind k) {
  switch (k) {
    case JsonKind::Object: return v.is_object();
    case JsonKind::Array: return v.is_array();
    case JsonKind::String: return v.is_string();
    case JsonKind::Number: return v.is_number() || v.is_null();  // null: a NaN that JSON cannot spell
    case JsonKind::Integer: return v.is_number_integer() || v.is_number_unsigned();
    case JsonKind::Boolean: return v.is_boolean();
  }
  return false;
}

}  // namespace

nlohmann::json parse_json(const std::string& text, const std::string& name, const std::string& expected) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw InputError(name + ": empty, expected " + expected);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(position(text, e.byte, name) + ": expected " + expected + " (JSON): " + reason(e.what()));
  }
}

nlohmann::json read_json_file(const std::string& path, const std::string& expected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read it, expected " + expected);
  std::stringstream s;
  s << in.rdbuf();
  return parse_json(s.str(), path, expected);
}

void check_json_shape(const nlohmann::json& j, const std::vector<JsonField>& fields, const std::string& name) {
  if (!j.is_object()) throw InputError(name + ": expected an object at the top, got " + found_name(j));
  for (const JsonField& f : fields) {
    const nlohmann::json* at = &j;
    std::string path = f.path, walked;
    bool present = true;
    for (size_t start = 0; present;) {
      const size_t dot = path.find('.', start);
      const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      walked += (walked.empty() ? "" : ".") + key;
      if (!at->is_object()) {
        throw InputError(name + ": key '" + walked.substr(0, walked.rfind('.')) + "': expected an object, got " + found_name(*at));
      }
      auto it = at->find(key);
      if (it == at->end() || it->is_null()) {
        present = false;
        break;
      }
      at = &*it;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (!present) {
      if (f.required) throw InputError(name + ": key '" + path + "': missing, expected " + kind_name(f.kind));
      continue;
    }
    if (!is_kind(*at, f.kind))
      throw InputError(name + ": key '" + path + "': expected " + kind_name(f.kind) + ", got " + found_name(*at));
  }
}

}  // namespace gillab
