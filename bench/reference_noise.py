#!/usr/bin/env python3
"""How often does scikit-learn's own MLP meet bench/quality.py's goal? The goal compares dense with
one draw of a noisy reference: the better of the linear model and MLPRegressor/MLPClassifier with
random_state=0. Here the same MLP with random_state 1…N, on the same splits and preprocessing, is
scored against that goal as dense is: within 2 % RMSE or 1 test row of the better model, and
better than the mean. Where the MLP (seed 0) is the better model, the contestant is the very
algorithm of the reference, so its rate says how much of the goal is the reference's seed luck.
Not a timed test; the table goes to docs/QUALITY.md.

usage: python3 bench/reference_noise.py [--seeds 10] [--dense-results bench/quality_results.json ...]
  --dense-results: quality.py result files (any seeds, either table), counted per set beside.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quality  # noqa: E402  (the sets, splits, models and goal of the quality benchmark)


def contest(entry, seeds):
    """The reference scores of one set, and the MLP's score and goal for random_state 1…seeds."""
    name, _, task, target, _ = entry
    _, train, test = quality.split(entry)
    reference = quality.sklearn_scores(task, train, test, target)
    reference["task"] = task
    scores = [quality.sklearn_test_score(quality.sklearn_models(task, k)["mlp"], task, train, test, target)
              for k in range(1, seeds + 1)]
    return {"name": name, "task": task, "reference": reference, "scores": scores,
            "met": [quality.goal_met(reference, s) for s in scores],
            "mlp_is_reference": reference["mlp"] <= reference["linear"]}


def dense_goal_counts(paths):
    """{set name: [goal met, runs]} over the given quality.py result files."""
    counts = {}
    for path in paths:
        with open(path) as f:
            for result in json.load(f):
                met, runs = counts.get(result["name"], [0, 0])
                counts[result["name"]] = [met + quality.goal_met(result, result["train"]), runs + 1]
    return counts


def markdown(rows, dense_counts, seeds):
    lines = [f"| data set | better scikit-learn model | scikit-learn MLP, seeds 1–{seeds}: goal met | dense train: goal met |",
             "|---|---|---|---|"]
    totals = {"all": [0, 0, 0, 0], "mlp": [0, 0, 0, 0]}
    for row in rows:
        met, runs = dense_counts.get(row["name"], [0, 0])
        reference = "MLP (seed 0)" if row["mlp_is_reference"] else "linear"
        lines.append(f"| {row['name']} | {reference} | {sum(row['met'])} of {seeds} | "
                     f"{f'{met} of {runs}' if runs else '–'} |")
        for key in ("all", "mlp") if row["mlp_is_reference"] else ("all",):
            total = totals[key]
            total[0] += sum(row["met"])
            total[1] += seeds
            total[2] += met
            total[3] += runs
    for key, label in (("all", "every set"), ("mlp", "sets where the MLP is the reference")):
        t = totals[key]
        dense_rate = f"{t[2]} of {t[3]} ({100 * t[2] / t[3]:.0f} %)" if t[3] else "–"
        lines.append(f"| **{label}** | | **{t[0]} of {t[1]} ({100 * t[0] / t[1]:.0f} %)** | **{dense_rate}** |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--dense-results", nargs="*", default=[])
    parser.add_argument("--results", default="", help="write the scores as JSON here")
    args = parser.parse_args()
    rows = []
    for entry in quality.SETS + quality.HELDOUT:
        rows.append(contest(entry, args.seeds))
        print(rows[-1]["name"], rows[-1]["scores"], flush=True)
    if args.results:
        with open(args.results, "w") as f:
            json.dump(rows, f, indent=1)
    print(markdown(rows, dense_goal_counts(args.dense_results), args.seeds))


if __name__ == "__main__":
    main()
