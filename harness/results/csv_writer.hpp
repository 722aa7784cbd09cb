#pragma once
// Tidy CSV: one header row, then rows, values set by column name (a misspelt column is a bug
// caught at once, not a shifted file), RFC 4180 quoting where a value needs it.
#include <stdexcept>
#include <string>
#include <vector>

namespace gillab {

class CsvTable {
 public:
  explicit CsvTable(std::vector<std::string> columns) : columns_(std::move(columns)) {
    for (size_t i = 0; i < columns_.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (columns_[i] == columns_[j]) throw std::logic_error("CSV column named twice: " + columns_[i]);
  }
  CsvTable(const CsvTable&) = delete;  // rows point at their table
  CsvTable& operator=(const CsvTable&) = delete;

  class Row {
   public:
    Row& set(const std::string& column, const std::string& value);
    Row& set(const std::string& column, const char* value) { return set(column, std::string(value)); }
    Row& set(const std::string& column, double value, int precision = 6);
    Row& set(const std::string& column, long long value);
    Row& set(const std::string& column, unsigned long long value);
    Row& set(const std::string& column, int value) { return set(column, static_cast<long long>(value)); }
    Row& set(const std::string& column, long value) { return set(column, static_cast<long long>(value)); }
    Row& set(const std::string& column, unsigned long value) { return set(column, static_cast<unsigned long long>(value)); }
    Row& set(const std::string& column, bool value) = delete;  // say 0/1 explicitly
    const std::string& get(const std::string& column) const;

   private:
    friend class CsvTable;
    Row(const CsvTable* t) : table_(t), values_(t->columns_.size()) {}
    const CsvTable* table_;
    std::vector<std::string> values_;
  };

  Row& add_row();
  const std::vector<std::string>& columns() const { return columns_; }
  std::vector<Row>& rows() { return rows_; }
  const std::vector<Row>& rows() const { return rows_; }
  size_t index(const std::string& column) const;
  std::string str() const;

 private:
  std::vector<std::string> columns_;
  std::vector<Row> rows_;
};

std::string csv_quote(const std::string& v);

}  // namespace gillab
