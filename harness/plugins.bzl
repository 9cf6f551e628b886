"""Every plugin linked into the harness: the one list a new plugin joins.

A plugin registers itself from its own package (NAS_REGISTER_* in its .cc,
`alwayslink = 1` on its library); adding its target here is the only edit
outside that package. tests/ runs the conformance suites over everything
listed here.

Plugins that link libtorch go into the TORCH_ lists: the light `nas`
(//harness:nas) links LIGHT_PLUGINS only, and re-executes the full binary
(//harness:nas_torch, ALL_PLUGINS) when a config names one of the others.
"""

SEARCH_SPACES = [
    "//spaces/darts",
    "//spaces/nasbench101",
    "//spaces/nasbench201",
    "//spaces/nasbench_macro",
    "//spaces/table",
    "//spaces/transnas_micro",
]

OBJECTIVES = [
    "//objectives/nasbench101/ecnas",
    "//objectives/nasbench201",
    "//objectives/nasbench_macro",
    "//objectives/random_uniform",
    "//objectives/table",
    "//objectives/transnas_micro",
    "//objectives/tunable_locality",
]

# Objectives that train networks (libtorch).
TORCH_OBJECTIVES = [
    "//objectives/trained",
]

ALGORITHMS = [
    "//algorithms/bananas",
    "//algorithms/dngo",
    "//algorithms/gp_bayesopt",
    "//algorithms/hyperband",
    "//algorithms/iterated_local_search",
    "//algorithms/local_search",
    "//algorithms/mo_random_search",
    "//algorithms/nsga2",
    "//algorithms/pareto_local_search",
    "//algorithms/random_search",
    "//algorithms/regularized_evolution",
    "//algorithms/reinforce",
    "//algorithms/scalarized_local_search",
    "//algorithms/simulated_annealing",
    "//algorithms/successive_halving",
    "//algorithms/tabu_search",
]

# Networks for objectives that train (or score) built networks, one per
# space, each registering itself by space name.
NETWORK_BUILDERS = [
    "//objectives/networks/darts",
    "//objectives/networks/nasbench101",
    "//objectives/networks/nasbench201",
]

# Zero-cost proxies (`nas correlate`), each package registering its proxies
# by name.
PROXIES = [
    "//objectives/proxies/activation",
    "//objectives/proxies/pruning",
    "//objectives/proxies/size",
]

LIGHT_PLUGINS = SEARCH_SPACES + OBJECTIVES + ALGORITHMS

TORCH_PLUGINS = TORCH_OBJECTIVES + NETWORK_BUILDERS + PROXIES

ALL_PLUGINS = LIGHT_PLUGINS + TORCH_PLUGINS
