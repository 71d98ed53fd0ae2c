## calibration_values.R -- extra reference values for tests/stats/calibration_test.cpp:
## bounded calibration and trimWeights, which reference.R does not cover.
## Usage: Rscript calibration_values.R   (in tests/data/reference/; reads data/*.csv)
## Output: calibration_values.csv, same columns as reference_values.csv.
suppressMessages(library(survey))
options(survey.lonely.psu = "fail")
rows <- list()
add_stat <- function(id, design, statistic, m, note = "") {
  rows[[length(rows) + 1]] <<- data.frame(id = id, section = "X.calibration", dataset = "apiclus1",
    design = design, statistic = statistic, domain = "", estimate = unname(coef(m)), se = unname(SE(m)),
    ci_lower = NA, ci_upper = NA, ci_method = "", df = NA, rel_tol = 1e-6, note = note, stringsAsFactors = FALSE)
}
clus <- read.csv("data/api_apiclus1.csv", stringsAsFactors = FALSE)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = clus, fpc = ~fpc)
pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
D <- "calibrate(dclus1, ~stype+api99, c(6194, stypeH=755, stypeM=1018, api99=3914069)"
cb <- calibrate(dclus1, ~stype + api99, pop, bounds = c(0.7, 1.7), epsilon = 1e-12, maxit = 200)
add_stat("X20.api00_mean_cal_linear_bounded", paste0(D, ", bounds=c(0.7,1.7), epsilon=1e-12)"), "svymean(~api00)",
         svymean(~api00, cb), note = sprintf("g range %.12g..%.12g", min(weights(cb) / weights(dclus1)), max(weights(cb) / weights(dclus1))))
crb <- calibrate(dclus1, ~stype + api99, pop, bounds = c(0.7, 1.7), calfun = "raking", epsilon = 1e-12, maxit = 200)
add_stat("X21.api00_mean_cal_raking_bounded", paste0(D, ", bounds=c(0.7,1.7), calfun='raking', epsilon=1e-12)"),
         "svymean(~api00)", svymean(~api00, crb))
ps <- postStratify(dclus1, ~stype, data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)))
tw <- trimWeights(ps, upper = 50, lower = 0)
add_stat("X22.api00_mean_poststrat_trimmed", "trimWeights(postStratify(dclus1, ~stype, 4421/755/1018), upper=50, lower=0)",
         "svymean(~api00)", svymean(~api00, tw), note = sprintf("max weight %.12g", max(weights(tw))))
add_stat("X23.enroll_total_poststrat_trimmed", "trimWeights(postStratify(dclus1, ~stype, 4421/755/1018), upper=50, lower=0)",
         "svytotal(~enroll)", svytotal(~enroll, tw))
write.csv(do.call(rbind, rows), "calibration_values.csv", row.names = FALSE, na = "")
