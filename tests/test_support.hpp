// Helpers shared by the library's unit tests.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "driftgate/core.hpp"

namespace test_support {

inline const double kNaN = std::numeric_limits<double>::quiet_NaN();
inline const double kInf = std::numeric_limits<double>::infinity();

/// Relative closeness for values that are not exactly reproducible (weighted cumulative sums,
/// variances): |a - b| <= rel * max(|a|, |b|).
inline bool close_rel(double a, double b, double rel) {
    return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

/// Runs f and requires a driftgate::error with the given id whose message contains `fragment`.
template <class F>
void require_error(F&& f, driftgate::errc id, const std::string& fragment) {
    try {
        f();
        FAIL("no driftgate::error thrown");
    } catch (const driftgate::error& e) {
        INFO(e.what());
        REQUIRE(e.id() == id);
        REQUIRE(std::string(e.what()).find(fragment) != std::string::npos);
    }
}

} // namespace test_support
