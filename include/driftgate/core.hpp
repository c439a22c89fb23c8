// driftgate — common vocabulary: the error type, input conventions and small helpers shared by
// every statistic.
//
// Error policy (one for the whole library):
//   * Bad arguments (an empty sample, mismatched lengths, one class only, labels other than 0/1,
//     negative weights, a parameter out of range) throw driftgate::error, derived from
//     std::invalid_argument, carrying an errc id and a message that says what and where.
//   * NaN in a sample means "missing value". Each function documents what it does with missing
//     values (binning counts them in a bin of their own; KS excludes them and reports how many);
//     no function lets a NaN propagate silently into a result.
//   * Integer inputs are computed in double.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "driftgate/detail/uint128.hpp"
#include "driftgate/detail/wide_float.hpp"
#include "driftgate/version.hpp"

namespace driftgate {
inline namespace v0 {

/// What went wrong, for callers that map errors to exit codes or messages of their own.
enum class errc {
    empty_sample = 1,   ///< a sample with no (non-missing) value where one is needed
    length_mismatch,    ///< paired inputs (scores and labels, values and weights) differ in length
    one_class,          ///< labels hold only one class
    bad_label,          ///< a label other than 0 or 1 (or a missing label)
    negative_weight,    ///< a sample weight < 0, or non-finite
    invalid_parameter,  ///< an option out of its domain (bin count 0, level outside (0,1), ...)
    non_finite,         ///< a value that must be a number is not (a NaN score, an infinite value in a mean, ...)
    nothing_to_judge,   ///< no monitored column is in both snapshots (the wrong file?): a gate must not pass
    bad_format,         ///< a persisted profile that is corrupt, truncated or of a future format version
};

/// Readable name of an errc value ("empty_sample", ...).
[[nodiscard]] constexpr const char* to_string(errc e) noexcept {
    switch (e) {
    case errc::empty_sample: return "empty_sample";
    case errc::length_mismatch: return "length_mismatch";
    case errc::one_class: return "one_class";
    case errc::bad_label: return "bad_label";
    case errc::negative_weight: return "negative_weight";
    case errc::invalid_parameter: return "invalid_parameter";
    case errc::non_finite: return "non_finite";
    case errc::nothing_to_judge: return "nothing_to_judge";
    case errc::bad_format: return "bad_format";
    }
    return "unknown";
}

/// The library's exception: std::invalid_argument plus an errc id.
/// what() reads "driftgate: <function>: <message>".
class error : public std::invalid_argument {
public:
    error(errc id, const std::string& where, const std::string& message)
        : std::invalid_argument("driftgate: " + where + ": " + message), id_(id) {}
    [[nodiscard]] errc id() const noexcept { return id_; }

private:
    errc id_;
};

/// Element types accepted by the library: floating point (computed in its own precision where a
/// function says so, otherwise in double) and integers (computed in double).
template <class T>
concept arithmetic = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

/// Element types accepted for 0/1 labels: any arithmetic type, bool included.
template <class T>
concept label_value = std::is_arithmetic_v<T>;

/// A contiguous range (std::vector, std::array, std::span, ...): what the container overloads take.
template <class R>
concept contiguous_values = requires(const R& r) { std::span(r); };

namespace detail {

/// View any contiguous range as std::span<const element>, so container overloads reach the one
/// implementation (and a std::span<T> of non-const T does not recurse into the range overload).
template <contiguous_values R>
[[nodiscard]] auto as_const_span(const R& r) {
    auto s = std::span(r);
    using E = std::remove_cv_t<typename decltype(s)::element_type>;
    return std::span<const E>(s.data(), s.size());
}

/// A number in a message as it was written: the shortest text that reads back as the same double
/// (0.3, not std::to_string's 0.300000; 1e-300, not 0.000000), "nan", "inf" or "-inf".
[[nodiscard]] inline std::string shortest(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

inline void require(bool condition, errc id, const char* where, const std::string& message) {
    if (!condition) throw error(id, where, message);
}

/// A value is missing when it is NaN (integers are never missing).
template <class T>
[[nodiscard]] constexpr bool is_missing(T v) noexcept {
    if constexpr (std::is_floating_point_v<T>)
        return v != v;
    else
        return false;
}

/// Neumaier's compensated sum in wide_float (long double where it is wide, else double): sums
/// over up to 1e7 terms (AUC, Brier, Wasserstein) good to ~1e-16 relative in either.
struct compensated_sum {
    wide_float sum = 0, comp = 0;
    void add(wide_float x) noexcept {
        const wide_float t = sum + x;
        if (std::fabs(sum) >= std::fabs(x))
            comp += (sum - t) + x;
        else
            comp += (x - t) + sum;
        sum = t;
    }
    [[nodiscard]] wide_float value() const noexcept { return sum + comp; }
};

inline constexpr double ln_sqrt_2pi = 0.91893853320467274178032973640562; // log(sqrt(2 pi))

/// Stirling's error term log(n!) - [(n + 1/2) log n - n + log sqrt(2 pi)], log(n!) = lgamma(n + 1),
/// for real n > 0 (Loader 2000, "Fast and accurate computation of binomial probabilities"; the
/// series is Stirling's, valid for real n).
[[nodiscard]] inline double stirlerr(double n) noexcept {
    if (n <= 15.0) {
        // lgamma is accurate here; the cancellation costs ~1e-15 absolute, harmless in a log.
        return std::lgamma(n + 1.0) - (n + 0.5) * std::log(n) + n - ln_sqrt_2pi;
    }
    const double nn = n * n;
    constexpr double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188;
    if (n > 500) return (s0 - s1 / nn) / n;
    if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
    if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/// Deviance term x log(x / m) + m - x, accurate when x is close to m (Loader 2000).
[[nodiscard]] inline double bd0(double x, double m) noexcept {
    if (std::fabs(x - m) < 0.1 * (x + m)) {
        const double v = (x - m) / (x + m);
        double s = (x - m) * v;
        double ej = 2.0 * x * v;
        const double v2 = v * v;
        for (int j = 1; j < 1000; ++j) {
            ej *= v2;
            const double s1 = s + ej / (2 * j + 1);
            if (s1 == s) return s1;
            s = s1;
        }
        return s;
    }
    return x * std::log(x / m) + m - x;
}

/// log(1 + x) - x for small |x| and general x alike, accurate where the naive form cancels.
[[nodiscard]] inline double log1pmx(double x) noexcept {
    if (std::fabs(x) > 0.5) return std::log1p(x) - x;
    // Series: -x^2/2 + x^3/3 - x^4/4 + ...
    double term = x, sum = 0.0;
    for (int k = 2; k < 200; ++k) {
        term *= -x;
        const double t = term / k;
        sum += t;
        if (std::fabs(t) <= 1e-17 * std::fabs(sum)) break;
    }
    return sum;
}

/// log(exp(a) + exp(b)) without overflow.
[[nodiscard]] inline double log_add_exp(double a, double b) noexcept {
    if (a == -INFINITY) return b;
    if (b == -INFINITY) return a;
    const double m = a > b ? a : b;
    return m + std::log1p(std::exp(-std::fabs(a - b)));
}

} // namespace detail
} // namespace v0
} // namespace driftgate
