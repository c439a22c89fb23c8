// make_snapshots: builds the example credit snapshots from the raw UCI "Default of Credit Card
// Clients" file (examples/credit/data/uci_credit_card.csv).
//
//   make_snapshots <raw.csv> <output directory> [split seed]
//
// writes <dir>/reference.csv, <dir>/current_stable.csv and <dir>/current_drifted.csv and prints a
// short summary (rows, coefficients, AUCs) to stdout. Everything is deterministic: the split and
// the simulated drift use splitmix64 with fixed seeds (never std::*_distribution, whose output is
// implementation-defined), and numbers are printed with std::to_chars (locale-independent).
// README.md beside this file explains the choices; the figures it quotes come from this program.

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

// ---- fixed parameters ------------------------------------------------------------------------
constexpr std::uint64_t default_split_seed = 1;  // reference / held-out split (README: how chosen)
constexpr std::uint64_t drift_seed = 20241031;   // simulated downturn
constexpr double heldout_share = 0.20;           // per class (stratified on the label)
constexpr double l2_penalty = 1.0;               // lambda in  - lambda/2 * ||beta||^2 (no intercept)

// Score scale (see README): s = sigmoid(a * eta + b), a and b chosen on the reference part so
// that 22 % of reference scores exceed 0.50 (the monitored system's expected high-risk share) and 50 % fall
// below 0.20 (the middle of the approval-rate band of docs/policy.md).
constexpr double high_risk_share = 0.22;
constexpr double approval_share = 0.50;

// Simulated downturn applied to the held-out applicants (see README, "current_drifted.csv").
constexpr double hit_share = 0.40;          // share of applicants hit by the downturn
constexpr double two_months_share = 0.50;   // of those: two missed payments instead of one
constexpr double limit_cut = 0.50;          // hit applicants keep half of their limit
constexpr double bill_growth_hit = 1.30;    // September bill, hit applicants
constexpr double bill_growth_other = 1.10;  // September bill, everyone else
constexpr double payment_cut = 0.50;        // September payment, hit applicants
constexpr double new_default_hit = 0.12;    // P(default | repaid in the data, hit)
constexpr double new_default_other = 0.10;  // P(default | repaid in the data, not hit)

