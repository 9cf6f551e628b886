#include "harness/multiobjective.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nas {
namespace {

// Every architecture of the space, or nullopt when there are too many or
// the space cannot list them.
std::optional<std::vector<Architecture>> EveryArchitecture(
    const SearchSpace& space) {
  const absl::uint128 size = space.Size();
  if (size > absl::uint128(kMaxFrontSpaceSize)) return std::nullopt;
  if (space.IsIndexable()) {
    std::vector<Architecture> all;
    for (int64_t i = 0; i < static_cast<int64_t>(size); ++i) {
      all.push_back(space.FromIndex(i));
    }
    return all;
  }
  if (const SearchSpace::Enumerator enumerate = space.enumerator()) {
    return enumerate();
  }
  return std::nullopt;
}

// The front's nadir pushed out by a tenth of the front's range, so that
// its extreme points count (a degenerate range by a tenth of the value,
// or 0.1).
std::vector<double> DerivedReference(
    const std::vector<ObjectiveVector>& front) {
  ObjectiveVector ideal = front[0], nadir = front[0];
  for (const ObjectiveVector& p : front) {
    for (size_t k = 0; k < p.size(); ++k) {
      ideal[k] = std::min(ideal[k], p[k]);
      nadir[k] = std::max(nadir[k], p[k]);
    }
  }
  for (size_t k = 0; k < nadir.size(); ++k) {
    const double range = nadir[k] - ideal[k];
    nadir[k] +=
        range > 0 ? 0.1 * range : std::max(0.1 * std::abs(nadir[k]), 0.1);
  }
  return nadir;
}

}  // namespace

ObjectiveVector MultiObjectivePoint(double error,
                                    const std::vector<double>& metrics,
                                    const std::vector<int>& positions) {
  ObjectiveVector point = {error};
  for (int p : positions) point.push_back(metrics[p]);
  return point;
}

