// gen_snapshots — writes a synthetic credit-scoring snapshot as CSV, deterministically: the same
// arguments give the same bytes on every platform and compiler.
//
//   gen_snapshots --rows 1000000 --seed 1 --shift 0   --out ref.csv
//   gen_snapshots --rows 1000000 --seed 2 --shift 0.1 --out cur.csv
//
// Columns (12): PAY_0, PAY_2..PAY_6 (repayment status codes -2..8), LIMIT_BAL (multiples of
// 10000), utilization_1 (about 2% missing), payment_ratio_1 (about 1% missing), BILL_AMT1 (2
// decimals), score (a PD in (0, 1)) and label (0/1, drawn from a PD close to the score's).
// utilization_1, payment_ratio_1 and score are written as the shortest text that reads back as
// the same double (up to 17 significant digits, as Python's repr and pandas' to_csv write them).
// Every row has a latent risk r ~ N(shift, 1): --shift moves the whole population towards higher
// risk (more late payments, lower limits, higher utilization and scores), a controlled drift.
// About 90 bytes per row (a 1e6-row file is about 90 MB).
//
// --style chooses the spelling of the same values (every style reads back as the same doubles):
//   integer       (default) codes, limits and labels as integers (`-1`, `150000`, `1`);
//   pandas-float  what pandas' to_csv writes for float64 columns (a column that ever held a NaN):
//                 integral values with a `.0` (`-1.0`, `150000.0`, `1.0`), others as the
//                 shortest round-trip text (`0.1234567890123456`, `1e-05`), BILL_AMT1 as the
//                 shortest text of the amount rounded to cents (`1234.5`, `-7.0`);
//   quoted-crlf   the integer style with every field quoted and CRLF line ends, as spreadsheet
//                 exports write.
//
// Determinism: the generator is xoshiro256** seeded by splitmix64 (Vigna); normal variates are
// Irwin–Hall sums of 12 uniforms; exp() is computed here from + - * / only; numbers are printed
// by std::to_chars (exact shortest/fixed formatting). No libm transcendental is used, and the
// target is compiled with -ffp-contract=off, so no platform can round differently.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct splitmix64 {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
};

/// xoshiro256** 1.0 (Blackman & Vigna, 2018).
struct xoshiro256ss {
    std::uint64_t s[4];
    explicit xoshiro256ss(std::uint64_t seed) {
        splitmix64 sm{seed};
        for (auto& x : s) x = sm.next();
    }
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
        const std::uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
    }
    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Approximately N(0, 1): Irwin–Hall sum of 12 uniforms minus 6 (range -6..6).
    double normal() {
        double sum = 0.0;
        for (int i = 0; i < 12; ++i) sum += uniform();
        return sum - 6.0;
    }
};

/// exp(x) from + - * / only: x = k ln2 + t with |t| <= ln2/2 (ln2 split in a high part exact in
/// 32 bits and a low part), exp(t) by its Taylor series to degree 16 (error < 1e-16), scaled by
/// 2^k by repeated exact multiplication. Valid for |x| < 700.
double det_exp(double x) {
    constexpr double ln2_hi = 0.693147180369123816490;  // 0x3fe62e42fee00000
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double inv_ln2 = 1.44269504088896338700;
    const double kf = x * inv_ln2 + (x < 0 ? -0.5 : 0.5);
    const auto k = static_cast<long>(kf);  // truncation toward zero: round to nearest
    const double t = (x - static_cast<double>(k) * ln2_hi) - static_cast<double>(k) * ln2_lo;
    double p = 1.0;
    for (int i = 16; i >= 1; --i) p = 1.0 + p * t / static_cast<double>(i);
    double scale = k >= 0 ? 2.0 : 0.5;
    for (long m = k >= 0 ? k : -k; m > 0; --m) p *= scale;
    return p;
}

double logistic(double z) { return 1.0 / (1.0 + det_exp(-z)); }

int pay_code(double z) {
    if (z < -1.3) return -2;
    if (z < -0.6) return -1;
    if (z < 0.7) return 0;
    const int c = 1 + static_cast<int>((z - 0.7) * 2.5);
    return c > 8 ? 8 : c;
}

