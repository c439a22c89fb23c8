// driftgate — service metrics of the scoring API from its request log (docs/policy.md, Service health):
// latency quantiles, 4xx / 5xx error rates, requests per second, predictions per day, and the
// sustained rules (a window's P95 latency, or its error rate, above a bound for N consecutive
// windows), overall and per model version, judged into report checks.
//
// Input: one entry per request, as spans of equal length: the instant (integer ticks since
// 1970-01-01T00:00:00Z, in seconds, milliseconds or microseconds), the latency in milliseconds
// (NaN = not recorded: excluded from the latency figures and counted) and the HTTP status code
// (100–599). Requests may come in any order. No I/O: readers (the CLI's JSON-lines reader, a
// service's own log) fill the spans.
//
// Definitions (each one also in the README):
//   * latency P50 / P95 / P99: numpy.quantile(latency, q) (linear method) over every request
//     with a latency, error responses included;
//   * 4xx (5xx) error rate: requests with a status of 400–499 (500–599) / all requests, with a
//     Wilson score interval;
//   * requests per second: requests / (last instant − first instant), in seconds. Undefined when
//     every request has the same instant (a single request included): the check is then judged
//     as a breach of its rule's highest severity, never as passing;
//   * predictions per day: a prediction is a request answered with a 2xx status; the log's days
//     are the UTC calendar days from the first request's to the last request's, a day without
//     any prediction counting 0; the judged value is the lowest day's count (a day the log covers
//     only in part is judged on that part: rotate logs at UTC midnight, or pass whole days);
//   * windows: [k w, (k + 1) w) for integers k, w = window_seconds (aligned to the epoch: to the
//     UTC minute for 60 s); a window's P95 is the quantile above over its requests, its error
//     rate (4xx + 5xx) / requests. A window is *above* when its figure is strictly above the
//     rule's bound. The sustained value is the length of the longest run of consecutive windows
//     that are all above; a window without any request (or, for the P95, without a latency) is
//     not above and breaks a run — nothing was measured in it. Ties: the earliest longest run.
//     The run is judged `level` (critical by default) from `sustained_windows` windows on, info
//     from one window on.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/policy.hpp"
#include "driftgate/proxy.hpp"
#include "driftgate/quantile.hpp"
#include "driftgate/report.hpp"
#include "driftgate/sample.hpp"
#include "driftgate/severity.hpp"
#include "driftgate/timestamp.hpp"