absl::StatusOr<MultiObjectiveInfo> DescribeMultiObjective(
    const MultiObjectiveSpec& spec, const Objective& objective) {
  const std::vector<MetricInfo> declared = objective.metrics();
  std::vector<std::string> visible;
  for (const MetricInfo& m : declared) {
    if (m.visible()) visible.push_back(m.name);
  }
  const std::string shown =
      visible.empty()
          ? std::string(
                "its objective declares no visible metric, so it "
                "cannot be compared by hypervolume")
          : absl::StrCat("it shows: ", absl::StrJoin(visible, ", "));
  if (spec.metric_size() < 1 || spec.metric_size() > 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "multiobjective: ", spec.metric_size(),
        " metrics; name one or two (hypervolumes are exact in two and three "
        "dimensions), e.g. metric: \"",
        visible.empty() ? "energy" : visible[0], "\"; ", shown));
  }
  MultiObjectiveInfo info;
  std::vector<int> positions;
  for (const std::string& name : spec.metric()) {
    const auto it =
        std::find_if(declared.begin(), declared.end(),
                     [&](const MetricInfo& m) { return m.name == name; });
    if (it == declared.end() || !it->visible()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "multiobjective: metric '", name, "' is not ",
          it == declared.end() ? "one this benchmark reports"
                               : "visible (a hidden metric is not a cost a "
                                 "searcher can trade against)",
          "; ", shown));
    }
    const int position = static_cast<int>(it - declared.begin());
    if (std::find(positions.begin(), positions.end(), position) !=
        positions.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("multiobjective: metric '", name, "' is listed twice"));
    }
    positions.push_back(position);
    MultiObjectiveInfo::Metric* metric = info.add_metric();
    metric->set_name(it->name);
    metric->set_unit(it->unit);
    metric->set_higher_is_better(it->direction ==
                                 MetricInfo::Direction::kHigherIsBetter);
  }
  const size_t dimensions = positions.size() + 1;
  if (spec.reference_point_size() != 0 &&
      static_cast<size_t>(spec.reference_point_size()) != dimensions) {
    return absl::InvalidArgumentError(absl::StrCat(
        "multiobjective: reference_point has ", spec.reference_point_size(),
        " values but needs ", dimensions,
        " (the error, then one per metric), or none to derive it from the "
        "exact fronts"));
  }
  const int full = static_cast<int>(objective.fidelities().size()) - 1;
  info.set_full_fidelity(full);

  // The exact fronts, by validation and by test error.
  std::optional<std::vector<Architecture>> all;
  if (!objective.is_noisy()) all = EveryArchitecture(objective.space());
  if (all.has_value()) {
    std::vector<ObjectiveVector> valid, test;
    for (const Architecture& arch : *all) {
      const Evaluation e = objective.Evaluate(arch, full, nullptr);
      valid.push_back(MultiObjectivePoint(e.valid_error, e.metrics, positions));
      test.push_back(MultiObjectivePoint(e.test_error, e.metrics, positions));
    }
    const SearchSpace& space = objective.space();
    for (int i : NonDominatedIndices(valid)) {
      MultiObjectiveInfo::Point* p = info.add_valid_front();
      p->mutable_value()->Add(valid[i].begin(), valid[i].end());
      p->set_arch(space.ToString((*all)[i]));
    }
    for (int i : NonDominatedIndices(test)) {
      MultiObjectiveInfo::Point* p = info.add_test_front();
      p->mutable_value()->Add(test[i].begin(), test[i].end());
      p->set_arch(space.ToString((*all)[i]));
    }
  }
  auto front_of =
      [](const google::protobuf::RepeatedPtrField<MultiObjectiveInfo::Point>&
             points) {
        std::vector<ObjectiveVector> front;
        for (const MultiObjectiveInfo::Point& p : points) {
          front.emplace_back(p.value().begin(), p.value().end());
        }
        return front;
      };
  const std::vector<ObjectiveVector> valid_front = front_of(info.valid_front());
  const std::vector<ObjectiveVector> test_front = front_of(info.test_front());

  if (spec.reference_point_size() == 0) {
    if (valid_front.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "multiobjective: no reference_point, and none can be derived: ",
          objective.is_noisy()
              ? "the objective is noisy"
              : "the space cannot be enumerated (too large, or it lists no "
                "architectures)",
          ", so it has no exact front; declare one in the block, the "
          "error first, then each metric in its own unit, beyond every "
          "point that should count, e.g. reference_point: [100",
          positions.size() == 1 ? ", 1e9" : ", 1e9, 1e9", "]"));
    }
    info.set_reference_source("derived from the exact fronts");
    const std::vector<double> valid_reference = DerivedReference(valid_front);
    info.mutable_valid_reference()->Add(valid_reference.begin(),
                                        valid_reference.end());
    const std::vector<double> test_reference = DerivedReference(test_front);
    info.mutable_test_reference()->Add(test_reference.begin(),
                                       test_reference.end());
  } else {
    info.set_reference_source("config");
    std::vector<double> reference = {spec.reference_point(0)};
    for (size_t k = 0; k < positions.size(); ++k) {
      reference.push_back(declared[positions[k]].StoredValue(
          spec.reference_point(static_cast<int>(k + 1))));
    }
    info.mutable_valid_reference()->Add(reference.begin(), reference.end());
    info.mutable_test_reference()->Add(reference.begin(), reference.end());
  }
  if (!valid_front.empty()) {
    info.set_valid_front_hypervolume(
        NormalisedHypervolume(valid_front, info.valid_reference(), 0));
    info.set_test_front_hypervolume(
        NormalisedHypervolume(test_front, info.test_reference(), 0));
    if (!(info.valid_front_hypervolume() > 0) ||
        !(info.test_front_hypervolume() > 0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "multiobjective: reference_point [",
          absl::StrJoin(spec.reference_point(), ", "),
          "] is not beyond any point of the exact front, so every "
          "hypervolume would be 0; raise it (the error first, then each "
          "metric), or leave it out to derive it"));
    }
  }
  return info;
}

double NormalisedHypervolume(
    const std::vector<ObjectiveVector>& points,
    const google::protobuf::RepeatedField<double>& reference,
    double front_volume) {
  const absl::StatusOr<double> volume = Hypervolume(
      points, {reference.data(), static_cast<size_t>(reference.size())});
  // Dimensions are checked when the info is made: 2 or 3 throughout.
  if (!volume.ok()) return std::nan("");
  return front_volume > 0 ? *volume / front_volume : *volume;
}

}  // namespace nas
