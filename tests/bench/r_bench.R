# The benchmark work in R's survey package, on the same CSV as stats_bench.
# Usage: Rscript tests/bench/r_bench.R DATA.csv MARGINS.csv WORK
#   WORK = domain_means | rake | bootstrap
# Prints the elapsed and the CPU (user + system) seconds of the work, not of
# reading the file. On a shared machine the CPU seconds are the fairer figure.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
work <- args[3]
items <- as.formula(paste("~", paste(paste0("q", 1:8), collapse = "+")))
p0 <- proc.time()
des <- svydesign(id = ~1, strata = ~stratum, fpc = ~N_h, weights = ~w, data = d)
if (work == "domain_means") {
  r <- svyby(items, ~wave + area, des, svymean, na.rm = TRUE)
  ci <- confint(r, df = degf(des))
} else if (work == "rake") {
  m <- read.csv(args[2])
  pop <- function(name) {
    x <- m[m$margin == name, ]
    df <- data.frame(level = x$level, Freq = x$N)
    names(df)[1] <- name
    df
  }
  r <- rake(des, list(~sex, ~age, ~tenure), list(pop("sex"), pop("age"), pop("tenure")))
} else if (work == "bootstrap") {
  set.seed(1)
  rep <- as.svrepdesign(des, type = "bootstrap", replicates = 500)
  r <- svyby(items, ~wave + area, rep, svymean, na.rm = TRUE)
  ci <- confint(r, df = degf(rep))
}
p1 <- proc.time() - p0
cat(sprintf("%s: %.3f s elapsed, %.3f s CPU\n", work, p1[["elapsed"]], p1[["user.self"]] + p1[["sys.self"]]))
