#ifndef NASBENCH_HARNESS_REPORT_TABLE_H_
#define NASBENCH_HARNESS_REPORT_TABLE_H_

#include <string>
#include <vector>

namespace nas {

// A table of a report, rendered as Markdown or HTML (numeric columns
// right-aligned). Shared by the single-objective and hypervolume reports.
struct Table {
  std::vector<std::string> header;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> rows;
};

std::string MarkdownTable(const Table& t);
std::string HtmlTable(const Table& t);

// A p-value for people: 4 decimals, scientific below 1e-4, "-" for NaN.
std::string PValue(double p);

}  // namespace nas

#endif  // NASBENCH_HARNESS_REPORT_TABLE_H_
