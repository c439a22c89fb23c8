// Fairness across segments (fairness.hpp): disparate impact and equal opportunity difference on
// counts whose rates are worked out by hand in each case; the edge cases of the segment sizes.
// The figures from data (pandas, scikit-learn) are checked end to end: tests/e2e/test_segments.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "driftgate/fairness.hpp"

using namespace driftgate;

namespace {
policy with_min_rows(std::size_t n) {
    policy p;
    p.segments.min_rows = n;
    return p;
}
} // namespace

TEST_CASE("disparate impact: lowest / highest approval rate over the judged segments", "[fairness]") {
    // SEX=1: 300 of 500 approved (0.6); SEX=2: 180 of 400 (0.45); SEX=9: 1 of 10, too small.
    // 0.45 / 0.6 = 0.75 < 0.8: a warning under the four-fifths rule.
    const std::vector<segment_outcomes> s{{"SEX=1", 500, 300, 0, 0}, {"SEX=2", 400, 180, 0, 0}, {"SEX=9", 10, 1, 0, 0}};
    const check c = disparate_impact_check("SEX", s, with_min_rows(100));
    CHECK(c.section == "fairness");
    CHECK(c.name == "disparate_impact");
    CHECK(c.column == "SEX");
    CHECK(c.value == Approx(0.75).epsilon(1e-15));
    CHECK(c.level == severity::warning);
    CHECK(c.details.find("judged_segments")->as_double() == 2);
    const field* small = c.details.find("segments")->find("SEX=9");
    REQUIRE(small);
    CHECK_FALSE(small->find("judged")->as_bool());
    CHECK(small->find("rate")->as_double() == Approx(0.1));
    // At 0.8 exactly the rule (strictly below) holds: 0.48 / 0.6.
    const std::vector<segment_outcomes> at{{"a", 500, 300, 0, 0}, {"b", 500, 240, 0, 0}};
    const check ok = disparate_impact_check("G", at, with_min_rows(100));
    CHECK(ok.value == Approx(0.8).epsilon(1e-15));
    CHECK(ok.level == severity::ok);
    // A configured critical bound.
    policy p = with_min_rows(100);
    p.fairness.disparate_impact.critical = 0.76;
    CHECK(disparate_impact_check("SEX", s, p).level == severity::critical);
}

TEST_CASE("equal opportunity difference: the largest gap in the approval rate of label-0 rows", "[fairness]") {
    // Label-0 rows: a 90 of 100 approved, b 140 of 200 (0.7), c 80 of 100 (0.8): gap 0.9 - 0.7.
    const std::vector<segment_outcomes> s{{"a", 150, 95, 100, 90}, {"b", 300, 150, 200, 140}, {"c", 120, 85, 100, 80}};
    const check c = equal_opportunity_check("G", s, with_min_rows(100));
    CHECK(c.name == "equal_opportunity_difference");
    CHECK(c.value == Approx(0.2).epsilon(1e-14));
    CHECK(c.level == severity::warning);  // > 0.1
    // The size rule counts label-0 rows: with min_rows 150, only b has enough.
    const check few = equal_opportunity_check("G", s, with_min_rows(150));
    CHECK(few.level == severity::warning);  // asked for and not judged: never a pass
    CHECK(std::isnan(few.value));
    CHECK(few.note == "not judged: fewer than two segments with at least 150 label-0 rows ([segments] min_rows)");
}

TEST_CASE("fairness edge cases: nothing to compare, no approvals at all", "[fairness]") {
    // Fewer than two judged segments: not judged, a warning (a gate does not pass what it could not judge).
    const std::vector<segment_outcomes> one{{"a", 500, 300, 0, 0}};
    CHECK(disparate_impact_check("G", one, with_min_rows(100)).level == severity::warning);
    CHECK(disparate_impact_check("G", one, with_min_rows(100)).note ==
          "not judged: fewer than two segments with at least 100 rows ([segments] min_rows)");
    const std::vector<segment_outcomes> none;
    CHECK(disparate_impact_check("G", none, with_min_rows(100)).level == severity::warning);
    const std::vector<segment_outcomes> small{{"a", 1000, 667, 0, 0}, {"b", 99, 0, 0, 0}};
    CHECK(disparate_impact_check("G", small, with_min_rows(100)).level == severity::warning);
    // No judged segment approves anyone: 0 / 0 is undefined, judged as a breach (fail closed).
    const std::vector<segment_outcomes> zero{{"a", 500, 0, 0, 0}, {"b", 400, 0, 0, 0}};
    const check c = disparate_impact_check("G", zero, with_min_rows(100));
    CHECK(std::isnan(c.value));
    CHECK(c.level == severity::warning);
    CHECK(c.note == "undefined; judged as a breach");
    // One segment approving nobody: ratio 0, a breach.
    const std::vector<segment_outcomes> shut{{"a", 500, 250, 0, 0}, {"b", 400, 0, 0, 0}};
    CHECK(disparate_impact_check("G", shut, with_min_rows(100)).value == 0.0);
}