// ---- splitmix64 (Steele, Lea & Flood 2014; Vigna's reference constants) ----------------------
struct splitmix64 {
    std::uint64_t state;
    std::uint64_t next() noexcept {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // uniform on [0, 1) with 53 random bits: exact, the same on every platform
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // integer in [0, bound): modulo reduction; its bias (< bound / 2^64) is immaterial here
    std::size_t below(std::size_t bound) noexcept {
        return static_cast<std::size_t>(next() % static_cast<std::uint64_t>(bound));
    }
};

// ---- raw data --------------------------------------------------------------------------------
struct applicant {
    std::int64_t id = 0;
    std::int64_t limit_bal = 0;
    std::int64_t age = 0;
    std::array<std::int64_t, 6> pay{};  // PAY_0, PAY_2, ..., PAY_6 (PAY_1 does not exist)
    std::int64_t bill_amt1 = 0;
    std::int64_t pay_amt1 = 0;
    int default_next_month = 0;
};

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        out.push_back(line.substr(start, comma == std::string_view::npos ? comma : comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

std::int64_t parse_int(std::string_view field, std::size_t line_no) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (ec != std::errc{} || ptr != field.data() + field.size())
        throw std::runtime_error("line " + std::to_string(line_no) + ": not an integer: '" +
                                 std::string(field) + "'");
    return value;
}

// A deliberately small reader: one header row, comma-separated plain integers, LF line endings.
std::vector<applicant> read_raw(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error(path + ": empty file");
    const auto header = split_fields(line);
    const auto column = [&](std::string_view name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw std::runtime_error(path + ": no column " + std::string(name));
        return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t c_id = column("ID"), c_limit = column("LIMIT_BAL"), c_age = column("AGE"),
                      c_bill = column("BILL_AMT1"), c_payamt = column("PAY_AMT1"),
                      c_default = column("default.payment.next.month");
    const std::array<std::size_t, 6> c_pay{column("PAY_0"), column("PAY_2"), column("PAY_3"),
                                           column("PAY_4"), column("PAY_5"), column("PAY_6")};
    std::vector<applicant> rows;
    std::size_t line_no = 1;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty()) continue;
        const auto f = split_fields(line);
        if (f.size() != header.size())
            throw std::runtime_error("line " + std::to_string(line_no) + ": wrong field count");
        applicant a;
        a.id = parse_int(f[c_id], line_no);
        a.limit_bal = parse_int(f[c_limit], line_no);
        a.age = parse_int(f[c_age], line_no);
        for (std::size_t k = 0; k < 6; ++k) a.pay[k] = parse_int(f[c_pay[k]], line_no);
        a.bill_amt1 = parse_int(f[c_bill], line_no);
        a.pay_amt1 = parse_int(f[c_payamt], line_no);
        a.default_next_month = static_cast<int>(parse_int(f[c_default], line_no));
        if (a.limit_bal <= 0 || (a.default_next_month != 0 && a.default_next_month != 1))
            throw std::runtime_error("line " + std::to_string(line_no) + ": value out of range");
        rows.push_back(a);
    }
    return rows;
}

// ---- engineered features (the monitored system's: a division by zero gives 0, clipped to [0, 5]) -------------
double ratio_feature(double num, double den) {
    if (den == 0.0) return 0.0;
    return std::clamp(num / den, 0.0, 5.0);
}
double utilization_1(const applicant& a) {
    return ratio_feature(static_cast<double>(a.bill_amt1), static_cast<double>(a.limit_bal));
}
double payment_ratio_1(const applicant& a) {
    return ratio_feature(static_cast<double>(a.pay_amt1), static_cast<double>(a.bill_amt1));
}

// ---- model inputs ----------------------------------------------------------------------------
// PAY_0 (the most important feature) one-hot against the base level 0 ("revolving credit, paid
// on time"); the older PAY_k as months of delay plus a "no delay / no use" flag; monetary amounts
// on a log scale; payment_ratio_1 capped at 1 (paying more than the bill says nothing more).
const std::vector<std::string> input_names{
    "PAY_0=-2", "PAY_0=-1", "PAY_0=1", "PAY_0=2", "PAY_0=3", "PAY_0>=4",
    "max(PAY_2,0)", "PAY_2<0", "max(PAY_3,0)", "PAY_3<0", "max(PAY_4,0)", "PAY_4<0",
    "max(PAY_5,0)", "PAY_5<0", "max(PAY_6,0)", "PAY_6<0",
    "log(LIMIT_BAL)", "utilization_1", "min(payment_ratio_1,1)", "log1p(PAY_AMT1)",
    "slog(BILL_AMT1)", "AGE"};

double signed_log1p(double v) { return std::copysign(std::log1p(std::fabs(v)), v); }

Eigen::VectorXd model_inputs(const applicant& a) {
    Eigen::VectorXd x(static_cast<Eigen::Index>(input_names.size()));
    Eigen::Index j = 0;
    const std::int64_t p0 = a.pay[0];
    for (const std::int64_t level : {-2, -1, 1, 2, 3}) x(j++) = p0 == level ? 1.0 : 0.0;
    x(j++) = p0 >= 4 ? 1.0 : 0.0;
    for (std::size_t k = 1; k < 6; ++k) {
        x(j++) = static_cast<double>(std::max<std::int64_t>(a.pay[k], 0));
        x(j++) = a.pay[k] < 0 ? 1.0 : 0.0;
    }
    x(j++) = std::log(static_cast<double>(a.limit_bal));
    x(j++) = utilization_1(a);
    x(j++) = std::min(payment_ratio_1(a), 1.0);
    x(j++) = std::log1p(static_cast<double>(std::max<std::int64_t>(a.pay_amt1, 0)));
    x(j++) = signed_log1p(static_cast<double>(a.bill_amt1));
    x(j++) = static_cast<double>(a.age);
    return x;
}

double sigmoid(double t) {
    // written so that exp never overflows
    if (t >= 0.0) return 1.0 / (1.0 + std::exp(-t));
    const double e = std::exp(t);
    return e / (1.0 + e);
}

struct logistic_model {
    Eigen::VectorXd mean, sd;  // standardisation learned on the reference part
    Eigen::VectorXd beta;      // beta(0) = intercept, then one per standardised input
    double scale_a = 1.0, scale_b = 0.0;
    int iterations = 0;

