#!/usr/bin/env python3
"""The quickstart's searches written plainly in Python, for comparison.

configs/quickstart.textproto as a short script: local search (best of 10
random starts, best improvement, restart at a local minimum) and random
search (without replacement) on NAS-Bench-201's three datasets, 300 queries,
100 seeds; the test error of the best-validation architecture after 300
queries, averaged over seeds. Only the searches: no reports and no files,
the least a Python user would write. Standard library only (csv, random).

    python3 tools/python_reference/quickstart_loop.py [DATA_DIR]

DATA_DIR defaults to $NAS_DATA_DIR, then ../shared/data. Random streams
differ from the C++ harness's, so the means agree only within their
intervals (README: 8.92 / 26.50 / 53.53 for local search).
"""

import csv
import os
import random
import sys

TABLE = "nasbench201/nb201_v1_1_200ep_seedavg.csv"
DATASETS = [
    ("cifar10-valid", "cifar10valid"),
    ("cifar100", "cifar100"),
    ("ImageNet16-120", "imagenet16"),
]
NUM_EDGES = 6
NUM_OPS = 5
QUERIES = 300
SEEDS = 100
NUM_INIT = 10


def load_table(path):
    """Per dataset, (valid errors, test errors) indexed by cell number."""
    valid = {name: [0.0] * NUM_OPS**NUM_EDGES for name, _ in DATASETS}
    test = {name: [0.0] * NUM_OPS**NUM_EDGES for name, _ in DATASETS}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            cell = 0
            for e in range(NUM_EDGES):
                cell = cell * NUM_OPS + int(row["op_e%d" % e])
            for name, prefix in DATASETS:
                valid[name][cell] = 100.0 - float(row[prefix + "_valid_acc"])
                test[name][cell] = 100.0 - float(row[prefix + "_test_acc"])
    return {name: (valid[name], test[name]) for name, _ in DATASETS}


def neighbours(cell):
    """The 24 cells that differ from `cell` in one edge's operation."""
    out = []
    place = 1
    for _ in range(NUM_EDGES):
        op = (cell // place) % NUM_OPS
        for other in range(NUM_OPS):
            if other != op:
                out.append(cell + (other - op) * place)
        place *= NUM_OPS
    return out


class Budget(Exception):
    pass


class Oracle:
    """Answers queries until the budget is spent; tracks the incumbent."""

    def __init__(self, valid, test):
        self.valid, self.test = valid, test
        self.queries = 0
        self.best_valid = float("inf")
        self.incumbent_test = float("nan")

    def query(self, cell):
        if self.queries == QUERIES:
            raise Budget()
        self.queries += 1
        v = self.valid[cell]
        if v < self.best_valid:
            self.best_valid, self.incumbent_test = v, self.test[cell]
        return v


def random_unseen(rng, seen, size):
    if len(seen) == size:
        return None
    while True:
        cell = rng.randrange(size)
        if cell not in seen:
            return cell


def local_search(oracle, rng, size):
    seen = set()

    def query(cell):
        seen.add(cell)
        return oracle.query(cell)

    while True:
        current, current_valid = None, float("inf")
        for _ in range(NUM_INIT):
            cell = random_unseen(rng, seen, size)
            if cell is None:
                break
            v = query(cell)
            if current is None or v < current_valid:
                current, current_valid = cell, v
        if current is None:
            return
        while True:  # Best improvement until a local minimum.
            candidates = neighbours(current)
            rng.shuffle(candidates)
            best, best_valid = None, float("inf")
            for cell in candidates:
                if cell in seen:
                    continue
                v = query(cell)
                if best is None or v < best_valid:
                    best, best_valid = cell, v
            if best is None or best_valid >= current_valid:
                break  # Restart.
            current, current_valid = best, best_valid


def random_search(oracle, rng, size):
    seen = set()
    while True:
        cell = random_unseen(rng, seen, size)
        if cell is None:
            return
        seen.add(cell)
        oracle.query(cell)


def main():
    data_dir = (sys.argv[1] if len(sys.argv) > 1 else
                os.environ.get("NAS_DATA_DIR", "../shared/data"))
    tables = load_table(os.path.join(data_dir, TABLE))
    size = NUM_OPS**NUM_EDGES
    for name, _ in DATASETS:
        valid, test = tables[name]
        for algorithm in (local_search, random_search):
            total = 0.0
            for seed in range(SEEDS):
                oracle = Oracle(valid, test)
                try:
                    algorithm(oracle, random.Random(seed), size)
                except Budget:
                    pass
                total += oracle.incumbent_test
            print("%-15s %-14s %.2f" % (name, algorithm.__name__,
                                        total / SEEDS))


if __name__ == "__main__":
    main()
