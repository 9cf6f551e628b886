#ifndef NASBENCH_HARNESS_PLUGIN_DIGESTS_H_
#define NASBENCH_HARNESS_PLUGIN_DIGESTS_H_

// The table harness/provenance.bzl generates for //harness:plugins; read it
// through harness/provenance.h.

namespace nas {

struct PluginDigest {
  const char* package;         // e.g. "algorithms/local_search"
  const char* label;           // e.g. "//algorithms/local_search:local_search"
  const char* sources_sha256;  // See harness/provenance.bzl.
  int num_files;
};

extern const PluginDigest kPluginDigests[];
extern const int kNumPluginDigests;

}  // namespace nas

#endif  // NASBENCH_HARNESS_PLUGIN_DIGESTS_H_
