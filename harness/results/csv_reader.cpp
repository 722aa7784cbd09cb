#include "csv_reader.hpp"

#include <cerrno>
#include <cstdlib>

#include <cmath>
#include <fstream>
#include <sstream>

namespace gillab {

CsvFile CsvFile::read(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot read it, expected a CSV file");
  std::stringstream s;
  s << in.rdbuf();
  return parse(s.str(), path);
}

CsvFile CsvFile::parse(const std::string& text, const std::string& name) {
  CsvFile f;
  f.name_ = name;
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> cur;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    any = true;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cur.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      cur.push_back(std::move(field));
      field.clear();
      lines.push_back(std::move(cur));
      cur.clear();
      any = false;
    } else {
      field += c;
    }
  }
  if (quoted) throw InputError(name + ":" + std::to_string(lines.size() + 1) + ": a quoted field that never ends, expected a closing '\"'");
  if (any) {
    cur.push_back(std::move(field));
    lines.push_back(std::move(cur));
  }
  if (lines.empty()) throw InputError(name + ": empty, expected a header row");
  f.columns_ = lines[0];
  for (size_t i = 0; i < f.columns_.size(); ++i) f.index_[f.columns_[i]] = i;
  for (size_t l = 1; l < lines.size(); ++l) {
    if (lines[l].size() == 1 && lines[l][0].empty()) continue;
    if (lines[l].size() != f.columns_.size())
      throw InputError(name + ":" + std::to_string(l + 1) + ": expected " + std::to_string(f.columns_.size()) +
                       " fields as the header has, got " + std::to_string(lines[l].size()));
    f.rows_.push_back(std::move(lines[l]));
  }
  return f;
}

const std::string& CsvFile::at(size_t row, const std::string& column) const {
  auto it = index_.find(column);
  if (it == index_.end()) throw InputError(name_ + ": expected a column '" + column + "', the header has none");
  return rows_.at(row)[it->second];
}

double CsvFile::number(size_t row, const std::string& column) const {
  const std::string& v = at(row, column);
  if (v.empty()) return NAN;
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || errno == ERANGE)
    throw InputError(name_ + ":" + std::to_string(row + 2) + ": column '" + column + "': expected a number, got '" + v + "'");
  return x;
}

}  // namespace gillab
