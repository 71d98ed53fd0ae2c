## Extra reference values for the stats tests that reference_values.csv does not
## cover: Hommel p.adjust, Wilson / Clopper-Pearson / exact Poisson intervals,
## power.prop.test, omega (psych) and area reliability (one-way ANOVA, psych::statsBy).
## Run from tests/data/reference:  Rscript extra_values.R   (writes extra_values.csv)
## Made with Debian 12's r-base-core 4.2.2 and r-cran-psych; R is a fixture tool only.
suppressMessages(library(psych))
rows <- list()
add <- function(id, dataset, statistic, domain, estimate, se = NA, lo = NA, hi = NA,
                ci_method = "", df = NA, rel_tol = 1e-9, note = "") {
  rows[[length(rows) + 1]] <<- data.frame(id = id, section = "E.extra", dataset = dataset, design = "",
    statistic = statistic, domain = domain, estimate = estimate, se = se, ci_lower = lo, ci_upper = hi,
    ci_method = ci_method, df = df, rel_tol = rel_tol, note = note, stringsAsFactors = FALSE)
}

## E01, E02: Hommel
pfix <- c(0.0001, 0.004, 0.019, 0.021, 0.03, 0.04, 0.2, 0.5, 0.5, 0.9)
adj <- p.adjust(pfix, "hommel")
for (i in seq_along(pfix))
  add(sprintf("E01.padjust_fixed_hommel.p%02d", i), "fixed vector",
      "p.adjust(c(0.0001,0.004,0.019,0.021,0.03,0.04,0.2,0.5,0.5,0.9), 'hommel')",
      sprintf("p[%d]=%g", i, pfix[i]), adj[i], rel_tol = 1e-12)
p3 <- c(0.01, 0.02, 0.04); adj3 <- p.adjust(p3, "hommel")
for (i in seq_along(p3))
  add(sprintf("E02.padjust_hommel3.p%d", i), "fixed vector", "p.adjust(c(0.01,0.02,0.04), 'hommel')",
      sprintf("p[%d]=%g", i, p3[i]), adj3[i], rel_tol = 1e-12)

## E03 Wilson (prop.test without continuity correction), E04 Clopper-Pearson (binom.test)
for (xn in list(c(7, 20), c(0, 10), c(10, 10), c(205, 293))) {
  w <- prop.test(xn[1], xn[2], correct = FALSE)$conf.int
  add(sprintf("E03.wilson.%d_of_%d", xn[1], xn[2]), "fixed counts",
      sprintf("prop.test(%d, %d, correct=FALSE)$conf.int", xn[1], xn[2]), "", xn[1] / xn[2],
      lo = w[1], hi = w[2], ci_method = "wilson", rel_tol = 1e-9)
  b <- binom.test(xn[1], xn[2])$conf.int
  add(sprintf("E04.clopper_pearson.%d_of_%d", xn[1], xn[2]), "fixed counts",
      sprintf("binom.test(%d, %d)$conf.int", xn[1], xn[2]), "", xn[1] / xn[2],
      lo = b[1], hi = b[2], ci_method = "clopper_pearson", rel_tol = 1e-9)
}
## 90 % level
b90 <- binom.test(7, 20, conf.level = 0.9)$conf.int
add("E04.clopper_pearson.7_of_20.level90", "fixed counts", "binom.test(7, 20, conf.level=0.9)$conf.int", "",
    7 / 20, lo = b90[1], hi = b90[2], ci_method = "clopper_pearson", rel_tol = 1e-9)

## E05 exact Poisson
for (x in c(0, 1, 12, 250)) {
  ci <- poisson.test(x)$conf.int
  add(sprintf("E05.poisson_exact.%d", x), "fixed counts", sprintf("poisson.test(%d)$conf.int", x), "", x,
      lo = ci[1], hi = ci[2], ci_method = "poisson_exact", rel_tol = 1e-9)
}
pt <- poisson.test(12, T = 4500 / 1000)
add("E05.poisson_rate.12_per_4500", "fixed counts", "poisson.test(12, T = 4500/1000) (rate per 1,000)", "",
    unname(pt$estimate), lo = pt$conf.int[1], hi = pt$conf.int[2], ci_method = "poisson_exact", rel_tol = 1e-9)

## E06 power.prop.test solved for p2 (tight tolerance; default tol is only ~1e-4)
for (p1 in c(0.3, 0.5)) {
  pp <- power.prop.test(n = 200, p1 = p1, power = 0.8, sig.level = 0.05, tol = 1e-12)
  add(sprintf("E06.power_prop_p2.n200_p%g", p1), "fixed", sprintf("power.prop.test(n=200, p1=%g, power=0.8, tol=1e-12)$p2 - p1", p1),
      "", pp$p2 - p1, rel_tol = 1e-7, note = "minimum detectable increase, pooled-null variance (strict=FALSE)")
}
## E07 power.t.test (noncentral t) for comparison with the normal approximation
pw <- power.t.test(n = 200, sd = 20, power = 0.8, sig.level = 0.05, tol = 1e-12)
add("E07.power_t_delta.n200_sd20", "fixed", "power.t.test(n=200, sd=20, power=0.8, tol=1e-12)$delta", "",
    pw$delta, rel_tol = 5e-3, note = "noncentral t; the engine's normal approximation is within 0.5 % at n = 200")

