#include "algorithms/common/pareto_archive.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nas {

absl::StatusOr<ObjectiveSelection> ObjectiveSelection::Resolve(
    const Oracle& oracle, absl::Span<const std::string> metrics,
    const std::string& param) {
  return Resolve(oracle.metric_names(), metrics, param);
}

absl::StatusOr<ObjectiveSelection> ObjectiveSelection::Resolve(
    const std::vector<std::string>& visible,
    absl::Span<const std::string> metrics, const std::string& param) {
  ObjectiveSelection selection;
  selection.names_.push_back("valid_error");
  if (metrics.empty()) {
    for (size_t i = 0; i < visible.size(); ++i) {
      selection.names_.push_back(visible[i]);
      selection.positions_.push_back(static_cast<int>(i));
    }
    return selection;
  }
  for (const std::string& name : metrics) {
    const auto it = std::find(visible.begin(), visible.end(), name);
    if (it == visible.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          param, ": metric '", name, "' is not one this benchmark shows; ",
          visible.empty()
              ? std::string("it shows none (its objective declares no "
                            "visible metrics), so leave the list empty")
              : absl::StrCat("it shows: ", absl::StrJoin(visible, ", "))));
    }
    if (std::find(selection.names_.begin(), selection.names_.end(), name) !=
        selection.names_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(param, ": metric '", name, "' is listed twice"));
    }
    selection.names_.push_back(name);
    selection.positions_.push_back(static_cast<int>(it - visible.begin()));
  }
  return selection;
}

ObjectiveVector ObjectiveSelection::Of(const Observation& observation) const {
  ObjectiveVector point;
  point.reserve(names_.size());
  point.push_back(observation.valid_error);
  for (int position : positions_) {
    point.push_back(observation.metrics[position]);
  }
  return point;
}

bool ParetoArchive::Insert(const Architecture& arch,
                           const ObjectiveVector& point) {
  for (const Member& member : members_) {
    if (member.point == point || Dominates(member.point, point)) return false;
  }
  members_.erase(std::remove_if(members_.begin(), members_.end(),
                                [&](const Member& member) {
                                  return Dominates(point, member.point);
                                }),
                 members_.end());
  members_.push_back({arch, point, false});
  return true;
}

}  // namespace nas