    [[nodiscard]] double linear(const applicant& a) const {
        const Eigen::VectorXd z = (model_inputs(a) - mean).cwiseQuotient(sd);
        return beta(0) + beta.tail(beta.size() - 1).dot(z);
    }
    // the rescaled score written to the snapshots; sigmoid(linear(a)) is the calibrated PD
    [[nodiscard]] double score(const applicant& a) const {
        return sigmoid(scale_a * linear(a) + scale_b);
    }
};

// Penalised maximum likelihood by Newton's method (= IRLS for the logistic log-likelihood):
//   maximise  sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)] - lambda/2 * ||beta_1..p||^2,
//   step      (X'WX + lambda*P) delta = X'(y - p) - lambda*P*beta,  W = diag(p(1 - p)),
// P = identity without the intercept. The objective is strictly concave, so the iteration
// converges quadratically from beta = 0.
logistic_model fit_logistic(const std::vector<applicant>& rows) {
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto p = static_cast<Eigen::Index>(input_names.size());
    Eigen::MatrixXd raw(n, p);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        raw.row(i) = model_inputs(rows[static_cast<std::size_t>(i)]).transpose();
        y(i) = rows[static_cast<std::size_t>(i)].default_next_month;
    }
    logistic_model m;
    m.mean = raw.colwise().mean().transpose();
    m.sd.resize(p);
    for (Eigen::Index j = 0; j < p; ++j) {
        const double sd = std::sqrt((raw.col(j).array() - m.mean(j)).square().mean());
        m.sd(j) = sd > 0.0 ? sd : 1.0;
    }
    Eigen::MatrixXd X(n, p + 1);
    X.col(0).setOnes();
    X.rightCols(p) = (raw.rowwise() - m.mean.transpose()).array().rowwise() /
                     m.sd.transpose().array();

    Eigen::VectorXd penalty = Eigen::VectorXd::Constant(p + 1, l2_penalty);
    penalty(0) = 0.0;
    m.beta = Eigen::VectorXd::Zero(p + 1);
    for (m.iterations = 1; m.iterations <= 100; ++m.iterations) {
        const Eigen::VectorXd eta = X * m.beta;
        const Eigen::VectorXd prob = eta.unaryExpr([](double t) { return sigmoid(t); });
        const Eigen::VectorXd w = prob.array() * (1.0 - prob.array());
        Eigen::MatrixXd H = X.transpose() * w.asDiagonal() * X;
        H.diagonal() += penalty;
        const Eigen::VectorXd g = X.transpose() * (y - prob) - penalty.cwiseProduct(m.beta);
        const Eigen::VectorXd delta = H.ldlt().solve(g);
        m.beta += delta;
        if (delta.cwiseAbs().maxCoeff() < 1e-12) break;
    }
    if (m.iterations > 100) throw std::runtime_error("logistic regression did not converge");
    return m;
}

// numpy.quantile's default ("linear", Hyndman & Fan type 7) on a sorted vector
double quantile_sorted(const std::vector<double>& v, double q) {
    const double h = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// ROC AUC as the Mann-Whitney U statistic with midranks for ties, O(n log n); for the summary.
double roc_auc(const std::vector<double>& score, const std::vector<int>& label) {
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t i, std::size_t j) { return score[i] < score[j]; });
    double rank_sum_pos = 0.0, n_pos = 0.0;
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
        const double midrank = 0.5 * static_cast<double>(i + 1 + j);  // ranks i+1 .. j
        for (std::size_t k = i; k < j; ++k)
            if (label[order[k]] == 1) {
                rank_sum_pos += midrank;
                n_pos += 1.0;
            }
        i = j;
    }
    const double n_neg = static_cast<double>(score.size()) - n_pos;
    return (rank_sum_pos - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg);
}

