// gen_logs — writes a synthetic prediction log of the scoring API (one JSON object per line),
// deterministically: the same arguments give the same bytes on every platform and compiler.
//
//   gen_logs --minutes 120 --rps 2 --seed 1 --out day.jsonl
//   gen_logs --bytes 1G --rps 400 --seed 1 --latency-spike 30,5,6 --latency-spike 90,4,6 --out big.jsonl
//   gen_logs --minutes 60 --rps 1 --out day.jsonl.gz          (gzip-compressed by the name)
//
// A line (the audit log the scoring API writes; docs/policy.md, Service health):
//   {"timestamp": "2025-12-26T10:15:30Z", "request_id": "…", "model_version": "1.0.0",
//    "input": {"LIMIT_BAL": 20000, "SEX": 2, …, "payment_ratio_1": 0.0805…},
//    "prediction": {"probability": 0.27…, "prediction": "DEFAULT", "risk_band": "REVISION",
//                   "threshold_used": 0.12}, "latency_ms": 87, "status": 200}
// Requests with status 4xx/5xx have "prediction": null.
//
// Traffic: second s of the run holds max(0, round(rps + sqrt(rps) z)) requests (z ~ N(0, 1)),
// at uniformly drawn milliseconds of that second, written in time order (unless --shuffle).
// Latency (ms): 55 exp(0.45 z), rounded to a whole millisecond (at least 1), or to
// --latency-decimals decimals; multiplied by F inside a planted spike. Status: 200, except 4xx
// (400 or 422) with probability 0.003 and 5xx (500 or 503) with probability 0.0002, or the rate of
// a planted error burst (5xx).
//
// Planted events (repeatable; START and MINUTES in whole minutes from --start):
//   --latency-spike START,MINUTES,F   latencies multiplied by F (F = 6 puts a minute's P95 near 600 ms)
//   --error-burst START,MINUTES,RATE  each request fails with probability RATE (status 500 or 503)
//   --gap START,MINUTES               no request at all (an outage, or a log that lost lines)
//
// Other options:
//   --start ISO           first second (default 2025-12-26T00:00:00Z)
//   --time-format F       iso (…:30Z, default), iso-ms (…:30.123Z), iso-offset (local time with an
//                         offset: +01:00, -05:30, +00:00 or +14:00 by request, and microseconds),
//                         epoch (seconds, a number with 3 decimals), epoch-ms (an integer)
//   --versions V=W,…      model versions and their weights (default 1.0.0=1)
//   --features N          the first N of the 25 input features (default 25)
//   --nulls P             each input feature is null with probability P (default 0)
//   --label NAME          also write NAME: 0/1, a default drawn from a PD near the model's
//   --shuffle K           write each block of K lines in a random order (out-of-order timestamps)
//   --compact             no space after ':' and ','
//   --latency-decimals D  latencies with D decimals instead of whole milliseconds
//   --bytes SIZE          stop after SIZE bytes of JSON lines (whole lines; K, M, G suffixes),
//                         instead of --minutes
//   --level L             gzip level for a .gz output (default 6)
//
// Determinism: xoshiro256** seeded by splitmix64 (Vigna); normal variates are Irwin–Hall sums of
// 12 uniforms; exp() is computed here from + - * / only; numbers are printed by std::to_chars.
// No libm transcendental is used (the target is compiled with -ffp-contract=off), so no platform
// rounds differently; the gzip bytes depend on zlib's version, the JSON inside them does not.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <zlib.h>

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
    /// Uniform integer in [0, n) (n small: the modulo bias is below 2^-50).
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    /// Approximately N(0, 1): Irwin–Hall sum of 12 uniforms minus 6 (range -6..6).
    double normal() {
        double sum = 0.0;
        for (int i = 0; i < 12; ++i) sum += uniform();
        return sum - 6.0;
    }
};

/// exp(x) from + - * / only (as gen_snapshots): x = k ln2 + t, exp(t) by its Taylor series to
/// degree 16, scaled by 2^k by exact multiplications. Valid for |x| < 700.
double det_exp(double x) {
    constexpr double ln2_hi = 0.693147180369123816490;
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double inv_ln2 = 1.44269504088896338700;
    const double kf = x * inv_ln2 + (x < 0 ? -0.5 : 0.5);
    const auto k = static_cast<long>(kf);
    const double t = (x - static_cast<double>(k) * ln2_hi) - static_cast<double>(k) * ln2_lo;
    double p = 1.0;
    for (int i = 16; i >= 1; --i) p = 1.0 + p * t / static_cast<double>(i);
    const double scale = k >= 0 ? 2.0 : 0.5;
    for (long m = k >= 0 ? k : -k; m > 0; --m) p *= scale;
    return p;
}

