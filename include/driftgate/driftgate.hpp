// driftgate — umbrella header: the whole library.
//
// Drift and model-performance statistics for credit-risk scoring, header-only C++20:
//   sample.hpp          sort a sample once, missing values (NaN) set aside
//   quantile.hpp        quantiles, numpy's linear method
//   binning.hpp         bin edges learned from a reference (quantile, uniform, edges, distinct)
//   psi.hpp             PSI / CSI with per-bin shares and contributions, epsilon smoothing
//   kolmogorov.hpp      one-sample Kolmogorov distributions (exact, limiting) and Smirnov's
//   ks.hpp              two-sample Kolmogorov-Smirnov test with exact / asymptotic p-values and ln p
//   chi2.hpp            chi-square test of homogeneity (categories, codes), Cramér's V, chi-square ln sf
//   distance.hpp        Jensen-Shannon distance (shares over bins), Wasserstein distance (samples)
//   multiple_testing.hpp  Bonferroni, Holm, Benjamini-Hochberg adjusted p-values (and ln p)
//   roc.hpp             ROC curve, AUC / Gini, classifier KS (includes delong.hpp)
//   delong.hpp          DeLong variance and interval, summarize_roc, AUC comparisons
//   classification.hpp  confusion matrix at a threshold, Wilson intervals, Brier, log loss, Murphy
//   proxy.hpp           shares above / below a threshold, mean score, latency quantiles, rates
//   severity.hpp        threshold rules and bands -> severities, docs/policy.md's rules
//   report.hpp          a run's judged checks (with a small tree of figures) and its status
//   report_json.hpp     a report as the CLI's JSON (no JSON library needed)
// The monitor (a whole run from two snapshots, as `driftgate check`):
//   policy.hpp          the monitoring policy: kinds, tests, thresholds, severities, overrides
//   policy_keys.hpp     the table of configuration keys (policy_toml.hpp reads TOML; needs toml++)
//   profile.hpp         snapshot profiles: computed once, merged exactly (profile_io.hpp: as bytes)
//   checks_base.hpp     what every check is built with: judged and event checks, shared thresholds
//   checks_schema.hpp   the monitored columns and their kinds; schema checks (dropped, new, changed kind)
//   checks_quality.hpp  data-quality checks of one feature (missing share, range, unseen values)
//   checks_drift.hpp    drift checks of one feature (PSI, KS / chi-square, effect sizes) and the CSI
//   checks_performance.hpp  performance and proxy checks
//   fairness.hpp        disparate impact and equal opportunity across segments
//   cbpe.hpp            performance estimated from calibrated PDs (no labels), Hosmer-Lemeshow
//   checks_estimate.hpp estimated performance and calibration checks (`driftgate estimate`)
// Optional, with Eigen (not included here): pca_drift.hpp, multivariate drift by PCA
// reconstruction error.
//   evaluate.hpp        evaluate(reference, current, policy) -> report
//   timestamp.hpp       RFC 3339 date-times <-> microseconds since the epoch, civil dates
//   windows.hpp         time windows of rows: days, ISO weeks, months, N rows; their names
//   service.hpp         service metrics of a request log: latency, error rates, throughput,
//                       sustained windows, judged into checks
// detail/ holds internal headers (argument checks, the exact KS recursions, ...): no interface.
#pragma once

#include "driftgate/version.hpp"
#include "driftgate/core.hpp"
#include "driftgate/sample.hpp"
#include "driftgate/quantile.hpp"
#include "driftgate/binning.hpp"
#include "driftgate/psi.hpp"
#include "driftgate/kolmogorov.hpp"
#include "driftgate/ks.hpp"
#include "driftgate/chi2.hpp"
#include "driftgate/distance.hpp"
#include "driftgate/multiple_testing.hpp"
#include "driftgate/roc.hpp"
#include "driftgate/delong.hpp"
#include "driftgate/classification.hpp"
#include "driftgate/proxy.hpp"
#include "driftgate/severity.hpp"
#include "driftgate/report.hpp"
#include "driftgate/report_json.hpp"
#include "driftgate/policy.hpp"
#include "driftgate/policy_keys.hpp"
#include "driftgate/profile.hpp"
#include "driftgate/profile_io.hpp"
#include "driftgate/checks_base.hpp"
#include "driftgate/checks_schema.hpp"
#include "driftgate/checks_quality.hpp"
#include "driftgate/checks_drift.hpp"
#include "driftgate/checks_performance.hpp"
#include "driftgate/fairness.hpp"
#include "driftgate/cbpe.hpp"
#include "driftgate/checks_estimate.hpp"
#include "driftgate/evaluate.hpp"
#include "driftgate/timestamp.hpp"
#include "driftgate/windows.hpp"
#include "driftgate/service.hpp"