// ---- the simulated downturn ------------------------------------------------------------------
// Every held-out applicant draws three uniforms, in order, from one splitmix64 stream, whether or
// not they are used, so that changing one parameter never reshuffles the others' draws.
std::vector<applicant> downturn(const std::vector<applicant>& heldout) {
    splitmix64 rng{drift_seed};
    std::vector<applicant> out;
    out.reserve(heldout.size());
    for (const applicant& base : heldout) {
        const double u_hit = rng.uniform(), u_months = rng.uniform(), u_default = rng.uniform();
        applicant a = base;
        const bool hit = u_hit < hit_share;
        if (hit) {
            const std::int64_t months = u_months < two_months_share ? 2 : 1;
            a.pay[0] = std::min<std::int64_t>(std::max<std::int64_t>(a.pay[0], 0) + months, 8);
            // in PAY_2..PAY_6 a one-month delay is almost never coded (28 of 30,000 PAY_2 values):
            // the earlier missed month shows as code 2
            if (months == 2) a.pay[1] = std::min<std::int64_t>(std::max<std::int64_t>(a.pay[1], 0) + 2, 8);
            a.limit_bal = std::max<std::int64_t>(
                10000, static_cast<std::int64_t>(std::llround(static_cast<double>(a.limit_bal) *
                                                              limit_cut / 10000.0)) * 10000);
            a.pay_amt1 = std::llround(static_cast<double>(a.pay_amt1) * payment_cut);
        }
        a.bill_amt1 = std::llround(static_cast<double>(a.bill_amt1) *
                                   (hit ? bill_growth_hit : bill_growth_other));
        if (a.default_next_month == 0 &&
            u_default < (hit ? new_default_hit : new_default_other))
            a.default_next_month = 1;
        out.push_back(a);
    }
    return out;
}

// ---- output ----------------------------------------------------------------------------------
void append_fixed(std::string& out, double v, int digits) {
    std::array<char, 64> buf{};
    const auto [ptr, ec] =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, digits);
    if (ec != std::errc{}) throw std::runtime_error("number formatting failed");
    out.append(buf.data(), ptr);
}
void append_int(std::string& out, std::int64_t v) {
    std::array<char, 32> buf{};
    const auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    if (ec != std::errc{}) throw std::runtime_error("number formatting failed");
    out.append(buf.data(), ptr);
}

