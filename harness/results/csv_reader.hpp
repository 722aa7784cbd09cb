#pragma once
// Reads a tidy CSV (the harness's own, or anyone's) into rows addressed by column name.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "input_error.hpp"

namespace gillab {

class CsvFile {
 public:
  static CsvFile read(const std::string& path);  // throws InputError naming the file (and line)
  static CsvFile parse(const std::string& text, const std::string& name);

  const std::vector<std::string>& columns() const { return columns_; }
  size_t size() const { return rows_.size(); }
  bool has(const std::string& column) const { return index_.count(column) > 0; }
  // The value, or "" where the row leaves it empty; throws for a column the file lacks.
  const std::string& at(size_t row, const std::string& column) const;
  double number(size_t row, const std::string& column) const;  // NaN when empty

 private:
  std::string name_;
  std::vector<std::string> columns_;
  std::map<std::string, size_t> index_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace gillab
