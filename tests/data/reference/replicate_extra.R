## Reference values for `tryghed stats ... --replicates jk1|jkn` on the verbs
## beyond mean and total: ratio, prop (svyciprop), contrast and ttest on a
## replicate design made by as.svrepdesign (R survey 4.1.1).
## Run from tests/data/reference:  Rscript replicate_extra.R
## (writes replicate_extra_values.csv; replicate_extra_cases.csv maps each row
## to its command line; tests/stats/reference_test.cpp compares them).
## t intervals use df = degf() of the (subset) replicate design, as the engine.
suppressMessages(library(survey))
clus1 <- read.csv("data/api_apiclus1.csv")
strat <- read.csv("data/api_apistrat.csv")
r1 <- as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = clus1), type = "JK1")
rs <- as.svrepdesign(svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = strat), type = "JKn")
D1 <- "as.svrepdesign(svydesign(id=~dnum,weights=~pw,fpc=~fpc,data=apiclus1),type='JK1')"
DS <- "as.svrepdesign(svydesign(id=~1,strata=~stype,weights=~pw,fpc=~fpc,data=apistrat),type='JKn')"
rows <- list()
add <- function(id, dataset, design, statistic, domain, est, se, lo, hi, df, note = "") {
  rows[[length(rows) + 1]] <<- data.frame(id = id, section = "R.replicates", dataset = dataset, design = design,
    statistic = statistic, domain = domain, estimate = unname(est), se = unname(se), ci_lower = unname(lo),
    ci_upper = unname(hi), ci_method = "wald_t", df = unname(df), rel_tol = 1e-8, note = note,
    stringsAsFactors = FALSE)
}
wald <- function(est, se, df) as.vector(est) + c(-1, 1) * qt(0.975, df) * as.vector(se)

## R01 ratio, JK1; R02 ratio by stype, JKn
r <- svyratio(~api.stu, ~enroll, r1)
e <- coef(r); s <- SE(r); ci <- wald(e, s, degf(r1))
add("R01.ratio_JK1", "apiclus1", D1, "svyratio(~api.stu, ~enroll, design)", "", e, s, ci[1], ci[2], degf(r1))
b <- svyby(~api.stu, ~stype, rs, svyratio, denominator = ~enroll)
for (i in 1:3) {
  lv <- c("E", "H", "M")[i]
  e <- coef(b)[i]; s <- SE(b)[i]; ci <- wald(e, s, degf(rs))
  add(paste0("R02.ratio_JKn.stype=", lv), "apistrat", DS,
      "svyby(~api.stu, ~stype, design, svyratio, denominator=~enroll)", paste0("stype=", lv), e, s, ci[1], ci[2],
      degf(rs))
}

## R03 svyciprop on the JK1 design, every method R has on a replicate design
## (method "likelihood" gives NA there: the engine refuses it); R04 on a
## domain of the JKn design
prop <- function(id, design, dname, domain, method) {
  p <- svyciprop(~I(sch.wide == "Yes"), design, method = method)
  ci <- attr(p, "ci")
  add(id, dname, "", sprintf("svyciprop(~I(sch.wide=='Yes'), %s, method='%s')", domain, method), domain,
      as.numeric(p), sqrt(as.numeric(attr(p, "var"))), ci[1], ci[2], degf(design))
}
for (m in c("logit", "asin", "beta", "mean", "xlogit"))
  prop(paste0("R03.prop_JK1.", m), r1, "apiclus1", "", m)
sE <- subset(rs, stype == "E")
for (m in c("logit", "beta", "mean", "asin"))
  prop(paste0("R04.prop_JKn.stype=E.", m), sE, "apistrat", "stype=E", m)
prop("R04.prop_JKn.all.logit", rs, "apistrat", "", "logit")

## R05 contrast of domain means (JKn), R06 contrast of two variables (JK1)
b <- svyby(~api00, ~stype, rs, svymean, covmat = TRUE)
k <- svycontrast(b, c(E = 1, H = -1, M = 0))
ci <- wald(coef(k), SE(k), degf(rs))
add("R05.contrast_JKn.E-H", "apistrat", DS, "svycontrast(svyby(~api00,~stype,design,svymean,covmat=TRUE), c(1,-1,0))",
    "", coef(k), SE(k), ci[1], ci[2], degf(rs))
k <- svycontrast(svymean(~api00 + api99, r1), c(1, -1))
ci <- wald(coef(k), SE(k), degf(r1))
add("R06.contrast_JK1.api00-api99", "apiclus1", D1, "svycontrast(svymean(~api00+api99, design), c(1,-1))", "",
    coef(k), SE(k), ci[1], ci[2], degf(r1))

## R07, R08 svyttest on a subset of a replicate design (the two groups)
tt <- function(id, design, dname, formula, call) {
  t <- svyttest(formula, design)
  m <- svyglm(formula, design)
  stopifnot(abs(confint(m, parm = 2) - t$conf.int) < 1e-12)  # R's interval: t(df.residual)
  ci <- wald(t$estimate, t$estimate / t$statistic, t$parameter)
  stopifnot(abs(ci - as.numeric(t$conf.int)) < 1e-9 * abs(t$estimate))
  add(id, dname, "", call, "", t$estimate, t$estimate / t$statistic, t$conf.int[1], t$conf.int[2], t$parameter,
      note = sprintf("t = %.15g, p = %.15g", t$statistic, t$p.value))
}
tt("R07.ttest_JK1.H-E", subset(r1, stype %in% c("E", "H")), "apiclus1", api00 ~ I(stype == "H"),
   "svyttest(api00 ~ I(stype=='H'), subset(design, stype %in% c('E','H')))")
tt("R08.ttest_JKn.Yes-No", rs, "apistrat", api00 ~ I(sch.wide == "Yes"),
   "svyttest(api00 ~ I(sch.wide=='Yes'), design)")

## R09 svyquantile on replicate designs (interval.type "mean": Woodruff with the
## replicate variance; df = degf of the design, or of the domain's subset)
qrow <- function(id, design, dname, domain, p) {
  q <- svyquantile(~api00, design, p)$api00
  add(id, dname, "", sprintf("svyquantile(~api00, %s, %g)", domain, p), domain, q[1, 1], q[1, 4],
      q[1, 2], q[1, 3], degf(design))
}
qrow("R09.quantile_JK1.p0.5", r1, "apiclus1", "", 0.5)
qrow("R09.quantile_JK1.p0.25", r1, "apiclus1", "", 0.25)
qrow("R09.quantile_JKn.stype=M.p0.5", subset(rs, stype == "M"), "apistrat", "stype=M", 0.5)

out <- do.call(rbind, rows)
write.csv(out, "replicate_extra_values.csv", row.names = FALSE)