void write_snapshot(const std::string& path, const std::vector<applicant>& rows,
                    const logistic_model& model) {
    std::string text =
        "PAY_0,PAY_2,PAY_3,PAY_4,PAY_5,PAY_6,LIMIT_BAL,utilization_1,payment_ratio_1,BILL_AMT1,"
        "AGE,score,default\n";
    for (const applicant& a : rows) {
        for (const std::int64_t code : a.pay) {
            append_int(text, code);
            text += ',';
        }
        append_int(text, a.limit_bal);
        text += ',';
        append_fixed(text, utilization_1(a), 6);
        text += ',';
        append_fixed(text, payment_ratio_1(a), 6);
        text += ',';
        append_int(text, a.bill_amt1);
        text += ',';
        append_int(text, a.age);
        text += ',';
        append_fixed(text, model.score(a), 6);
        text += ',';
        append_int(text, a.default_next_month);
        text += '\n';
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

struct summary_figures {
    double auc, mean_score, share_high, share_low, default_rate;
};
summary_figures summarise(const std::vector<applicant>& rows, const logistic_model& model) {
    std::vector<double> s;
    std::vector<int> y;
    for (const applicant& a : rows) {
        s.push_back(model.score(a));
        y.push_back(a.default_next_month);
    }
    const double n = static_cast<double>(rows.size());
    summary_figures f{};
    f.auc = roc_auc(s, y);
    f.mean_score = std::accumulate(s.begin(), s.end(), 0.0) / n;
    f.share_high = static_cast<double>(std::count_if(s.begin(), s.end(), [](double v) { return v > 0.5; })) / n;
    f.share_low = static_cast<double>(std::count_if(s.begin(), s.end(), [](double v) { return v < 0.2; })) / n;
    f.default_rate = static_cast<double>(std::count(y.begin(), y.end(), 1)) / n;
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        std::cerr << "usage: make_snapshots <uci_credit_card.csv> <output directory> [split seed]\n";
        return 64;
    }
    std::uint64_t split_seed = default_split_seed;
    if (argc == 4) {
        const std::string_view arg = argv[3];
        const auto [ptr, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), split_seed);
        if (ec != std::errc{} || ptr != arg.data() + arg.size()) {
            std::cerr << "make_snapshots: split seed must be a non-negative integer\n";
            return 64;
        }
    }
    try {
        const std::vector<applicant> all = read_raw(argv[1]);
        const std::string dir = argv[2];

        // Stratified split: within each class, a Fisher-Yates shuffle driven by splitmix64 puts
        // round(20 %) of the rows in the held-out part; both parts keep the file's order (by ID).
        splitmix64 rng{split_seed};
        std::vector<bool> heldout_flag(all.size(), false);
        for (const int cls : {0, 1}) {
            std::vector<std::size_t> idx;
            for (std::size_t i = 0; i < all.size(); ++i)
                if (all[i].default_next_month == cls) idx.push_back(i);
            for (std::size_t i = idx.size(); i > 1; --i) std::swap(idx[i - 1], idx[rng.below(i)]);
            const auto k = static_cast<std::size_t>(std::llround(heldout_share * static_cast<double>(idx.size())));
            for (std::size_t i = 0; i < k; ++i) heldout_flag[idx[i]] = true;
        }
        std::vector<applicant> reference, heldout;
        for (std::size_t i = 0; i < all.size(); ++i)
            (heldout_flag[i] ? heldout : reference).push_back(all[i]);

        logistic_model model = fit_logistic(reference);

        // score scale: anchor two reference quantiles of the linear predictor (see README)
        std::vector<double> eta;
        for (const applicant& a : reference) eta.push_back(model.linear(a));
        std::sort(eta.begin(), eta.end());
        const double q_high = quantile_sorted(eta, 1.0 - high_risk_share);
        const double q_low = quantile_sorted(eta, approval_share);
        const double logit_low = std::log(0.2 / 0.8);
        model.scale_a = (0.0 - logit_low) / (q_high - q_low);
        model.scale_b = -model.scale_a * q_high;

        const std::vector<applicant> drifted = downturn(heldout);
        write_snapshot(dir + "/reference.csv", reference, model);
        write_snapshot(dir + "/current_stable.csv", heldout, model);
        write_snapshot(dir + "/current_drifted.csv", drifted, model);

        std::printf("split seed %llu\n", static_cast<unsigned long long>(split_seed));
        std::printf("rows: raw %zu, reference %zu, current_stable %zu, current_drifted %zu\n",
                    all.size(), reference.size(), heldout.size(), drifted.size());
        std::printf("logistic regression: %d Newton steps, L2 penalty %.1f on standardised inputs\n",
                    model.iterations, l2_penalty);
        std::printf("  %-24s %10s %12s %12s\n", "input", "beta", "mean", "sd");
        std::printf("  %-24s %10.4f\n", "(intercept)", model.beta(0));
        for (std::size_t j = 0; j < input_names.size(); ++j) {
            const auto jj = static_cast<Eigen::Index>(j);
            std::printf("  %-24s %10.4f %12.4f %12.4f\n", input_names[j].c_str(), model.beta(jj + 1),
                        model.mean(jj), model.sd(jj));
        }
        std::printf("score = sigmoid(%.6f * eta + %.6f)\n", model.scale_a, model.scale_b);
        std::printf("  %-16s %8s %8s %8s %8s %8s\n", "snapshot", "default", "AUC", "mean", "s>0.50",
                    "s<0.20");
        const std::array<std::pair<const char*, const std::vector<applicant>*>, 3> parts{
            {{"reference", &reference}, {"current_stable", &heldout}, {"current_drifted", &drifted}}};
        for (const auto& [name, rows] : parts) {
            const summary_figures f = summarise(*rows, model);
            std::printf("  %-16s %8.4f %8.4f %8.4f %8.4f %8.4f\n", name, f.default_rate, f.auc,
                        f.mean_score, f.share_high, f.share_low);
        }
    } catch (const std::exception& e) {
        std::cerr << "make_snapshots: " << e.what() << '\n';
        return 65;
    }
    return 0;
}
