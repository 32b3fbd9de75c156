"""PyTorch reference for `simclr benchmark`: times the same SimCLR model step.

Builds the CIFAR ResNet and projection head of @simclr-ts/models (same
widths, blocks, BatchNorm momentum 0.1 and epsilon 1e-5), then times the
forward pass, NT-Xent, backward pass and Adam update on random views, on a
given number of threads. Augmentation is not part of this step. Prints one
JSON object. Usage: python3 torch_reference.py STEM WIDTHS BLOCKS BATCH THREADS RUNS
"""
import json
import statistics
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(out + shortcut)


def build_model(stem, widths, blocks):
    layers = [nn.Conv2d(3, stem, 3, 1, 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU()]
    channels = stem
    for stage, (width, count) in enumerate(zip(widths, blocks)):
        for index in range(count):
            layers.append(BasicBlock(channels, width, 2 if stage > 0 and index == 0 else 1))
            channels = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    head = nn.Sequential(nn.Linear(channels, channels, bias=False), nn.BatchNorm1d(channels), nn.ReLU(), nn.Linear(channels, 128))
    return nn.Sequential(*layers, head)


def nt_xent(z, temperature=0.5):
    z = F.normalize(z, dim=1)
    n = z.shape[0] // 2
    logits = z @ z.t() / temperature
    logits = logits - 1e4 * torch.eye(2 * n)
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, targets)


def main():
    stem, widths, blocks, batch, threads, runs = sys.argv[1:7]
    torch.set_num_threads(int(threads))
    torch.manual_seed(0)
    model = build_model(int(stem), [int(w) for w in widths.split(",")], [int(b) for b in blocks.split(",")])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    # Channels-first, as PyTorch's convolutions expect; both views in one batch.
    views = torch.rand(2 * int(batch), 3, 32, 32)
    times = []
    for run in range(int(runs) + 1):
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = nt_xent(model(views))
        loss.backward()
        optimizer.step()
        if run > 0:
            times.append(1000 * (time.perf_counter() - started))
    step_ms = statistics.median(times)
    print(json.dumps({"threads": int(threads), "batchSize": int(batch), "stepMs": step_ms,
                      "imagesPerSecond": 1000 * int(batch) / step_ms, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
