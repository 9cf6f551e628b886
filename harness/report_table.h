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

// A report as data: what it says, in order, before any format. The
// renderers below turn one document into Markdown and into HTML, so the two
// cannot drift apart.
struct ReportBlock {
  enum class Kind { kHeading, kParagraph, kTable, kFigure };
  Kind kind = Kind::kParagraph;
  std::string text;  // Heading, paragraph, or a figure's alt text.
  Table table;
  std::string figure_file;  // A figure's name under plots/, without ".svg".
  std::string svg;
};

struct ReportDocument {
  std::string title;
  std::string intro;
  std::vector<ReportBlock> blocks;

  void Heading(std::string text);
  void Paragraph(std::string text);
  void AddTable(Table table);
  void Figure(std::string file, std::string alt, std::string svg);
};

// "# title", the intro, then each block; headings are level 2.
std::string RenderMarkdown(const ReportDocument& doc);
// The blocks as an HTML fragment (text escaped, figures inline); the page
// around it (title, intro, provenance) is the caller's.
std::string RenderHtmlBlocks(const ReportDocument& doc);

// A p-value for people: 4 decimals, scientific below 1e-4, "-" for NaN.
std::string PValue(double p);

}  // namespace nas

#endif  // NASBENCH_HARNESS_REPORT_TABLE_H_