namespace driftgate {
inline namespace v0 {

/// The service section of the policy (policy.hpp, [service] in a configuration): a log's fields,
/// the bad-line policy, the windows and every threshold.
using service_policy = policy::service_settings;

/// The rule of a service threshold: a value at or beyond `target` is info, strictly beyond
/// `warning` / `critical` an alert (`d`: above for latencies and error rates, below for requests
/// per second and predictions per day).
[[nodiscard]] inline rule service_rule(const target_thresholds& t, direction d) {
    rule r{d, std::nullopt, std::nullopt, std::nullopt};
    if (t.target) r.info = bound{*t.target, true};
    if (t.warning) r.warning = bound{*t.warning, false};
    if (t.critical) r.critical = bound{*t.critical, false};
    return r;
}

/// A request log as spans (see the header comment). `model_version` is optional: when given, one
/// index into `model_versions` per request, and evaluate_service adds rows per version.
struct service_data {
    std::span<const std::int64_t> timestamps;   ///< ticks of `unit` since the epoch (UTC)
    time_unit unit = time_unit::microseconds;
    std::span<const double> latency_ms;         ///< milliseconds; NaN = not recorded
    std::span<const std::uint16_t> status;      ///< HTTP status codes, 100–599
    std::span<const std::uint32_t> model_version;   ///< optional, per request
    std::span<const std::string> model_versions;    ///< names of the indices in model_version
};

/// The longest run of consecutive windows above a bound.
struct window_run {
    std::size_t longest = 0;          ///< windows in the longest run (0: no window above)
    std::int64_t start = 0, end = 0;  ///< that run's first window start and last window end (ticks); valid when longest > 0
    std::size_t windows_evaluated = 0; ///< windows with a figure (at least one request, or latency)
    std::size_t windows_above = 0;     ///< evaluated windows above the bound
    std::size_t windows_empty = 0;     ///< windows from the first to the last evaluated one without a figure
};

/// Predictions (2xx) on one UTC day.
struct day_count {
    std::int64_t day = 0;         ///< days since 1970-01-01
    std::size_t predictions = 0;
};

/// The statistics of one request log (or one model version's requests).
struct service_summary {
    std::size_t requests = 0;
    std::size_t predictions = 0;            ///< requests answered 2xx
    std::optional<latency_quantiles_result> latency; ///< empty when no request has a latency
    std::size_t latency_missing = 0;        ///< requests without a latency (NaN)
    share_result errors_4xx, errors_5xx;    ///< over all requests, Wilson intervals
    std::int64_t first = 0, last = 0;       ///< earliest and latest instant (ticks)
    double span_seconds = 0.0;              ///< (last - first) in seconds
    double requests_per_second = std::numeric_limits<double>::quiet_NaN(); ///< NaN when span_seconds == 0
    std::size_t days = 0;                   ///< UTC days from the first request's to the last's
    std::size_t lowest_day_predictions = 0; ///< predictions on the lowest day
    std::int64_t lowest_day = 0;            ///< that day (the earliest of equal ones), days since the epoch
    std::vector<day_count> per_day;         ///< every day's count, when days <= max_listed_days
    window_run latency_p95_run;             ///< windows whose P95 is above the sustained bound
    window_run error_rate_run;              ///< windows whose error rate is above the sustained bound
};

/// Days listed one by one in service_summary::per_day (and in a report); longer logs keep only
/// the totals and the lowest day.
inline constexpr std::size_t max_listed_days = 400;

namespace detail {

/// The quantile q (numpy linear) of `v` (no NaN, non-empty), reordering v: two selections instead
/// of a sort; the same order statistics, hence the same bits, as quantile_sorted on sorted v.
[[nodiscard]] inline double quantile_select(std::span<double> v, double q) {
    const std::size_t n = v.size();
    const double h = static_cast<double>(n - 1) * q;
    if (!(h > 0.0)) return *std::min_element(v.begin(), v.end());
    if (h >= static_cast<double>(n - 1)) return *std::max_element(v.begin(), v.end());
    const double lo = std::floor(h);
    const auto i = static_cast<std::size_t>(lo);
    const auto it = v.begin() + static_cast<std::ptrdiff_t>(i);
    std::nth_element(v.begin(), it, v.end());
    const double below = *it;
    const double above = *std::min_element(it + 1, v.end());
    return lerp_numpy(below, above, h - lo);
}

[[nodiscard]] constexpr bool is_client_error(std::uint16_t s) noexcept { return s >= 400 && s <= 499; }
[[nodiscard]] constexpr bool is_server_error(std::uint16_t s) noexcept { return s >= 500 && s <= 599; }
[[nodiscard]] constexpr bool is_prediction(std::uint16_t s) noexcept { return s >= 200 && s <= 299; }

inline void check_service_inputs(const service_data& d, const service_policy& p) {
    const char* where = "summarize_service";
    check_lengths(d.timestamps.size(), d.latency_ms.size(), "latencies", where);
    check_lengths(d.timestamps.size(), d.status.size(), "statuses", where);
    require(d.model_version.empty() || d.model_version.size() == d.timestamps.size(), errc::length_mismatch, where,
            "model_version has " + std::to_string(d.model_version.size()) + " entries for " +
                std::to_string(d.timestamps.size()) + " requests");
    require(d.unit == time_unit::seconds || d.unit == time_unit::milliseconds || d.unit == time_unit::microseconds,
            errc::invalid_parameter, where, "unknown time unit");
    require(p.window_seconds >= 1 && p.window_seconds <= 86400, errc::invalid_parameter, where,
            "window_seconds must lie in [1, 86400]");
    require(p.sustained_windows >= 1, errc::invalid_parameter, where, "sustained_windows must be at least 1");
    require(!std::isnan(p.latency_p95_sustained.above) && !std::isnan(p.error_rate_sustained.above),
            errc::invalid_parameter, where, "a sustained bound is NaN");
    check_level(p.confidence, where);
    for (std::size_t i = 0; i < d.status.size(); ++i)
        if (d.status[i] < 100 || d.status[i] > 599)
            throw error(errc::invalid_parameter, where,
                        "status at index " + std::to_string(i) + " is " + std::to_string(d.status[i]) +
                            ": not an HTTP status code (100 to 599)");
    for (std::size_t i = 0; i < d.latency_ms.size(); ++i) {
        const double v = d.latency_ms[i];
        if (!std::isnan(v) && !(v >= 0.0 && v < INFINITY))
            throw error(errc::invalid_parameter, where,
                        "latency at index " + std::to_string(i) + " is " + std::to_string(v) +
                            " ms: a latency must be finite and >= 0");
    }
    for (std::size_t i = 0; i < d.model_version.size(); ++i)
        require(d.model_version[i] < d.model_versions.size(), errc::invalid_parameter, where,
                "model_version at index " + std::to_string(i) + " is " + std::to_string(d.model_version[i]) +
                    " but only " + std::to_string(d.model_versions.size()) + " names are given");
}

/// One window's requests: its index k (window [k w, (k + 1) w)), its latencies (reorderable,
/// NaN removed), its request and error counts.
struct window_view {
    std::int64_t index;
    std::span<double> latencies;
    std::size_t requests, errors;
};

/// Calls f(window_view) for each window holding a request, in increasing window order.
/// Instants in order (the usual log) are walked as they are; otherwise the requests are grouped
/// by a counting sort over the windows when they span at most 4 n + 1024 windows, else by a
/// sort of (window, request) pairs. Cost: O(n) for ordered input and the counting sort,
/// O(n log n) for the pair sort; memory: one window's latencies, or n latencies plus one count
/// per window.
template <class F>
void for_each_window(std::span<const std::int64_t> t, std::span<const double> lat, std::span<const std::uint16_t> st,
                     std::int64_t w, F&& f) {
    const std::size_t n = t.size();
    if (n == 0) return;
    std::vector<double> scratch;
    auto emit = [&](std::int64_t k, std::size_t requests, std::size_t errors) {
        f(window_view{k, std::span<double>(scratch), requests, errors});
    };
    if (std::is_sorted(t.begin(), t.end())) {
        std::size_t i = 0;
        while (i < n) {
            const std::int64_t k = div_floor(t[i], w);
            std::size_t errors = 0, j = i;
            scratch.clear();
            for (; j < n && div_floor(t[j], w) == k; ++j) {
                if (!std::isnan(lat[j])) scratch.push_back(lat[j]);
                errors += is_client_error(st[j]) || is_server_error(st[j]);
            }
            emit(k, j - i, errors);
            i = j;
        }
        return;
    }
    const auto [lo_it, hi_it] = std::minmax_element(t.begin(), t.end());
    const std::int64_t k0 = div_floor(*lo_it, w), k1 = div_floor(*hi_it, w);
    // Windows spanned, as unsigned (k1 - k0 may exceed INT64_MAX for adversarial instants).
    const std::uint64_t range = static_cast<std::uint64_t>(k1) - static_cast<std::uint64_t>(k0) + 1;
    if (range != 0 && range <= 4 * static_cast<std::uint64_t>(n) + 1024) {
        const auto m = static_cast<std::size_t>(range);
        std::vector<std::size_t> start(m + 1, 0);  // latencies per window, then offsets
        std::vector<std::uint32_t> requests(m, 0), errors(m, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(div_floor(t[i], w) - k0);
            ++requests[k];
            errors[k] += is_client_error(st[i]) || is_server_error(st[i]);
            start[k + 1] += !std::isnan(lat[i]);
        }
        for (std::size_t k = 0; k < m; ++k) start[k + 1] += start[k];
        std::vector<double> grouped(start[m]);
        {
            std::vector<std::size_t> fill(start.begin(), start.end() - 1);
            for (std::size_t i = 0; i < n; ++i)
                if (!std::isnan(lat[i])) grouped[fill[static_cast<std::size_t>(div_floor(t[i], w) - k0)]++] = lat[i];
        }
        for (std::size_t k = 0; k < m; ++k) {
            if (requests[k] == 0) continue;
            f(window_view{k0 + static_cast<std::int64_t>(k),
                          std::span<double>(grouped.data() + start[k], start[k + 1] - start[k]), requests[k], errors[k]});
        }
        return;
    }
    std::vector<std::pair<std::int64_t, std::size_t>> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = {div_floor(t[i], w), i};
    std::sort(order.begin(), order.end());
    std::size_t i = 0;
    while (i < n) {
        const std::int64_t k = order[i].first;
        std::size_t errors = 0, j = i;
        scratch.clear();
        for (; j < n && order[j].first == k; ++j) {
            const std::size_t r = order[j].second;
            if (!std::isnan(lat[r])) scratch.push_back(lat[r]);
            errors += is_client_error(st[r]) || is_server_error(st[r]);
        }
        emit(k, j - i, errors);
        i = j;
    }
}

/// Tracks the longest run of consecutive windows above a bound, fed in increasing window order.
class run_tracker {
public:
    explicit run_tracker(std::int64_t window) : w_(window) {}
    /// Window k has a figure; `above`: it is above the bound.
    void add(std::int64_t k, bool above) {
        if (r_.windows_evaluated > 0)
            r_.windows_empty += static_cast<std::size_t>(static_cast<std::uint64_t>(k) - static_cast<std::uint64_t>(last_) - 1);
        ++r_.windows_evaluated;
        if (above) {
            ++r_.windows_above;
            cur_ = (cur_ > 0 && k == last_ + 1) ? cur_ + 1 : 1;
            if (cur_ == 1) cur_start_ = k;
            if (cur_ > r_.longest) {
                r_.longest = cur_;
                r_.start = cur_start_ * w_;
                // The end of window k, saturated for a window at the end of the int64 range.
                r_.end = k > (std::numeric_limits<std::int64_t>::max() - w_) / w_ ? std::numeric_limits<std::int64_t>::max()
                                                                              : k * w_ + w_;
            }
        } else {
            cur_ = 0;
        }
        last_ = k;
    }
    [[nodiscard]] const window_run& result() const noexcept { return r_; }

private:
    std::int64_t w_;
    window_run r_;
    std::size_t cur_ = 0;
    std::int64_t cur_start_ = 0, last_ = 0;
};

/// Summary of one segment (inputs already checked).
[[nodiscard]] inline service_summary summarize_segment(std::span<const std::int64_t> t, time_unit unit,
                                                       std::span<const double> lat, std::span<const std::uint16_t> st,
                                                       const service_policy& p) {
    service_summary s;
    const std::size_t n = t.size();
    require(n > 0, errc::empty_sample, "summarize_service", "no request");
    s.requests = n;
    const auto ticks = static_cast<std::int64_t>(unit);

    // Latency quantiles over every request with a latency: three selections in one copy (the
    // order statistics numpy interpolates, so the same bits as sorting; O(n), one copy of memory).
    {
        std::vector<double> v;
        v.reserve(n);
        for (const double x : lat)
            if (!std::isnan(x)) v.push_back(x);
        s.latency_missing = n - v.size();
        if (!v.empty()) {
            latency_quantiles_result q;
            q.p50 = quantile_select(v, 0.5);
            q.p95 = quantile_select(v, 0.95);
            q.p99 = quantile_select(v, 0.99);
            q.n = v.size();
            q.missing = s.latency_missing;
            s.latency = q;
        }
    }

    // Error rates and predictions.
    std::size_t c4 = 0, c5 = 0, pred = 0;
    for (const std::uint16_t code : st) {
        c4 += is_client_error(code);
        c5 += is_server_error(code);
        pred += is_prediction(code);
    }
    s.predictions = pred;
    s.errors_4xx = event_rate(c4, n, p.confidence);
    s.errors_5xx = event_rate(c5, n, p.confidence);

    // Span and requests per second.
    const auto [lo, hi] = std::minmax_element(t.begin(), t.end());
    s.first = *lo;
    s.last = *hi;
    // The difference in unsigned arithmetic: instants far apart do not overflow.
    const auto diff = static_cast<std::uint64_t>(s.last) - static_cast<std::uint64_t>(s.first);
    s.span_seconds = static_cast<double>(diff / static_cast<std::uint64_t>(ticks)) +
                     static_cast<double>(diff % static_cast<std::uint64_t>(ticks)) / static_cast<double>(ticks);
    if (diff > 0) s.requests_per_second = static_cast<double>(n) / s.span_seconds;

    // Predictions per UTC day, from the first request's day to the last's.
    const std::int64_t day_ticks = 86400 * ticks;
    const std::int64_t d0 = div_floor(s.first, day_ticks), d1 = div_floor(s.last, day_ticks);
    const std::uint64_t days = static_cast<std::uint64_t>(d1) - static_cast<std::uint64_t>(d0) + 1;
    s.days = static_cast<std::size_t>(days);
    if (days <= 4 * static_cast<std::uint64_t>(n) + 1024) {
        std::vector<std::size_t> per(static_cast<std::size_t>(days), 0);
        for (std::size_t i = 0; i < n; ++i)
            if (is_prediction(st[i])) ++per[static_cast<std::size_t>(div_floor(t[i], day_ticks) - d0)];
        std::size_t best = 0;
        for (std::size_t k = 1; k < per.size(); ++k)
            if (per[k] < per[best]) best = k;
        s.lowest_day = d0 + static_cast<std::int64_t>(best);
        s.lowest_day_predictions = per[best];
        if (per.size() <= max_listed_days)
            for (std::size_t k = 0; k < per.size(); ++k) s.per_day.push_back({d0 + static_cast<std::int64_t>(k), per[k]});
    } else {
        // More days than requests: some day between the first and the last has no prediction;
        // the earliest such day is the lowest.
        std::vector<std::int64_t> with;
        for (std::size_t i = 0; i < n; ++i)
            if (is_prediction(st[i])) with.push_back(div_floor(t[i], day_ticks));
        std::sort(with.begin(), with.end());
        with.erase(std::unique(with.begin(), with.end()), with.end());
        std::int64_t d = d0;
        for (const std::int64_t x : with) {
            if (x != d) break;
            ++d;
        }
        s.lowest_day = d;
        s.lowest_day_predictions = 0;
    }

    // Windows: P95 and error rate, longest runs above the bounds.
    const std::int64_t w = p.window_seconds * ticks;
    run_tracker lat_run(w), err_run(w);
    for_each_window(t, lat, st, w, [&](const window_view& v) {
        if (!v.latencies.empty())
            lat_run.add(v.index, quantile_select(v.latencies, 0.95) > p.latency_p95_sustained.above);
        err_run.add(v.index, static_cast<double>(v.errors) / static_cast<double>(v.requests) > p.error_rate_sustained.above);
    });
    s.latency_p95_run = lat_run.result();
    s.error_rate_run = err_run.result();
    return s;
}

} // namespace detail

/// The statistics of a request log (every request; model versions are ignored here): latency
/// quantiles, error rates with Wilson intervals, span and requests per second, predictions per
/// UTC day, and the longest runs of windows above the sustained bounds (definitions in the
/// header comment). Throws errc::empty_sample for no request, errc::length_mismatch for spans of
/// different lengths, errc::invalid_parameter for a status outside 100–599, a negative or
/// infinite latency (index given), or a policy value out of range.
/// Cost: O(n) for requests in time order (plus the latencies' radix sort), O(n log n) at worst.
[[nodiscard]] inline service_summary summarize_service(const service_data& d, const service_policy& p = {}) {
    detail::check_service_inputs(d, p);
    return detail::summarize_segment(d.timestamps, d.unit, d.latency_ms, d.status, p);
}

namespace detail {

/// Judged row: NaN (undefined) is a breach of the rule's highest severity, never a pass.
[[nodiscard]] inline check service_row(const char* name, double value, const rule& r) {
    check c;
    c.section = "service";
    c.name = name;
    c.value = value;
    c.thresholds = to_field(r);
    judge_value(c, r);
    return c;
}

/// The run-length rule of a sustained rule: info from one window above, `level` from `windows`.
[[nodiscard]] inline rule run_rule(const sustained_rule& s, std::size_t windows) {
    rule r{direction::above, bound{1, true}, std::nullopt, std::nullopt};
    const bound b{static_cast<double>(windows), true};
    if (s.level == severity::critical) r.critical = b;
    else if (s.level == severity::warning) r.warning = b;
    else r.info = b;
    return r;
}

/// Instants as report text; outside years 0000–9999 (an instant that cannot be written as RFC
/// 3339 or whose microseconds overflow), the number of ticks.
[[nodiscard]] inline field instant_field(std::int64_t ticks, time_unit unit) {
    const std::int64_t per = micros_per_second / static_cast<std::int64_t>(unit);
    constexpr std::int64_t lo = -62167219200LL * micros_per_second;  // 0000-01-01T00:00:00Z
    constexpr std::int64_t hi = 253402300800LL * micros_per_second;  // 10000-01-01T00:00:00Z
    if (ticks > lo / per && ticks < hi / per) return field(format_timestamp(ticks * per));
    return field(ticks);
}

inline void service_rows(const service_summary& s, const service_policy& p, time_unit unit,
                         const std::string* version, const std::string& version_key, std::vector<check>& out) {
    auto add = [&](check c) {
        if (version) {
            c.column = version_key + "=" + *version;
            field d = field::make_table({{"model_version", *version}});
            if (c.details.is_table())
                for (auto& [k, v] : c.details.as_table()) d.set(k, std::move(v));
            c.details = std::move(d);
        }
        out.push_back(std::move(c));
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::pair<const char*, double> qs[] = {{"latency_p50", 0.5}, {"latency_p95", 0.95}, {"latency_p99", 0.99}};
    const rule lat_rules[] = {service_rule(p.latency_p50, direction::above), service_rule(p.latency_p95, direction::above),
                              service_rule(p.latency_p99, direction::above)};
    for (int i = 0; i < 3; ++i) {
        const double v = !s.latency ? nan : i == 0 ? s.latency->p50 : i == 1 ? s.latency->p95 : s.latency->p99;
        check c = service_row(qs[i].first, v, lat_rules[i]);
        c.details = field::make_table({{"quantile", qs[i].second},
                                       {"n", s.latency ? s.latency->n : std::size_t{0}},
                                       {"missing", s.latency_missing},
                                       {"unit", "ms"}});
        if (!s.latency) c.note = "undefined: no request has a latency; judged as a breach";
        add(std::move(c));
    }
    auto rate_row = [&](const char* name, const share_result& r, const target_thresholds& t, const char* statuses) {
        const rule ru = service_rule(t, direction::above);
        check c = service_row(name, r.share, ru);
        c.details = field::make_table({{"statuses", statuses}, {"count", r.count}, {"n", r.n},
                                       {"ci_lower", r.ci_lower}, {"ci_upper", r.ci_upper}, {"level", r.level}});
        add(std::move(c));
    };
    rate_row("error_rate_4xx", s.errors_4xx, p.error_rate_4xx, "400-499");
    rate_row("error_rate_5xx", s.errors_5xx, p.error_rate_5xx, "500-599");
    {
        check c = service_row("requests_per_second", s.requests_per_second, service_rule(p.requests_per_second, direction::below));
        c.details = field::make_table({{"requests", s.requests}, {"span_seconds", s.span_seconds},
                                       {"first", instant_field(s.first, unit)}, {"last", instant_field(s.last, unit)}});
        if (std::isnan(s.requests_per_second))
            c.note = s.requests == 1 ? "undefined: one request spans no time; judged as a breach"
                                     : "undefined: every request has the same instant; judged as a breach";
        add(std::move(c));
    }
    {
        check c = service_row("predictions_per_day", static_cast<double>(s.lowest_day_predictions), service_rule(p.predictions_per_day, direction::below));
        c.details = field::make_table({{"lowest_day", format_date(s.lowest_day)},
                                       {"days", s.days},
                                       {"predictions", s.predictions},
                                       {"requests", s.requests}});
        if (!s.per_day.empty()) {
            field days = field::make_list();
            for (const auto& d : s.per_day)
                days.push_back(field::make_table({{"date", format_date(d.day)}, {"predictions", d.predictions}}));
            c.details.set("per_day", std::move(days));
        }
        add(std::move(c));
    }
    auto run_row = [&](const char* name, const window_run& r, const sustained_rule& sr, const char* figure) {
        check c = service_row(name, static_cast<double>(r.longest), run_rule(sr, p.sustained_windows));
        c.details = field::make_table({{"figure", figure},
                                       {"above", sr.above},
                                       {"window_seconds", p.window_seconds},
                                       {"sustained_windows", p.sustained_windows},
                                       {"run_start", r.longest ? instant_field(r.start, unit) : field()},
                                       {"run_end", r.longest ? instant_field(r.end, unit) : field()},
                                       {"windows_evaluated", r.windows_evaluated},
                                       {"windows_above", r.windows_above},
                                       {"windows_without_requests", r.windows_empty}});
        add(std::move(c));
    };
    run_row("latency_p95_sustained", s.latency_p95_run, p.latency_p95_sustained, "window P95 latency (ms)");
    run_row("error_rate_sustained", s.error_rate_run, p.error_rate_sustained, "window error rate (4xx + 5xx)");
}

} // namespace detail

/// The service checks of a request log, judged by `p` (section "service"): latency_p50,
/// latency_p95, latency_p99 (ms), error_rate_4xx, error_rate_5xx, requests_per_second,
/// predictions_per_day, latency_p95_sustained and error_rate_sustained (value: the longest run,
/// in windows), in that order, first over every request, then — when d.model_version is given —
/// for each model version in the order of d.model_versions that has requests, those rows carrying
/// the detail "model_version" and the column "<version_key>=<version>". An undefined figure
/// (requests per second of a single instant, a P95 without any latency) is judged a breach of
/// its rule's highest severity. Throws as summarize_service. Cost: that of summarize_service per
/// segment, plus a copy of each version's requests.
[[nodiscard]] inline std::vector<check> evaluate_service(const service_data& d, const service_policy& p = {},
                                                         const std::string& version_key = "model_version") {
    detail::check_service_inputs(d, p);
    std::vector<check> out;
    detail::service_rows(detail::summarize_segment(d.timestamps, d.unit, d.latency_ms, d.status, p), p, d.unit, nullptr,
                         version_key, out);
    if (d.model_version.empty()) return out;
    std::vector<std::size_t> count(d.model_versions.size(), 0);
    for (const std::uint32_t v : d.model_version) ++count[v];
    std::vector<std::int64_t> t;
    std::vector<double> lat;
    std::vector<std::uint16_t> st;
    for (std::size_t v = 0; v < d.model_versions.size(); ++v) {
        if (count[v] == 0) continue;
        t.clear();
        lat.clear();
        st.clear();
        t.reserve(count[v]);
        lat.reserve(count[v]);
        st.reserve(count[v]);
        for (std::size_t i = 0; i < d.model_version.size(); ++i) {
            if (d.model_version[i] != v) continue;
            t.push_back(d.timestamps[i]);
            lat.push_back(d.latency_ms[i]);
            st.push_back(d.status[i]);
        }
        detail::service_rows(detail::summarize_segment(t, d.unit, lat, st, p), p, d.unit, &d.model_versions[v], version_key,
                             out);
    }
    return out;
}

} // namespace v0
} // namespace driftgate
