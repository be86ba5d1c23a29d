#!/usr/bin/env python3
"""Paired per-seed differences between arms of one `crossl evaluate` results.json.

  scripts/paired-diffs.py RESULTS_JSON ARM=BASELINE [ARM=BASELINE ...]

For each pair and label fraction: validation and test macro-F1 of the arm minus the baseline's,
seed by seed (the same seed means the same label draw, initialisation and data order), their mean,
and how many seeds the arm wins. Prints a markdown table.
"""
import json
import statistics
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    results = json.load(open(sys.argv[1]))
    by = {}
    for r in results["records"]:
        by[(r["arm"], r["label_fraction"], r["seed"])] = r
    fractions = sorted({r["label_fraction"] for r in results["records"]})
    print("| change (arm − baseline) | labels | validation Δ mean | validation Δ per seed | test Δ mean | test Δ per seed | arm test mean |")
    print("|---|---|---|---|---|---|---|")
    for pair in sys.argv[2:]:
        arm, base = pair.split("=")
        for f in fractions:
            seeds = sorted(s for (a, ff, s) in by if a == arm and ff == f and (base, f, s) in by)
            if not seeds:
                continue
            dv = [by[(arm, f, s)]["validation_macro_f1"] - by[(base, f, s)]["validation_macro_f1"] for s in seeds]
            dt = [by[(arm, f, s)]["macro_f1"] - by[(base, f, s)]["macro_f1"] for s in seeds]
            test = statistics.mean(by[(arm, f, s)]["macro_f1"] for s in seeds)
            fmt = lambda xs: " ".join(f"{x:+.3f}" for x in xs)
            print(f"| {arm} − {base} | {f:g} | {statistics.mean(dv):+.3f} | {fmt(dv)} | {statistics.mean(dt):+.3f} | {fmt(dt)} | {test:.3f} |")


if __name__ == "__main__":
    main()
