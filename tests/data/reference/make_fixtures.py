#!/usr/bin/env python3
"""Builds data/safety_with_derived.csv, the input of the `tryghed stats`
reference cases (cli_cases.csv) for the safety survey.

It is data/safety_survey.csv joined with respondent_derived.csv on resp_id
(index, unsafe, n_answered and the calibrated weights R computed), plus the
reverse-coded items q4r = 6 - q4 and q6r = 6 - q6 that psych::alpha was run
on in reference.R, and reference.R's calibration cells: wa = W<wave>_<area>,
wa_agesex = wa:<age_group>_<sex>, wa_age = wa:<age_group>, wa_sex = wa:<sex>,
wa_ten = wa:<tenure>. Cells are copied as text; a missing value stays empty.

It also writes the population figures of those cells (reference.R's
mk_pop: population_margins.csv per area, the same for each wave) in the
margins,level,N form of `tryghed stats`:
  data/margins_safety_agesex.csv  post-strata wa_agesex (B09, B10)
  data/margins_safety_rake.csv    raking margins wa_age, wa_sex, wa_ten (B11, B13-B15)
  data/margins_safety_cal.csv     the columns of R's model matrix for
      ~wa_f + wa_f:age_f + wa_f:sex_f + wa_f:ten_f (intercept, wa dummies but
      the first level, and per wa level the age, sex and tenure dummies but
      each factor's first level), as `--calibrate` rows (B16, B17)

Usage (from the repository root):  python3 tests/data/reference/make_fixtures.py
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    survey = read(os.path.join(HERE, "data", "safety_survey.csv"))
    derived = {r["resp_id"]: r for r in read(os.path.join(HERE, "respondent_derived.csv"))}
    extra = ["n_answered", "index", "unsafe", "w_poststrat", "w_rake", "w_rake_default",
             "w_cal_linear", "w_cal_raking"]
    out_path = os.path.join(HERE, "data", "safety_with_derived.csv")
    with open(out_path, "w", newline="", encoding="utf-8") as f:
        names = list(survey[0].keys()) + extra + ["q4r", "q6r", "wa", "wa_agesex", "wa_age", "wa_sex", "wa_ten"]
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for r in survey:
            d = derived[r["resp_id"]]  # KeyError = the files disagree: fail loudly
            rev = {q + "r": ("" if r[q] == "" else str(6 - int(r[q]))) for q in ("q4", "q6")}
            wa = "W%s_%s" % (r["wave"], r["area"])
            cells = [wa, "%s:%s_%s" % (wa, r["age_group"], r["sex"]), "%s:%s" % (wa, r["age_group"]),
                     "%s:%s" % (wa, r["sex"]), "%s:%s" % (wa, r["tenure"])]
            w.writerow([r[k] for k in survey[0].keys()] + [d[k] for k in extra] + [rev["q4r"], rev["q6r"]] + cells)
    print("wrote", out_path, len(survey), "rows")
    margins = read(os.path.join(HERE, "data", "population_margins.csv"))

    def cells(margin, column):
        return [(column, "W%d_%s:%s" % (w, m["area"], m["level"]), m["N"])
                for w in (1, 2, 3) for m in margins if m["margin"] == margin]

    for name, rows in (("margins_safety_agesex.csv", cells("age_sex", "wa_agesex")),
                       ("margins_safety_rake.csv", cells("age_group", "wa_age") + cells("sex", "wa_sex")
                        + cells("tenure", "wa_ten"))):
        with open(os.path.join(HERE, "data", name), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["margin", "level", "N"])
            w.writerows(rows)
        print("wrote", name, len(rows), "rows")
    area_n = {}
    for m in margins:
        if m["margin"] == "district":
            area_n[m["area"]] = area_n.get(m["area"], 0) + int(m["N"])
    was = sorted("W%d_%s" % (w, a) for w in (1, 2, 3) for a in area_n)
    cal = [("(Intercept)", "", str(3 * sum(area_n.values())))]
    cal += [("wa", wa, str(area_n[wa[3:]])) for wa in was[1:]]
    for margin, column in (("age_group", "wa_age"), ("sex", "wa_sex"), ("tenure", "wa_ten")):
        for wa in was:
            levels = sorted(m["level"] for m in margins if m["margin"] == margin and m["area"] == wa[3:])
            for level in levels[1:]:
                n = [m["N"] for m in margins if m["margin"] == margin and m["area"] == wa[3:] and m["level"] == level]
                cal.append((column, "%s:%s" % (wa, level), n[0]))
    with open(os.path.join(HERE, "data", "margins_safety_cal.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["margin", "level", "N"])
        w.writerows(cal)
    print("wrote margins_safety_cal.csv", len(cal), "rows")


if __name__ == "__main__":
    main()
