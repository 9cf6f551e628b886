#include "harness/report_table.h"

#include <cmath>
#include <utility>

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

void ReportDocument::Heading(std::string text) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kHeading;
  block.text = std::move(text);
  blocks.push_back(std::move(block));
}

void ReportDocument::Paragraph(std::string text) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kParagraph;
  block.text = std::move(text);
  blocks.push_back(std::move(block));
}

void ReportDocument::AddTable(Table table) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kTable;
  block.table = std::move(table);
  blocks.push_back(std::move(block));
}

void ReportDocument::Figure(std::string file, std::string alt,
                            std::string svg) {
  ReportBlock block;
  block.kind = ReportBlock::Kind::kFigure;
  block.figure_file = std::move(file);
  block.text = std::move(alt);
  block.svg = std::move(svg);
  blocks.push_back(std::move(block));
}

// Every block starts with a blank line, so blocks separate themselves.
std::string RenderMarkdown(const ReportDocument& doc) {
  std::string md = absl::StrCat("# ", doc.title, "\n\n", doc.intro, "\n");
  for (const ReportBlock& block : doc.blocks) {
    switch (block.kind) {
      case ReportBlock::Kind::kHeading:
        absl::StrAppend(&md, "\n## ", block.text, "\n");
        break;
      case ReportBlock::Kind::kParagraph:
        absl::StrAppend(&md, "\n", block.text, "\n");
        break;
      case ReportBlock::Kind::kTable:
        absl::StrAppend(&md, "\n", MarkdownTable(block.table));
        break;
      case ReportBlock::Kind::kFigure:
        absl::StrAppend(&md, "\n![", block.text, "](plots/", block.figure_file,
                        ".svg)\n");
        break;
    }
  }
  return md;
}

std::string RenderHtmlBlocks(const ReportDocument& doc) {
  std::string html;
  for (const ReportBlock& block : doc.blocks) {
    switch (block.kind) {
      case ReportBlock::Kind::kHeading:
        absl::StrAppend(&html, "<h2>", XmlEscape(block.text), "</h2>\n");
        break;
      case ReportBlock::Kind::kParagraph:
        absl::StrAppend(&html, "<p>", XmlEscape(block.text), "</p>\n");
        break;
      case ReportBlock::Kind::kTable:
        html += HtmlTable(block.table);
        break;
      case ReportBlock::Kind::kFigure:
        absl::StrAppend(&html, "<div class=\"plot\">", block.svg, "</div>\n");
        break;
    }
  }
  return html;
}

}  // namespace nas