double logistic(double z) { return 1.0 / (1.0 + det_exp(-z)); }

/// Square root by Newton's method from + - * / only (x >= 0).
double det_sqrt(double x) {
    if (x <= 0) return 0;
    double r = x > 1 ? x : 1;
    for (int i = 0; i < 200; ++i) {
        const double n = 0.5 * (r + x / r);
        if (n >= r) break;
        r = n;
    }
    return r;
}

int pay_code(double z) {
    if (z < -1.3) return -2;
    if (z < -0.6) return -1;
    if (z < 0.7) return 0;
    const int c = 1 + static_cast<int>((z - 0.7) * 2.5);
    return c > 8 ? 8 : c;
}

// ---- civil time (Howard Hinnant's algorithms, proleptic Gregorian) --------------------------

long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

long long floor_div(long long a, long long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// ---- output: plain or gzip -----------------------------------------------------------------

struct writer {
    std::FILE* f = nullptr;
    gzFile gz = nullptr;
    std::vector<char> buf = std::vector<char>(std::size_t{1} << 22);
    std::size_t used = 0;
    unsigned long long total = 0; ///< JSON bytes written (uncompressed)
    void flush() {
        if (!used) return;
        if (gz) {
            if (gzwrite(gz, buf.data(), static_cast<unsigned>(used)) != static_cast<int>(used)) {
                std::fputs("gen_logs: gzip write failed\n", stderr);
                std::exit(1);
            }
        } else if (std::fwrite(buf.data(), 1, used, f) != used) {
            std::perror("gen_logs: write");
            std::exit(1);
        }
        used = 0;
    }
    void put(std::string_view s) {
        if (used + s.size() > buf.size()) flush();
        std::memcpy(buf.data() + used, s.data(), s.size());
        used += s.size();
        total += s.size();
    }
};

/// A line under construction.
struct line {
    std::string s;
    bool compact = false;
    void raw(std::string_view x) { s += x; }
    void key(std::string_view k, bool first = false) {
        if (!first) s += compact ? "," : ", ";
        s += '"';
        s += k;
        s += compact ? "\":" : "\": ";
    }
    void integer(long long v) {
        char b[32];
        const auto r = std::to_chars(b, b + sizeof b, v);
        s.append(b, r.ptr);
    }
    void shortest(double v) {
        char b[64];
        const auto r = std::to_chars(b, b + sizeof b, v);
        s.append(b, r.ptr);
    }
    void fixed(double v, int decimals) {
        char b[64];
        const auto r = std::to_chars(b, b + sizeof b, v, std::chars_format::fixed, decimals);
        s.append(b, r.ptr);
    }
    void text(std::string_view v) {
        s += '"';
        s += v;
        s += '"';
    }
    void two(unsigned v) {
        s += static_cast<char>('0' + v / 10);
        s += static_cast<char>('0' + v % 10);
    }
};

enum class time_format { iso, iso_ms, iso_offset, epoch, epoch_ms };

/// Writes instant `ms` (milliseconds since the epoch) in format f; `pick` chooses the offset of
/// iso-offset, `micro` its extra microseconds (0..999).
void write_time(line& l, long long ms, time_format f, std::uint64_t pick, unsigned micro) {
    if (f == time_format::epoch) {
        l.fixed(static_cast<double>(ms) / 1000.0, 3);
        return;
    }
    if (f == time_format::epoch_ms) {
        l.integer(ms);
        return;
    }
    static const int offsets[] = {60, -330, 0, 840};  // minutes east of UTC
    const int off = f == time_format::iso_offset ? offsets[pick % 4] : 0;
    const long long local_ms = ms + off * 60000LL;
    const long long secs = floor_div(local_ms, 1000);
    const auto frac = static_cast<unsigned>(local_ms - secs * 1000);
    const long long days = floor_div(secs, 86400);
    const auto sod = static_cast<unsigned>(secs - days * 86400);
    long long y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    l.s += '"';
    l.integer(y);
    l.s += '-';
    l.two(m);
    l.s += '-';
    l.two(d);
    l.s += 'T';
    l.two(sod / 3600);
    l.s += ':';
    l.two(sod / 60 % 60);
    l.s += ':';
    l.two(sod % 60);
    if (f != time_format::iso) {
        char b[8];
        std::snprintf(b, sizeof b, ".%03u", frac);
        l.s += b;
    }
    if (f == time_format::iso_offset) {
        char b[16];
        std::snprintf(b, sizeof b, "%03u", micro);
        l.s += b;
        const int a = off < 0 ? -off : off;
        std::snprintf(b, sizeof b, "%c%02d:%02d", off < 0 ? '-' : '+', a / 60, a % 60);
        l.s += b;
    } else {
        l.s += 'Z';
    }
    l.s += '"';
}

struct event {
    long long start = 0, minutes = 0;
    double value = 0;
};

[[noreturn]] void usage(const char* why = nullptr) {
    if (why) std::fprintf(stderr, "gen_logs: %s\n", why);
    std::fputs("usage: gen_logs (--minutes M | --bytes SIZE) --out FILE [--rps R] [--seed S] [--start ISO]\n"
               "       [--latency-spike START,MINUTES,F]... [--error-burst START,MINUTES,RATE]... [--gap START,MINUTES]...\n"
               "       [--time-format iso|iso-ms|iso-offset|epoch|epoch-ms] [--versions V=W,...] [--features N]\n"
               "       [--nulls P] [--label NAME] [--shuffle K] [--compact] [--latency-decimals D] [--level L]\n"
               "  writes a deterministic synthetic prediction log (JSON lines; gzip when FILE ends in .gz)\n",
               stderr);
    std::exit(2);
}

event parse_event(const char* v, int parts) {
    event e;
    double x[3] = {0, 0, 0};
    const char* p = v;
    for (int i = 0; i < parts; ++i) {
        char* end = nullptr;
        x[i] = std::strtod(p, &end);
        if (end == p || (i + 1 < parts && *end != ',') || (i + 1 == parts && *end != '\0')) usage("bad event");
        p = end + 1;
    }
    e.start = static_cast<long long>(x[0]);
    e.minutes = static_cast<long long>(x[1]);
    e.value = x[2];
    return e;
}

unsigned long long parse_size(const char* v) {
    char* end = nullptr;
    const double x = std::strtod(v, &end);
    double mult = 1;
    if (*end == 'K' || *end == 'k') mult = 1024.0, ++end;
    else if (*end == 'M' || *end == 'm') mult = 1024.0 * 1024.0, ++end;
    else if (*end == 'G' || *end == 'g') mult = 1024.0 * 1024.0 * 1024.0, ++end;
    if (*end != '\0' || !(x > 0)) usage("bad size");
    return static_cast<unsigned long long>(x * mult);
}

/// "YYYY-MM-DDTHH:MM:SSZ" -> seconds since the epoch.
long long parse_start(const char* v) {
    int y, mo, d, h, mi, s;
    char z = 0;
    if (std::sscanf(v, "%d-%d-%dT%d:%d:%d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z') usage("bad --start");
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
}

bool in(const std::vector<event>& evs, long long minute, double* value = nullptr) {
    for (const auto& e : evs)
        if (minute >= e.start && minute < e.start + e.minutes) {
            if (value) *value = e.value;
            return true;
        }
    return false;
}

const char* const feature_names[] = {
    "LIMIT_BAL", "SEX", "EDUCATION", "MARRIAGE", "AGE", "PAY_0", "PAY_2", "PAY_3", "PAY_4",
    "PAY_5", "PAY_6", "BILL_AMT1", "BILL_AMT2", "BILL_AMT3", "BILL_AMT4", "BILL_AMT5", "BILL_AMT6",
    "PAY_AMT1", "PAY_AMT2", "PAY_AMT3", "PAY_AMT4", "PAY_AMT5", "PAY_AMT6", "utilization_1",
    "payment_ratio_1"};
constexpr int n_features = 25;

} // namespace

int main(int argc, char** argv) {
    long long minutes = -1;
    unsigned long long max_bytes = 0;
    double rps = 2.0, nulls = 0.0;
    std::uint64_t seed = 1;
    long long start = parse_start("2025-12-26T00:00:00Z");
    std::vector<event> spikes, bursts, gaps;
    time_format tf = time_format::iso;
    std::vector<std::pair<std::string, double>> versions{{"1.0.0", 1.0}};
    int features = n_features;
    std::string label, out;
    long long shuffle = 0;
    bool compact = false;
    int level = 6, latency_decimals = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--compact") {
            compact = true;
            continue;
        }
        if (i + 1 >= argc) usage();
        const char* v = argv[++i];
        if (a == "--minutes") minutes = std::atoll(v);
        else if (a == "--bytes") max_bytes = parse_size(v);
        else if (a == "--rps") rps = std::strtod(v, nullptr);
        else if (a == "--seed") seed = std::strtoull(v, nullptr, 10);
        else if (a == "--start") start = parse_start(v);
        else if (a == "--latency-spike") spikes.push_back(parse_event(v, 3));
        else if (a == "--error-burst") bursts.push_back(parse_event(v, 3));
        else if (a == "--gap") gaps.push_back(parse_event(v, 2));
        else if (a == "--time-format") {
            const std::string_view f = v;
            tf = f == "iso" ? time_format::iso : f == "iso-ms" ? time_format::iso_ms
               : f == "iso-offset" ? time_format::iso_offset : f == "epoch" ? time_format::epoch
               : f == "epoch-ms" ? time_format::epoch_ms : (usage("bad --time-format"), time_format::iso);
        } else if (a == "--versions") {
            versions.clear();
            std::string_view s = v;
            while (!s.empty()) {
                const auto comma = s.find(',');
                const std::string_view item = s.substr(0, comma);
                const auto eq = item.find('=');
                if (eq == std::string_view::npos) usage("bad --versions");
                versions.emplace_back(std::string(item.substr(0, eq)), std::strtod(std::string(item.substr(eq + 1)).c_str(), nullptr));
                s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
            }
        } else if (a == "--features") features = std::atoi(v);
        else if (a == "--nulls") nulls = std::strtod(v, nullptr);
        else if (a == "--label") label = v;
        else if (a == "--shuffle") shuffle = std::atoll(v);
        else if (a == "--level") level = std::atoi(v);
        else if (a == "--latency-decimals") latency_decimals = std::atoi(v);
        else if (a == "--out") out = v;
        else usage();
    }
    if ((minutes < 0) == (max_bytes == 0) || out.empty() || !(rps > 0) || features < 0 || features > n_features ||
        versions.empty())
        usage();
    double weight_sum = 0;
    for (const auto& v : versions) weight_sum += v.second;

    writer w;
    const bool gz = out.size() > 3 && out.compare(out.size() - 3, 3, ".gz") == 0;
    if (gz) {
        const std::string mode = "wb" + std::to_string(level);
        w.gz = gzopen(out.c_str(), mode.c_str());
        if (!w.gz) {
            std::perror(out.c_str());
            return 1;
        }
    } else {
        w.f = out == "-" ? stdout : std::fopen(out.c_str(), "wb");
        if (!w.f) {
            std::perror(out.c_str());
            return 1;
        }
    }

    xoshiro256ss rng(seed);
    xoshiro256ss order_rng(seed ^ 0x5bd1e995ULL);
    std::vector<std::string> block;
    auto emit = [&](std::string&& s) {
        if (shuffle <= 1) {
            w.put(s);
            return;
        }
        block.push_back(std::move(s));
        if (static_cast<long long>(block.size()) == shuffle) {
            for (std::size_t i = block.size() - 1; i > 0; --i) std::swap(block[i], block[order_rng.below(i + 1)]);
            for (const auto& b : block) w.put(b);
            block.clear();
        }
    };
    const double sd = det_sqrt(rps);
    line l;
    l.compact = compact;
    std::vector<long long> ms_of;
    for (long long sec = 0;; ++sec) {
        const long long minute = sec / 60;
        if (minutes >= 0 && minute >= minutes) break;
        if (max_bytes && w.total >= max_bytes) break;
        if (in(gaps, minute)) continue;
        const double k_real = rps + sd * rng.normal();
        const long long k = k_real < 0 ? 0 : static_cast<long long>(k_real + 0.5);
        ms_of.assign(static_cast<std::size_t>(k), 0);
        for (auto& m : ms_of) m = static_cast<long long>(rng.below(1000));
        std::sort(ms_of.begin(), ms_of.end());
        double spike = 1.0, burst = 0.0;
        const bool spiking = in(spikes, minute, &spike);
        const bool bursting = in(bursts, minute, &burst);
        for (const long long msec : ms_of) {
            const long long t_ms = (start + sec) * 1000 + msec;
            l.s.clear();
            l.raw("{");
            l.key("timestamp", true);
            write_time(l, t_ms, tf, rng.next(), static_cast<unsigned>(rng.below(1000)));
            l.key("request_id");
            {
                char id[40];
                const std::uint64_t a = rng.next(), b = rng.next();
                std::snprintf(id, sizeof id, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                              static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                              static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                              static_cast<unsigned long long>(b & 0xffffffffffffULL));
                l.text(id);
            }
            l.key("model_version");
            {
                double u = rng.uniform() * weight_sum;
                std::size_t vi = 0;
                while (vi + 1 < versions.size() && u >= versions[vi].second) u -= versions[vi++].second;
                l.text(versions[vi].first);
            }
            // Inputs: a latent risk drives every feature (as gen_snapshots).
            const double risk = rng.normal();
            l.key("input");
            l.raw("{");
            long long limit = 0;
            double bill1 = 0;
            for (int f = 0; f < features; ++f) {
                l.key(feature_names[f], f == 0);
                if (nulls > 0 && rng.uniform() < nulls) {
                    l.raw("null");
                    continue;
                }
                switch (f) {
                case 0: {
                    long long units = static_cast<long long>(15.0 * det_exp(0.7 * rng.normal() - 0.35 * risk));
                    units = units < 1 ? 1 : units > 100 ? 100 : units;
                    limit = units * 10000;
                    l.integer(limit);
                    break;
                }
                case 1: l.integer(rng.uniform() < 0.6 ? 2 : 1); break;
                case 2: l.integer(1 + static_cast<long long>(rng.below(4))); break;
                case 3: l.integer(1 + static_cast<long long>(rng.below(3))); break;
                case 4: l.integer(21 + static_cast<long long>(rng.below(55))); break;
                case 5: case 6: case 7: case 8: case 9: case 10:
                    l.integer(pay_code(0.9 * risk + 0.6 * rng.normal() - 0.05 * (f - 5)));
                    break;
                case 11: case 12: case 13: case 14: case 15: case 16: {
                    const double util = 1.05 * logistic(0.8 * risk + 0.9 * rng.normal() - 0.5);
                    const double bill = static_cast<double>(limit ? limit : 150000) * util + 2000.0 * rng.normal();
                    if (f == 11) bill1 = bill;
                    l.integer(static_cast<long long>(bill));
                    break;
                }
                case 17: case 18: case 19: case 20: case 21: case 22:
                    l.integer(static_cast<long long>(2000.0 * det_exp(0.9 * rng.normal() - 0.4 * risk)));
                    break;
                case 23: {
                    double u = limit ? bill1 / static_cast<double>(limit) : 0.0;
                    u = u < 0 ? 0 : u > 5 ? 5 : u;
                    l.shortest(u);
                    break;
                }
                default: {
                    double r = 0.08 * det_exp(-0.6 * risk + 0.8 * rng.normal());
                    r = r > 5 ? 5 : r;
                    l.shortest(r);
                    break;
                }
                }
            }
            l.raw("}");
            // Status and latency.
            int status = 200;
            const double u = rng.uniform();
            if (bursting) {
                if (u < burst) status = rng.uniform() < 0.5 ? 500 : 503;
            } else if (u < 0.003) {
                status = rng.uniform() < 0.5 ? 400 : 422;
            } else if (u < 0.0032) {
                status = rng.uniform() < 0.5 ? 500 : 503;
            }
            const double noise = rng.normal();
            l.key("prediction");
            double pd = logistic(-1.7 + 0.85 * risk + 0.35 * noise);
            if (status == 200) {
                l.raw("{");
                l.key("probability", true);
                l.shortest(pd);
                l.key("prediction");
                l.text(pd >= 0.12 ? "DEFAULT" : "NO_DEFAULT");
                l.key("risk_band");
                l.text(pd < 0.12 ? "APROBADO" : pd < 0.5 ? "REVISION" : "RECHAZO");
                l.key("threshold_used");
                l.raw("0.12}");
            } else {
                l.raw("null");
            }
            if (!label.empty()) {
                const double p_true = logistic(-1.6 + risk + 0.3 * noise + 0.3 * rng.normal());
                l.key(label);
                l.integer(rng.uniform() < p_true ? 1 : 0);
            }
            double lat = 55.0 * det_exp(0.45 * rng.normal()) * (spiking ? spike : 1.0);
            l.key("latency_ms");
            if (latency_decimals > 0) {
                l.fixed(lat, latency_decimals);
            } else {
                if (lat < 1) lat = 1;
                l.integer(static_cast<long long>(lat + 0.5));
            }
            l.key("status");
            l.integer(status);
            l.raw("}\n");
            emit(std::move(l.s));
            l.s = std::string();
            if (max_bytes && w.total >= max_bytes) break;
        }
    }
    for (const auto& b : block) w.put(b);
    w.flush();
    if (gz) {
        if (gzclose(w.gz) != Z_OK) {
            std::fputs("gen_logs: gzip close failed\n", stderr);
            return 1;
        }
    } else if (w.f != stdout && std::fclose(w.f) != 0) {
        std::perror(out.c_str());
        return 1;
    }
    return 0;
}
