#include "harness/report_table.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "harness/plot/svg_plot.h"

namespace nas {

std::string PValue(double p) {
  if (std::isnan(p)) return "-";
  if (p < 1e-4) return absl::StrFormat("%.1e", p);
  return absl::StrFormat("%.4f", p);
}

std::string MarkdownTable(const Table& t) {
  std::string out = absl::StrCat("| ", absl::StrJoin(t.header, " | "), " |\n|");
  for (bool numeric : t.numeric) out += numeric ? "---:|" : "---|";
  out += "\n";
  for (const auto& row : t.rows) {
    absl::StrAppend(&out, "| ", absl::StrJoin(row, " | "), " |\n");
  }
  return out;
}

std::string HtmlTable(const Table& t) {
  std::string out = "<div class=\"wide\"><table>\n<tr>";
  for (const std::string& h : t.header) {
    absl::StrAppend(&out, "<th>", XmlEscape(h), "</th>");
  }
  out += "</tr>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&out, t.numeric[i] ? "<td class=\"n\">" : "<td>",
                      XmlEscape(row[i]), "</td>");
    }
    out += "</tr>\n";
  }
  return out + "</table></div>\n";
}

}  // namespace nas
