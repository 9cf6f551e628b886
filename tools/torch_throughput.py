#!/usr/bin/python3
"""Training throughput of the benchmark networks in Python PyTorch.

The same networks, batch, loss and optimizer step as
//tests/benchmarks:throughput_benchmark (NAS-Bench-201's best
CIFAR-10 cell at C=16/N=5 and C=8/N=1; DARTS_V2 at 8 channels, 5 cells;
1x28x28 inputs, batch 64, SGD nesterov, one thread), for the side-by-side
numbers in docs/performance.md. Needs Debian's python3-torch; run with
/usr/bin/python3. Written for this comparison, not used by any test.
"""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def rcb(cin, cout, k, stride, pad, dil=1):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(cin, cout, k, stride, pad, dil, bias=False),
                         nn.BatchNorm2d(cout))


class Zero(nn.Module):
    def forward(self, x):
        return torch.zeros_like(x)


def nb201_op(name, c):
    return {"none": Zero(), "skip_connect": nn.Identity(),
            "nor_conv_1x1": rcb(c, c, 1, 1, 0), "nor_conv_3x3": rcb(c, c, 3, 1, 1),
            "avg_pool_3x3": nn.AvgPool2d(3, 1, 1, count_include_pad=False)}[name]


class Nb201Cell(nn.Module):
    def __init__(self, ops, c):  # ops: [(op, from, to)] in edge order
        super().__init__()
        self.edges = [(f, t, n) for n, f, t in ops]
        self.ops = nn.ModuleList(nb201_op(n, c) for n, _, _ in ops)

    def forward(self, x):
        nodes = [x, None, None, None]
        for (f, t, n), op in zip(self.edges, self.ops):
            if n == "none":
                continue
            out = op(nodes[f] if nodes[f] is not None else torch.zeros_like(x))
            nodes[t] = out if nodes[t] is None else nodes[t] + out
        return nodes[3] if nodes[3] is not None else torch.zeros_like(x)


class Reduction(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.a, self.b = rcb(cin, cout, 3, 2, 1), rcb(cout, cout, 3, 1, 1)
        self.short = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, bias=False))

    def forward(self, x):
        return self.short(x) + self.b(self.a(x))


def nb201_net(ops, c, n, classes=10):
    layers, w = [nn.Conv2d(1, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)], c
    for stage in range(3):
        if stage:
            layers.append(Reduction(w, 2 * w))
            w *= 2
        layers += [Nb201Cell(ops, w) for _ in range(n)]
    layers += [nn.BatchNorm2d(w), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
               nn.Linear(w, classes)]
    return nn.Sequential(*layers)


def dil(cin, cout, k, s, p, d):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(cin, cin, k, s, p, d, groups=cin, bias=False),
                         nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))


class FactorizedReduce(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.a = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.b = nn.Conv2d(cin, cout - cout // 2, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = F.relu(x)
        x = F.pad(x, (0, x.shape[3] % 2, 0, x.shape[2] % 2))
        return self.bn(torch.cat([self.a(x), self.b(x[:, :, 1:, 1:])], 1))


def darts_op(name, c, s):
    if name == "sep_conv_3x3":
        return nn.Sequential(dil(c, c, 3, s, 1, 1), dil(c, c, 3, 1, 1, 1))
    if name == "dil_conv_3x3":
        return dil(c, c, 3, s, 2, 2)
    if name == "max_pool_3x3":
        return nn.MaxPool2d(3, s, 1)
    if name == "skip_connect":
        return nn.Identity() if s == 1 else FactorizedReduce(c, c)
    raise ValueError(name)


class DartsCell(nn.Module):
    def __init__(self, pairs, cpp, cp, c, red, red_prev):
        super().__init__()
        self.pre0 = FactorizedReduce(cpp, c) if red_prev else rcb(cpp, c, 1, 1, 0)
        self.pre1 = rcb(cp, c, 1, 1, 0)
        self.inputs = [i for _, i in pairs]
        self.ops = nn.ModuleList(darts_op(n, c, 2 if red and i < 2 else 1) for n, i in pairs)

    def forward(self, s0, s1):
        st = [self.pre0(s0), self.pre1(s1)]
        for k in range(4):
            st.append(self.ops[2 * k](st[self.inputs[2 * k]]) +
                      self.ops[2 * k + 1](st[self.inputs[2 * k + 1]]))
        return torch.cat(st[2:], 1)


class DartsNet(nn.Module):
    def __init__(self, normal, reduce, c, cells, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 3 * c, 3, 1, 1, bias=False), nn.BatchNorm2d(3 * c))
        cpp, cp, red_prev, self.cells = 3 * c, 3 * c, False, nn.ModuleList()
        for i in range(cells):
            red = i in (cells // 3, 2 * cells // 3)
            c *= 2 if red else 1
            self.cells.append(DartsCell(reduce if red else normal, cpp, cp, c, red, red_prev))
            red_prev, cpp, cp = red, cp, 4 * c
        self.head = nn.Linear(cp, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.head(F.adaptive_avg_pool2d(s1, 1).flatten(1))


NB201_BEST = [("nor_conv_3x3", 0, 1), ("nor_conv_3x3", 0, 2), ("nor_conv_3x3", 1, 2),
              ("skip_connect", 0, 3), ("nor_conv_3x3", 1, 3), ("nor_conv_3x3", 2, 3)]
DARTS_V2_NORMAL = [("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0),
                   ("sep_conv_3x3", 1), ("sep_conv_3x3", 1), ("skip_connect", 0),
                   ("skip_connect", 0), ("dil_conv_3x3", 2)]
DARTS_V2_REDUCE = [("max_pool_3x3", 0), ("max_pool_3x3", 1), ("skip_connect", 2),
                   ("max_pool_3x3", 1), ("max_pool_3x3", 0), ("skip_connect", 2),
                   ("skip_connect", 2), ("max_pool_3x3", 1)]


def measure(name, net, seconds=3.0, batch=64):
    torch.manual_seed(0)
    sgd = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                          weight_decay=5e-4)
    x, y = torch.randn(batch, 1, 28, 28), torch.randint(0, 10, (batch,))
    net.train()
    for _ in range(3):  # warm-up
        sgd.zero_grad(); F.cross_entropy(net(x), y).backward(); sgd.step()
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        sgd.zero_grad(); F.cross_entropy(net(x), y).backward(); sgd.step()
        steps += 1
    elapsed = time.perf_counter() - start
    params = sum(p.numel() for p in net.parameters())
    print(f"{name:32s} {1000 * elapsed / steps:8.1f} ms/step {steps * batch / elapsed:8.0f} images/s"
          f"  params {params}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    measure("nasbench201 best C=16 N=5", nb201_net(NB201_BEST, 16, 5))
    measure("nasbench201 best C=8 N=1", nb201_net(NB201_BEST, 8, 1))
    measure("darts DARTS_V2 C=8 cells=5", DartsNet(DARTS_V2_NORMAL, DARTS_V2_REDUCE, 8, 5))
