## chisq_values.R -- reference values for the Rao-Scott corrected chi-square
## (survey::svychisq, default statistic = "F") used by tests/stats/chisq_test.cpp.
## Usage: Rscript chisq_values.R   (in tests/data/reference/; reads data/*.csv)
## Output: chisq_values.csv, same columns as reference_values.csv; one row per
## quantity: .F (the F statistic = Pearson X2 / mean eigenvalue... see svychisq),
## .ndf, .ddf, .p, .pearson (X2 on the weighted table scaled to n).
suppressMessages(library(survey))
options(survey.lonely.psu = "fail")
rows <- list()
add <- function(id, dataset, design, statistic, estimate, note = "")
  rows[[length(rows) + 1]] <<- data.frame(id = id, section = "X.chisq", dataset = dataset, design = design,
    statistic = statistic, domain = "", estimate = unname(as.numeric(estimate)), se = NA, ci_lower = NA,
    ci_upper = NA, ci_method = "", df = NA, rel_tol = 1e-6, note = note, stringsAsFactors = FALSE)
rec <- function(idp, dataset, dlabel, stat, x) {
  add(paste0(idp, ".F"), dataset, dlabel, stat, x$statistic)
  add(paste0(idp, ".ndf"), dataset, dlabel, stat, x$parameter[["ndf"]])
  add(paste0(idp, ".ddf"), dataset, dlabel, stat, x$parameter[["ddf"]])
  add(paste0(idp, ".p"), dataset, dlabel, stat, x$p.value)
}
clus <- read.csv("data/api_apiclus1.csv", stringsAsFactors = FALSE)
strat <- read.csv("data/api_apistrat.csv", stringsAsFactors = FALSE)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = clus, fpc = ~fpc)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = strat, fpc = ~fpc)
rec("X10.svychisq_schwide_stype_dclus1", "apiclus1", "svydesign(id=~dnum,weights=~pw,fpc=~fpc,data=apiclus1)",
    "svychisq(~sch.wide+stype, dclus1)", svychisq(~sch.wide + stype, dclus1))
rec("X11.svychisq_schwide_awards_dstrat", "apistrat", "svydesign(id=~1,strata=~stype,weights=~pw,fpc=~fpc,data=apistrat)",
    "svychisq(~sch.wide+awards, dstrat)", svychisq(~sch.wide + awards, dstrat))
s <- read.csv("data/safety_survey.csv", stringsAsFactors = FALSE)
des <- svydesign(id = ~1, strata = ~stratum, fpc = ~N_h, weights = ~w_design, data = s)
rec("X12.svychisq_agegroup_tenure_safety", "safety_survey",
    "svydesign(id=~1, strata=~stratum, fpc=~N_h, weights=~w_design)", "svychisq(~age_group+tenure, des)",
    svychisq(~age_group + tenure, des))
write.csv(do.call(rbind, rows), "chisq_values.csv", row.names = FALSE, na = "")
