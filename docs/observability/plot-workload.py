#!/usr/bin/env python3
"""Plots the FlowRaft dashboard's central series from a file of leader scrapes (MetricsPlotRun writes one).

usage: plot-workload.py scrapes.txt out.png

The file holds Prometheus text scrapes, each after a line '# t=<ms since start>'. Rates are computed between
consecutive scrapes, histogram quantiles from bucket increases over a 2 s window, as Prometheus's rate() and
histogram_quantile() would.
"""
import re
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(path):
    scrapes = []
    current = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("# t="):
            current = (int(line[4:]) / 1000.0, defaultdict(float))
            scrapes.append(current)
            continue
        if not line or line.startswith("#") or current is None:
            continue
        m = SAMPLE.match(line)
        if m:
            labels = tuple(sorted(LABEL.findall(m.group(2) or "")))
            current[1][(m.group(1), labels)] += float(m.group(3))
    return scrapes


def series(scrapes, name, key):
    """{label value: [(t, value)]} of a gauge, one line per value of label `key`."""
    out = defaultdict(list)
    for t, samples in scrapes:
        for (n, labels), v in samples.items():
            if n == name:
                out[dict(labels).get(key, "")].append((t, v))
    return out


def rates(scrapes, name, keys, where=None):
    out = defaultdict(list)
    for (t0, a), (t1, b) in zip(scrapes, scrapes[1:]):
        sums = defaultdict(float)
        for (n, labels), v in b.items():
            d = dict(labels)
            if n != name or (where and any(d.get(k) != w for k, w in where.items())):
                continue
            sums[" ".join(d.get(k, "") for k in keys)] += (v - a.get((n, labels), 0.0)) / (t1 - t0)
        for label, r in sums.items():
            out[label].append((t1, r))
    return out


def quantile(scrapes, name, q, key=None, window=2.0):
    out = defaultdict(list)
    for i, (t1, b) in enumerate(scrapes):
        j = max(k for k in range(i + 1) if scrapes[k][0] <= t1 - window) if scrapes[0][0] <= t1 - window else None
        if j is None:
            continue
        a = scrapes[j][1]
        buckets = defaultdict(dict)
        for (n, labels), v in b.items():
            if n != name + "_bucket":
                continue
            d = dict(labels)
            le = float("inf") if d["le"] == "+Inf" else float(d["le"])
            buckets[d.get(key, "") if key else ""][le] = buckets[d.get(key, "") if key else ""].get(le, 0.0) + (
                v - a.get((n, labels), 0.0))
        for label, counts in buckets.items():
            bounds = sorted(counts)
            total = counts[bounds[-1]]
            if total <= 0:
                continue
            rank, prev_bound, prev_count = q * total, 0.0, 0.0
            for bound in bounds:
                if counts[bound] >= rank:
                    if bound == float("inf"):
                        value = prev_bound
                    else:
                        value = prev_bound + (bound - prev_bound) * (rank - prev_count) / max(counts[bound] - prev_count, 1e-9)
                    out[label].append((t1, value))
                    break
                prev_bound, prev_count = bound, counts[bound]
    return out


def draw(ax, lines, title, unit):
    for label, points in sorted(lines.items()):
        if points and any(v for _, v in points):
            ax.plot([p[0] for p in points], [p[1] for p in points], label=label or "all")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("seconds", fontsize=8)
    ax.set_ylabel(unit, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)


def main(source, target):
    scrapes = parse(source)
    fig, axes = plt.subplots(3, 2, figsize=(13, 11))
    draw(axes[0][0], series(scrapes, "flowraft_tasks_ready", "type"), "READY backlog (flowraft_tasks_ready)", "tasks")
    draw(axes[0][1], series(scrapes, "flowraft_tasks_ready_oldest_age_seconds", "type"),
         "Oldest READY age (flowraft_tasks_ready_oldest_age_seconds)", "s")
    draw(axes[1][0], quantile(scrapes, "flowraft_task_dispatch_seconds", 0.99, "type"),
         "Dispatch latency p99 (flowraft_task_dispatch_seconds)", "s")
    draw(axes[1][1], rates(scrapes, "flowraft_task_outcomes_total", ["type", "outcome"]),
         "Task outcomes / s (flowraft_task_outcomes_total)", "per s")
    draw(axes[2][0], {**{"p99": quantile(scrapes, "flowraft_raft_commit_seconds", 0.99)[""]},
                      **{"p50": quantile(scrapes, "flowraft_raft_commit_seconds", 0.5)[""]}},
         "Raft commit latency (flowraft_raft_commit_seconds)", "s")
    draw(axes[2][1], rates(scrapes, "flowraft_http_refused_total", ["status", "reason"]),
         "Refused / s by reason (flowraft_http_refused_total, leader)", "per s")
    fig.suptitle("FlowRaft: the dashboard's series from the leader's scrapes (MetricsPlotRun)", fontsize=12)
    fig.tight_layout()
    fig.savefig(target, dpi=90)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