struct writer {
    std::FILE* f;
    std::vector<char> buf = std::vector<char>(std::size_t{1} << 22);
    std::size_t used = 0;
    void flush() {
        if (used && std::fwrite(buf.data(), 1, used, f) != used) {
            std::perror("gen_snapshots: write");
            std::exit(1);
        }
        used = 0;
    }
    void reserve(std::size_t n) {
        if (used + n > buf.size()) flush();
    }
    void put(std::string_view s) {
        reserve(s.size());
        std::memcpy(buf.data() + used, s.data(), s.size());
        used += s.size();
    }
    void ch(char c) { buf[used++] = c; }
    void integer(long v) {
        const auto r = std::to_chars(buf.data() + used, buf.data() + buf.size(), v);
        used = static_cast<std::size_t>(r.ptr - buf.data());
    }
    void shortest(double v) {
        const auto r = std::to_chars(buf.data() + used, buf.data() + buf.size(), v);
        used = static_cast<std::size_t>(r.ptr - buf.data());
    }
    /// The shortest round-trip text, with ".0" after an integral value (Python's repr).
    void shortest_float(double v) {
        const auto r = std::to_chars(buf.data() + used, buf.data() + buf.size(), v);
        const std::string_view t(buf.data() + used, static_cast<std::size_t>(r.ptr - (buf.data() + used)));
        used = static_cast<std::size_t>(r.ptr - buf.data());
        if (t.find_first_of(".e") == std::string_view::npos) {
            buf[used++] = '.';
            buf[used++] = '0';
        }
    }
    void fixed(double v, int decimals) {
        const auto r = std::to_chars(buf.data() + used, buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
        used = static_cast<std::size_t>(r.ptr - buf.data());
    }
};

[[noreturn]] void usage() {
    std::fputs("usage: gen_snapshots --rows N --out FILE [--seed S] [--shift X] [--style integer|pandas-float|quoted-crlf]\n"
               "  writes a deterministic synthetic credit snapshot; --shift moves the latent risk;\n"
               "  --style spells the same values as integers, as pandas writes float64 columns, or quoted with CRLF\n",
               stderr);
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    long long rows = -1;
    std::uint64_t seed = 1;
    double shift = 0.0;
    std::string out;
    std::string style = "integer";
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (i + 1 >= argc) usage();
        const char* v = argv[++i];
        if (a == "--rows") rows = std::atoll(v);
        else if (a == "--seed") seed = std::strtoull(v, nullptr, 10);
        else if (a == "--shift") shift = std::strtod(v, nullptr);
        else if (a == "--out") out = v;
        else if (a == "--style") style = v;
        else usage();
    }
    if (style != "integer" && style != "pandas-float" && style != "quoted-crlf") usage();
    const bool pandas = style == "pandas-float", quoted = style == "quoted-crlf";
    if (rows < 0 || out.empty()) usage();
    std::FILE* f = std::fopen(out.c_str(), "wb");
    if (!f) {
        std::perror(out.c_str());
        return 1;
    }
    writer w{f};
    const char* const header = "PAY_0,PAY_2,PAY_3,PAY_4,PAY_5,PAY_6,LIMIT_BAL,utilization_1,payment_ratio_1,BILL_AMT1,score,label";
    if (quoted) {
        std::string h = "\"";
        for (const char* c = header; *c != 0; ++c) h += *c == ',' ? std::string("\",\"") : std::string(1, *c);
        w.put(h + "\"\r\n");
    } else {
        w.put(std::string(header) + "\n");
    }
    // Field boundaries: an opening quote, a closing quote and the delimiter or line end.
    const auto open = [&] {
        if (quoted) w.ch('"');
    };
    const auto close = [&](bool last) {
        if (quoted) w.ch('"');
        if (!last) w.ch(',');
        else if (quoted) w.put("\r\n");
        else w.ch('\n');
    };
    const auto integral = [&](long v) {
        if (pandas) w.shortest_float(static_cast<double>(v));
        else w.integer(v);
    };
    const auto real = [&](double v) {
        if (pandas) w.shortest_float(v);
        else w.shortest(v);
    };
    xoshiro256ss rng(seed);
    for (long long row = 0; row < rows; ++row) {
        w.reserve(512);
        const double risk = rng.normal() + shift;
        for (int k = 0; k < 6; ++k) {
            const double z = 0.9 * risk + 0.6 * rng.normal() - 0.05 * k;
            open();
            integral(pay_code(z));
            close(false);
        }
        long units = static_cast<long>(15.0 * det_exp(0.7 * rng.normal() - 0.35 * risk));
        units = units < 1 ? 1 : units > 100 ? 100 : units;
        const double limit = static_cast<double>(units * 10000);
        open();
        integral(units * 10000);
        close(false);
        double util = 1.05 * logistic(0.8 * risk + 0.9 * rng.normal() - 0.5);
        const bool util_missing = rng.uniform() < 0.02;
        open();
        if (!util_missing) real(util);
        else util = 0.5;
        close(false);
        const double ratio = 0.08 * det_exp(-0.6 * risk + 0.8 * rng.normal());
        open();
        if (rng.uniform() >= 0.01) real(ratio);
        close(false);
        const double amount = limit * util + 2000.0 * rng.normal();
        open();
        if (pandas) {
            // The amount rounded to cents (the double the fixed text reads back as), shortest.
            char cents[64];
            const auto r = std::to_chars(cents, cents + sizeof cents, amount, std::chars_format::fixed, 2);
            double rounded = 0.0;
            std::from_chars(cents, r.ptr, rounded);
            w.shortest_float(rounded);
        } else {
            w.fixed(amount, 2);
        }
        close(false);
        const double noise = rng.normal();
        double pd = logistic(-1.7 + 0.85 * risk + 0.35 * noise);
        pd = pd < 1e-8 ? 1e-8 : pd > 1.0 - 1e-8 ? 1.0 - 1e-8 : pd;
        open();
        real(pd);
        close(false);
        const double p_true = logistic(-1.6 + risk + 0.3 * noise + 0.3 * rng.normal());
        open();
        integral(rng.uniform() < p_true ? 1 : 0);
        close(true);
    }
    w.flush();
    if (std::fclose(f) != 0) {
        std::perror(out.c_str());
        return 1;
    }
    return 0;
}
