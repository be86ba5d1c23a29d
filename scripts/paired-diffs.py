#!/usr/bin/env python3
"""Paired per-seed differences between arms of one `crossl evaluate` results.json.

  scripts/paired-diffs.py [--missing] RESULTS_JSON ARM=BASELINE [ARM=BASELINE ...]

For each pair and label fraction: validation and test macro-F1 of the arm minus the baseline's,
seed by seed (the same seed means the same label draw, initialisation and data order), and their
mean. Prints a markdown table. With --missing, two more columns: the
test macro-F1 with devices absent (mean over the scored subsets, then over seeds) of the arm, and
its difference to the baseline's.
"""
import json
import statistics
import sys


def main():
    args = sys.argv[1:]
    missing = "--missing" in args
    args = [a for a in args if a != "--missing"]
    if len(args) < 2:
        sys.exit(__doc__)
    results = json.load(open(args[0]))
    by = {}
    for r in results["records"]:
        by[(r["arm"], r["label_fraction"], r["seed"])] = r
    fractions = sorted({r["label_fraction"] for r in results["records"]})
    extra = " missing devices: arm mean | missing Δ mean |" if missing else ""
    print("| change (arm − baseline) | labels | validation Δ mean | validation Δ per seed | test Δ mean | test Δ per seed | arm test mean |" + extra)
    print("|---|---|---|---|---|---|---|" + ("---|---|" if missing else ""))
    absent = lambda r: statistics.mean(r["missing"].values()) if r.get("missing") else float("nan")
    for pair in args[1:]:
        arm, base = pair.split("=")
        for f in fractions:
            seeds = sorted(s for (a, ff, s) in by if a == arm and ff == f and (base, f, s) in by)
            if not seeds:
                continue
            dv = [by[(arm, f, s)]["validation_macro_f1"] - by[(base, f, s)]["validation_macro_f1"] for s in seeds]
            dt = [by[(arm, f, s)]["macro_f1"] - by[(base, f, s)]["macro_f1"] for s in seeds]
            test = statistics.mean(by[(arm, f, s)]["macro_f1"] for s in seeds)
            fmt = lambda xs: " ".join(f"{x:+.3f}" for x in xs)
            row = f"| {arm} − {base} | {f:g} | {statistics.mean(dv):+.3f} | {fmt(dv)} | {statistics.mean(dt):+.3f} | {fmt(dt)} | {test:.3f} |"
            if missing:
                am = statistics.mean(absent(by[(arm, f, s)]) for s in seeds)
                dm = statistics.mean(absent(by[(arm, f, s)]) - absent(by[(base, f, s)]) for s in seeds)
                row += f" {am:.3f} | {dm:+.3f} |"
            print(row)


if __name__ == "__main__":
    main()
