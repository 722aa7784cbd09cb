#include "csv_writer.hpp"

#include <cmath>
#include <cstdio>

namespace gillab {

size_t CsvTable::index(const std::string& column) const {
  for (size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i] == column) return i;
  throw std::logic_error("no CSV column named " + column);
}

CsvTable::Row& CsvTable::add_row() {
  rows_.push_back(Row(this));
  return rows_.back();
}

CsvTable::Row& CsvTable::Row::set(const std::string& column, const std::string& value) {
  values_[table_->index(column)] = value;
  return *this;
}

CsvTable::Row& CsvTable::Row::set(const std::string& column, double value, int precision) {
  if (!std::isfinite(value)) return set(column, std::string());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, value);
  return set(column, std::string(buf));
}

CsvTable::Row& CsvTable::Row::set(const std::string& column, long long value) {
  return set(column, std::to_string(value));
}

CsvTable::Row& CsvTable::Row::set(const std::string& column, unsigned long long value) {
  return set(column, std::to_string(value));
}

const std::string& CsvTable::Row::get(const std::string& column) const { return values_[table_->index(column)]; }

std::string csv_quote(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvTable::str() const {
  std::string out;
  auto line = [&out](const std::vector<std::string>& values) {
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      out += csv_quote(values[i]);
    }
    out += '\n';
  };
  line(columns_);
  for (const Row& r : rows_) line(r.values_);
  return out;
}

}  // namespace gillab
