// Never builds (tests/visibility_check.sh): algorithm packages cannot see
// harness/oracle.h. See tests/cheats_test.cc for what the cast would find.
#include "algorithms/algorithm.h"
#include "harness/oracle.h"

namespace nas {

bool CanReadRecords(const Oracle& oracle) {
  return dynamic_cast<const BudgetedOracle*>(&oracle) != nullptr;
}

}  // namespace nas
