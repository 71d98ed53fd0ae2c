#!/usr/bin/env python3
"""Synthetic national-scale survey for the statistics benchmarks.

Writes a CSV with one row per respondent: wave (1-10), area (1-20), stratum
(wave x area), N_h (population of the stratum, the fpc), w (N_h / n_h), sex,
age (4 bands), tenure (3 bands), and eight 1-5 items q1..q8 with about 3 %
missing (empty cells). Also writes the raking margins (margin,level,N) for
sex, age and tenure. Deterministic for a given --seed.

Example: tests/bench/make_data.py --rows 1000000 --out /tmp/bench
"""
import argparse
import os
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--waves", type=int, default=10)
    ap.add_argument("--areas", type=int, default=20)
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--out", required=True, help="output folder")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    strata = a.waves * a.areas
    per = a.rows // strata
    pop = {}
    margins = {"sex": [0, 0], "age": [0, 0, 0, 0], "tenure": [0, 0, 0]}
    with open(os.path.join(a.out, "survey.csv"), "w") as f:
        f.write("wave,area,stratum,N_h,w,sex,age,tenure," + ",".join(f"q{j}" for j in range(1, 9)) + "\n")
        for wave in range(1, a.waves + 1):
            for area in range(1, a.areas + 1):
                h = (wave - 1) * a.areas + area
                N_h = per * (4 + area % 5)
                pop[h] = N_h
                w = N_h / per
                for _ in range(per):
                    sex = 1 + (rng.random() < 0.52)
                    age = 1 + min(3, int(rng.random() * 4))
                    tenure = 1 + min(2, int(rng.random() * 3))
                    margins["sex"][sex - 1] += w
                    margins["age"][age - 1] += w
                    margins["tenure"][tenure - 1] += w
                    level = 2.5 + 0.05 * wave + 0.03 * area + 0.2 * (sex == 2) + rng.gauss(0, 0.8)
                    items = []
                    for j in range(8):
                        if rng.random() < 0.03:
                            items.append("")
                        else:
                            x = round(level + rng.gauss(0, 0.7))
                            items.append(str(min(5, max(1, x))))
                    f.write(f"{wave},{area},{h},{N_h},{w!r},{sex},{age},{tenure}," + ",".join(items) + "\n")
    # Raking targets: the weighted sample margins nudged by a few percent, so
    # the raking has work to do but always converges.
    with open(os.path.join(a.out, "margins.csv"), "w") as f:
        f.write("margin,level,N\n")
        total = sum(margins["sex"])
        for name, counts in margins.items():
            shifted = [c * (1 + 0.03 * ((i % 2) * 2 - 1)) for i, c in enumerate(counts)]
            scale = total / sum(shifted)
            for i, c in enumerate(shifted):
                f.write(f"{name},{i + 1},{c * scale!r}\n")


if __name__ == "__main__":
    main()