## E08 omega total, one factor, complete cases of the safety survey items (q4, q6 reversed)
s <- read.csv("data/safety_survey.csv", stringsAsFactors = FALSE)
items <- paste0("q", 1:7)
X <- as.matrix(s[, items]); X[, c("q4", "q6")] <- 6 - X[, c("q4", "q6")]
Xcc <- X[complete.cases(X), ]
om <- suppressMessages(suppressWarnings(psych::omega(Xcc, nfactors = 1, plot = FALSE)))
f1 <- psych::fa(Xcc, nfactors = 1, fm = "minres")
L <- as.vector(f1$loadings)
Rm <- cor(Xcc)
add("E08.omega_total_cc", "safety_survey", "psych::omega(Xcc, nfactors=1)$omega.tot", "all", om$omega.tot,
    rel_tol = 1e-4, note = sprintf("n=%d complete cases; minres fit, optimiser tolerance limits agreement", nrow(Xcc)))
add("E08.omega_model_cc", "safety_survey", "(sum(L))^2/((sum(L))^2+sum(1-L^2)), L = fa(Xcc,1,fm='minres') loadings",
    "all", sum(L)^2 / (sum(L)^2 + sum(1 - L^2)), rel_tol = 1e-4)
add("E08.omega_h_cc", "safety_survey", "psych::omega(Xcc, nfactors=1)$omega_h = (sum(L))^2/sum(cor(Xcc))", "all",
    om$omega_h, rel_tol = 1e-4)
for (j in seq_along(items))
  add(sprintf("E08.fa_minres_loading.%s", items[j]), "safety_survey", "psych::fa(Xcc, 1, fm='minres')$loadings",
      items[j], L[j], rel_tol = 1e-4)

## E10 psych::alpha item statistics on the complete cases (B23's scale)
acc <- psych::alpha(as.data.frame(Xcc), warnings = FALSE)
for (q in items) {
  add(sprintf("E10.alpha_cc.r_drop.%s", q), "safety_survey", "psych::alpha(Xcc)$item.stats[q, 'r.drop']", q,
      acc$item.stats[q, "r.drop"], rel_tol = 1e-9)
  add(sprintf("E10.alpha_cc.std_alpha_if_dropped.%s", q), "safety_survey", "psych::alpha(Xcc)$alpha.drop[q, 'std.alpha']",
      q, acc$alpha.drop[q, "std.alpha"], rel_tol = 1e-9)
  add(sprintf("E10.alpha_cc.average_r_if_dropped.%s", q), "safety_survey", "psych::alpha(Xcc)$alpha.drop[q, 'average_r']",
      q, acc$alpha.drop[q, "average_r"], rel_tol = 1e-9)
}
add("E10.alpha_cc.average_r", "safety_survey", "psych::alpha(Xcc)$total$average_r", "all", acc$total$average_r,
    rel_tol = 1e-9)

## E09 area reliability: one-way ANOVA of the index by stratum (15 = wave x district), all waves
R100 <- (X - 1) / 4 * 100
nans <- rowSums(!is.na(X))
s$index <- ifelse(nans >= 4, rowMeans(R100, na.rm = TRUE), NA)
d <- s[!is.na(s$index), c("stratum", "index")]
a <- anova(lm(index ~ factor(stratum), data = d))
msb <- a[1, "Mean Sq"]; msw <- a[2, "Mean Sq"]
ng <- table(d$stratum); N <- sum(ng); G <- length(ng)
n0 <- (N - sum(ng^2) / N) / (G - 1)
tau2 <- max(0, (msb - msw) / n0)
## statsBy fails with a single variable (psych 2.2.9): give it a second, unused one.
d$g <- as.numeric(factor(d$stratum)); d$sqrt_index <- sqrt(d$index)
sb <- psych::statsBy(d[, c("g", "index", "sqrt_index")], group = "g")
add("E09.area_rel.ms_between", "safety_survey", "anova(lm(index ~ stratum))", "", msb, rel_tol = 1e-9)
add("E09.area_rel.ms_within", "safety_survey", "anova(lm(index ~ stratum))", "", msw, rel_tol = 1e-9)
add("E09.area_rel.n0", "safety_survey", "(N - sum(n_g^2)/N)/(G-1)", "", n0, rel_tol = 1e-12)
add("E09.area_rel.tau2", "safety_survey", "max(0, (MSB-MSW)/n0)", "", tau2, rel_tol = 1e-9)
add("E09.area_rel.icc_n0", "safety_survey", "tau2/(tau2 + MSW) with n0", "", tau2 / (tau2 + msw), rel_tol = 1e-9,
    note = sprintf("psych::statsBy ICC1 = %.12g uses the mean group size N/G instead of n0", sb$ICC1["index"]))
add("E09.area_rel.icc2_statsBy", "safety_survey", "psych::statsBy(d, group='stratum')$ICC2['index']", "",
    unname(sb$ICC2["index"]), rel_tol = 1e-9)
for (g in names(ng))
  add(sprintf("E09.area_rel.lambda.%s", g), "safety_survey", "tau2/(tau2 + MSW/n_g)", g,
      tau2 / (tau2 + msw / ng[[g]]), rel_tol = 1e-9)

out <- do.call(rbind, rows)
write.csv(out, "extra_values.csv", row.names = FALSE, na = "")
cat(sprintf("wrote %d rows\n", nrow(out)))
