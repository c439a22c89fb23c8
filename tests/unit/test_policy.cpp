// Unit tests of the policy, its table of keys and the TOML reader (policy.hpp, policy_keys.hpp,
// policy_toml.hpp).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <driftgate/policy.hpp>
#include <driftgate/policy_keys.hpp>
#include <driftgate/policy_toml.hpp>

using namespace driftgate;

namespace {

/// The message of the driftgate::error that f throws ("" when it throws none).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const driftgate::error& e) {
        return e.what();
    }
    return "";
}

policy parse(const std::string& text) { return parse_policy_toml(text, "test.toml"); }

} // namespace

TEST_CASE("policy: the defaults are the monitoring design's thresholds", "[policy]") {
    const policy p;
    CHECK(p.drift.psi.warning == 0.10);
    CHECK(p.drift.psi.critical == 0.25);
    CHECK(p.drift.ks_pvalue.warning == 0.05);
    CHECK(p.drift.ks_pvalue.critical == 0.01);
    CHECK(p.drift.max_distinct == 20);
    CHECK(p.drift.top_k == 5);
    CHECK_FALSE(p.performance.threshold.has_value());
    CHECK(p.performance.decision_threshold() == 0.12);  // SPEC: PD >= 0.12 is predicted default
    CHECK(p.performance.auc.warning == 0.78);
    CHECK(p.performance.auc.critical == 0.75);
    CHECK(p.proxy.approval_rate.breach == severity::warning);
    CHECK(p.schema.missing_important == severity::critical);
    CHECK_NOTHROW(validate(p));
}

TEST_CASE("policy: the PSI rule is critical only within the top-k; per-feature overrides", "[policy]") {
    policy p;
    p.importance = {{"a", 0.5}, {"b", 0.4}, {"c", 0.1}};
    p.drift.top_k = 2;
    CHECK(p.psi_rule("a").critical.has_value());
    CHECK(p.psi_rule("b").critical.has_value());
    CHECK_FALSE(p.psi_rule("c").critical.has_value());
    CHECK(p.psi_rule("c").warning->value == 0.10);
    CHECK(p.psi_rule("not listed").critical.has_value());  // fail closed: counts as top-k
    p.features["a"].psi_warning = 0.2;
    p.features["a"].pvalue_critical = 0.001;
    CHECK(p.psi_rule("a").warning->value == 0.2);
    CHECK(p.psi_rule("a").warning->inclusive);
    CHECK(p.pvalue_rule("a", drift_test::chi2).critical->value == 0.001);
    CHECK(p.pvalue_rule("a", drift_test::chi2).warning->value == 0.05);
    CHECK_FALSE(p.pvalue_rule("a", drift_test::ks).critical->inclusive);  // p < bound
}

TEST_CASE("policy_keys: every key is declared once; the default text loads back to the defaults", "[policy]") {
    const auto& keys = policy_keys();
    for (std::size_t i = 0; i < keys.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            CHECK_FALSE((keys[i].table == keys[j].table && keys[i].name == keys[j].name));
    const std::string text = default_policy_toml();
    const policy p = parse(text);
    CHECK(policy_toml(p) == text);
    // A non-default policy round-trips too, importances and per-feature sections included.
    policy q;
    q.drift.bins = 7;
    q.drift.ks_statistic.warning = 0.15;
    q.drift.pvalue_correction = correction::holm;
    q.columns.features = {"a", "b,c"};
    q.importance = {{"a", 0.3}, {"weird name", 0.2}};
    q.features["b,c"].kind = column_kind::categorical;
    q.features["a"].edges = std::vector<double>{-1.5, 0, 2};
    q.segments.columns = {"AGE"};
    q.segments.edges["AGE"] = {25, 35.5, 60};
    q.segments.edges["odd name"] = {1};
    q.windows.time_column = "date";
    q.windows.window = "week";
    const std::string qt = policy_toml(q);
    CHECK(policy_toml(parse(qt)) == qt);
    const policy back = parse(qt);
    CHECK(back.drift.bins == 7);
    CHECK(back.drift.ks_statistic.warning == 0.15);
    CHECK(back.drift.pvalue_correction == correction::holm);
    CHECK(back.features.at("b,c").kind == column_kind::categorical);
    CHECK(back.importance.size() == 2);
    CHECK(back.importance[1].first == "weird name");
    CHECK(back.segments.edges.at("AGE") == std::vector<double>{25, 35.5, 60});
    CHECK(back.segments.edges.at("odd name") == std::vector<double>{1});
    CHECK(back.windows.window == "week");
    CHECK(qt.find("[segments.AGE]\nedges = [25.0, 35.5, 60.0]") != std::string::npos);
    // Control characters in texts and names are escaped: TOML refuses them raw (a token list
    // holding a form feed, read from "\f", printed raw did not load back: found by fuzz_config).
    policy c;
    c.input.missing_values = {"", "a\fb", std::string("nul\0x", 5), "\x01\x1f\x7f", "line\nend\r", "q\"uote\\"};
    c.importance = {{"bell\a", 0.25}, {"tab\there", 0.5}};  // in the order a TOML table reads back
    const std::string ct = policy_toml(c);
    const policy cb = parse(ct);
    CHECK(cb.input.missing_values == c.input.missing_values);
    CHECK(cb.importance == c.importance);
    CHECK(policy_toml(cb) == ct);
    CHECK(ct.find("\"a\\fb\"") == std::string::npos);  // not the short escape: \u000C
    CHECK(ct.find("\"a\\u000Cb\"") != std::string::npos);
    CHECK(ct.find("\"\\u0001\\u001F\\u007F\"") != std::string::npos);
}

TEST_CASE("policy_keys_markdown: the README's configuration reference is the table's", "[policy]") {
    std::ifstream in(DRIFTGATE_SOURCE_DIR "/README.md");
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string readme = ss.str();
    const std::string table = policy_keys_markdown();
    INFO("regenerate the README table with: driftgate config --markdown");
    CHECK(readme.find(table) != std::string::npos);
}

TEST_CASE("parse_policy_toml: errors name the place and the key", "[policy]") {
    struct bad_case {
        const char* text;
        const char* expected;
    };
    const bad_case cases[] = {
        {"[drift]\nbins = 0\n", "test.toml:2:8: key 'drift.bins': 0 is outside [2, 10000]"},
        {"[drift]\nbins = 1\n", "test.toml:2:8: key 'drift.bins': 1 is outside [2, 10000]"},
        {"[features.x]\nbins = 1\n", "key 'features.x.bins': 1 is outside [2, 10000]"},
        {"[drift]\nbinz = 3\n", "test.toml:2:1: key 'drift.binz': unknown key (known here: binning, bins"},
        {"[drift]\nbins = \"ten\"\n", "key 'drift.bins': expected an integer, found a string"},
        {"[drift.psi]\nwarning = 0.3\ncritical = 0.2\n", "test.toml:1:1: key 'drift.psi': warning (0.3) and critical (0.2) are in the wrong order"},
        // The place of a table made by dotted keys is its first key's; of an inline table, the brace.
        {"# bounds\n[drift]\nbins = 10\npsi.warning = 0.3\npsi.critical = 0.2\n", "test.toml:4:1: key 'drift.psi': warning (0.3)"},
        {"drift.psi = { warning = 0.3, critical = 0.2 }\n", "test.toml:1:13: key 'drift.psi': warning (0.3)"},
        {"[drift.psi]\nwarning = nan\n", "test.toml:2:11: key 'drift.psi.warning': nan is not a number"},
        {"[performance]\nthreshold = -nan\n", "key 'performance.threshold': nan is not a number"},
        // Points take any finite threshold: infinity is not one (it said "outside [0, 1]").
        {"[performance]\nscore_kind = \"points\"\nthreshold = inf\n", "test.toml:3:13: key 'performance.threshold': inf is not a finite number"},
        {"[drift.ks_pvalue]\nwarning = 0.01\ncritical = 0.05\n", "key 'drift.ks_pvalue': warning"},
        // A feature's bound against the one it inherits: judged by 0.1 and 0.05, in the wrong order.
        {"[features.AGE]\npsi_critical = 0.05\n",
         "test.toml:1:1: key 'features.AGE': psi_warning (0.1, from drift.psi) and psi_critical (0.05) are in the wrong order"},
        {"[drift.psi]\ncritical = 0.5\n[features.AGE]\npsi_warning = 0.6\n",
         "key 'features.AGE': psi_warning (0.6) and psi_critical (0.5, from drift.psi) are in the wrong order"},
        {"[features.AGE]\npvalue_critical = 0.2\n", "key 'features.AGE': pvalue_warning (0.05, from drift.ks_pvalue) and pvalue_critical (0.2)"},
        {"[drift.chi2_pvalue]\nwarning = 0.1\n[features.c]\ntest = \"chi2\"\npvalue_critical = 0.2\n",
         "key 'features.c': pvalue_warning (0.1, from drift.chi2_pvalue) and pvalue_critical (0.2"},
        // Names that are no column name: empty, white space, a byte-order mark.
        {"[columns]\nfeatures = [\"a\", \"\"]\n", "test.toml:2:12: key 'columns.features': name 2 (\"\") is no column name"},
        {"[segments]\ncolumns = [\" \"]\n", "key 'segments.columns': name 1 (\" \") is no column name"},
        {"[features.\"\\uFEFF\"]\nbins = 5\n", "key 'features': a [features.\"\xEF\xBB\xBF\"] section names no column"},
        {"[importance]\n\"\" = 0.5\n", "test.toml:1:1: key 'importance': an entry (\"\") names no column"},
        // "" means none; white space alone is a mistyped name that would pass as none.
        {"[columns]\nlabel = \" \"\n", "test.toml:2:9: key 'columns.label': \" \" is no column name (\"\" means none)"},
        {"[columns]\nscore = \"\\t\"\n", "key 'columns.score': \"\t\" is no column name"},
        {"[windows]\ntime_column = \" \"\n", "key 'windows.time_column': \" \" is no column name"},
        {"[drift]\ncorrection = \"fdr\"\n", "\"fdr\" is not one of \"none\", \"bonferroni\", \"holm\", \"bh\""},
        {"[columns]\nscore = \"x\"\nlabel = \"x\"\n", "test.toml:3:9: key 'columns.label': the score and the label are the same column \"x\""},
        {"[columns]\nfeatures = [\"default\"]\n", "test.toml:2:12: key 'columns.features': the label column \"default\" is listed as a feature"},
        {"[columns]\nfeatures = [\"a\", \"a\"]\n", "test.toml:2:12: key 'columns.features': column \"a\" is listed twice"},
        {"[segments]\ncolumns = [\"default\"]\n", "test.toml:2:11: key 'segments.columns': \"default\" is the label column: it cannot"},
        {"[segments]\ncolumns = [\"g\", \"h\", \"g\"]\n", "test.toml:2:11: key 'segments.columns': column \"g\" is listed twice"},
        {"[windows]\ntime_column = \"score\"\nwindow = \"day\"\n",
         "test.toml:2:15: key 'windows.time_column': the time column \"score\" is also the score column"},
        {"[input]\nmissing_values = [\"true\"]\n", "test.toml:1:1: key 'input.true_values': \"true\" is also in input.missing_values"},
        {"[features.\"a.b\"]\npsi_warning = 5\n", "test.toml:1:1: key 'features.a.b': psi_warning (5)"},
        {"[columns]\nfeatures = [\"a\", \"b\"]\nexclude = [\"b\"]\n",
         "test.toml:3:11: key 'columns.exclude': column \"b\" is also listed as a feature (columns.features)"},
        {"[features.PAY_0]\nbinz = 3\n", "key 'features.PAY_0.binz': unknown key (known here: kind, test"},
        {"[features.x]\nkind = \"categorical\"\ntest = \"ks\"\n", "KS needs ordered values"},
        {"[features.x]\nedges = [1, 1]\n", "strictly increasing"},
        {"[importance]\nPAY_0 = -1\n", "key 'importance.PAY_0': -1 is outside [0, inf]"},
        {"[proxy.mean_score]\nlow = 0.5\nhigh = 0.2\n", "key 'proxy.mean_score': low is above high"},
        {"[perfomance]\n", "key 'perfomance': unknown key (known here:"},
        {"[input]\ndelimiter = \"ab\"\n", "key 'input.delimiter': \"ab\" is not a field separator (one ASCII character;"},
        // A sign numbers are written with would split them into fields: 1.5 read as 1 and 5.
        {"[input]\ndelimiter = \".\"\n", "key 'input.delimiter': \".\" is not a field separator"},
        {"[input]\ndelimiter = \"e\"\n", "key 'input.delimiter': \"e\" is not a field separator"},
        {"[input]\ndelimiter = \"5\"\n", "key 'input.delimiter': \"5\" is not a field separator"},
        {"[drift\n", "test.toml:1:"},
        {"[drift]\nepsilon = nan\n", "is not a number"},
        // Below the smallest double: toml++ reads 0 without a word (1e400 is its own error).
        {"[drift.ks_pvalue]\ncritical = 1e-400\n", "test.toml:2:12: 1e-400 is too close to 0 for a double (write 0)"},
        {"[performance]\nthreshold = 2.5E-999\n", "test.toml:2:13: 2.5E-999 is too close to 0 for a double"},
        {"drift.psi = { warning = 0.1, critical = 1_0e-400 }\n", "test.toml:1:41: 1_0e-400 is too close to 0"},
        {"\xEF\xBB\xBF" "drift.epsilon = 1e-400\n", "test.toml:1:17: 1e-400 is too close to 0"},  // after a byte-order mark
        {"[segments.\"größe\"]\nedges = [0.5, 1e-400]\n", "test.toml:2:15: 1e-400 is too close to 0"},
        {"[importance]\n\"größe\" = 1e-400\n", "test.toml:2:11: 1e-400 is too close to 0"},  // columns count code points
        // [service]
        {"[service]\nwindow_seconds = 0\n", "key 'service.window_seconds': 0 is outside [1, 86400]"},
        {"[service]\non_bad_line = \"ignore\"\n", "\"ignore\" is not one of \"error\", \"skip\""},
        {"[service]\ntimestamp_unit = \"us\"\n", "\"us\" is not one of \"s\", \"ms\""},
        {"[service]\nlatency_field = \"\"\n", "key 'service.latency_field': a field path cannot be empty"},
        {"[service]\nscore_field = \"prediction..probability\"\n", "key 'service.score_field': \"prediction..probability\" is not a dotted field path"},
        {"[service]\nstatus_field = \".status\"\n", "is not a dotted field path"},
        {"[service.latency_p95]\nwarning = 400.0\n", "test.toml:1:1: key 'service.latency_p95': warning (400) and critical (300) are in the wrong order"},
        {"[service.latency_p50]\ntarget = 200.0\n", "key 'service.latency_p50': the target (200) is beyond an alert bound (150)"},
        {"[service.requests_per_second]\nwarning = 20.0\n", "key 'service.requests_per_second': the target (10) is beyond an alert bound (20)"},
        {"[service.error_rate_5xx]\ncritical = 1.5\n", "key 'service.error_rate_5xx.critical': 1.5 is outside [0, 1]"},
        {"[service.latency_p95_sustained]\nseverity = \"ok\"\n", "key 'service.latency_p95_sustained.severity': \"ok\" would never report a breach"},
        // A dropped column or an empty one shown as ok (exit 0): info notes it without failing.
        {"[schema]\nmissing_important = \"ok\"\n", "test.toml:2:21: key 'schema.missing_important': \"ok\" would never report a breach"},
        {"[data_quality]\nall_missing = \"ok\"\n", "test.toml:2:15: key 'data_quality.all_missing': \"ok\" would never"},
        {"[proxy.mean_score]\nseverity = \"ok\"\n", "key 'proxy.mean_score.severity': \"ok\" would never report a breach"},
        // [input] tokens in two lists: "yes" both true and missing; "N" (trimmed, any case) both.
        {"[input]\nmissing_values = [\"\", \"yes\"]\n", "key 'input.true_values': \"yes\" is also in input.missing_values (\"yes\"): a cell would read two ways"},
        {"[input]\ntrue_values = [\"Y\"]\nfalse_values = [\" y\"]\n", "key 'input.false_values': \" y\" is also in input.true_values (\"Y\")"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        const std::string what = error_of([&] { (void)parse(c.text); });
        CHECK(what.find(c.expected) != std::string::npos);
    }
    // Zeros written as zeros, and the subnormal doubles, are numbers.
    for (const char* zero : {"0.0", "-0.0", "+0e5", "0.000e-400", "4.9e-324", "1e-320"}) {
        INFO(zero);
        CHECK_NOTHROW(parse(std::string("[drift.ks_pvalue]\ncritical = ") + zero + "\n"));
    }
}

TEST_CASE("parse_policy_toml: deep nesting and huge texts are refused before the parser sees them", "[policy]") {
    // Tens of thousands of nested arrays would exhaust the TOML parser's stack (signal 11).
    const std::string deep = "x = " + std::string(50000, '[') + std::string(50000, ']') + "\n";
    const std::string what = error_of([&] { (void)parse(deep); });
    CHECK(what.find("test.toml:1:") != std::string::npos);
    CHECK(what.find("nested too deep") != std::string::npos);
    const std::string inline_tables = "x = " + std::string(200, '{') + "\n";
    CHECK(error_of([&] { (void)parse(inline_tables); }).find("nested too deep") != std::string::npos);
    // Brackets inside strings and comments are not nesting.
    const std::string quoted = "[columns]\nexclude = [\"" + std::string(500, '[') + "\"]  # " + std::string(500, '[') + "\n";
    CHECK(parse(quoted).columns.exclude.at(0) == std::string(500, '['));
    const std::string huge(policy_toml_max_bytes + 1, '#');
    CHECK(error_of([&] { (void)parse(huge); }).find("larger than 16 MiB") != std::string::npos);
}

namespace {
/// `n` parts joined by dots: "x.x.x".
std::string dotted(std::size_t n, const std::string& part = "x") {
    std::string s = part;
    for (std::size_t i = 1; i < n; ++i) s += "." + part;
    return s;
}
} // namespace

TEST_CASE("parse_policy_toml: key paths and table headers of too many parts are refused before the parser", "[policy]") {
    // A dotted key or a header of ~35,000 parts nests that many tables: the TOML parser crashed on
    // them (signal 11). Each is refused with its place, whatever its parts are quoted or bare.
    struct bad {
        std::string text, place, what;
    };
    const std::vector<bad> cases = {
        {dotted(40000) + " = 1\n", "test.toml:1:256:", "key path too long"},
        {"[" + dotted(40000) + "]\n", "test.toml:1:257:", "key path too long"},
        {"[[" + dotted(40000) + "]]\n", "test.toml:1:258:", "key path too long"},
        {"[drift]\n" + dotted(40000, "\"x\"") + " = 1\n", "test.toml:2:", "key path too long"},
        {"[drift]\n" + dotted(40000, "'x'") + " = 1\n", "test.toml:2:", "key path too long"},
        {"a = { " + dotted(129) + " = 1 }\n", "test.toml:1:", "key path too long"},
        {dotted(129) + " = 1\n", "test.toml:1:", "nested too deep"},
        // Each part within the bound, but 64 inline tables of 100-part keys: 6,464 levels.
        {[] {
             std::string s = "a = ";
             for (int i = 0; i < 64; ++i) s += "{ " + dotted(100) + " = ";
             return s + "1" + std::string(64, '}') + "\n";
         }(),
         "test.toml:1:", "nested too deep"},
        {"[" + dotted(128) + "]\n" + dotted(128) + " = [1]\n", "test.toml:2:", "nested too deep"},
    };
    for (const auto& c : cases) {
        INFO(c.text.substr(0, 80));
        const std::string what = error_of([&] { (void)parse(c.text); });
        CHECK(what.find(c.place) != std::string::npos);
        CHECK(what.find(c.what) != std::string::npos);
    }
    // Within the bounds, dots in strings, comments and numbers are not key parts: the document
    // reaches the TOML reader (which finds the keys unknown, or reads them).
    CHECK(error_of([&] { (void)parse(dotted(128) + " = 1\n"); }).find("unknown key") != std::string::npos);
    CHECK(error_of([&] { (void)parse("[" + dotted(128) + "]\n"); }).find("unknown key") != std::string::npos);
    const std::string many_dots = "[columns]\nexclude = [\"" + dotted(1000) + "\"]  # " + dotted(1000) + "\n" +
                                  "[input]\nmissing_values = ['" + dotted(1000) + "']\n";
    CHECK(parse(many_dots).columns.exclude.at(0) == dotted(1000));
    // 1,000 numbers with a decimal point on one line: one dot each, not a key path.
    std::string edges = "[features.\"a.b\"]\nedges = [0.5";
    for (int i = 1; i < 1000; ++i) edges += ", " + std::to_string(i) + ".5";
    const policy p = parse(edges + "]\n");
    REQUIRE(p.features.count("a.b") == 1);
    CHECK(p.features.at("a.b").edges->size() == 1000);
}

TEST_CASE("parse_policy_toml: keys set the policy", "[policy]") {
    const policy p = parse(R"(
[input]
missing_values = ["", "?"]
on_bad_value = "missing"
[columns]
exclude = ["id"]
label = ""
[drift]
max_distinct = 12
test = "chi2"
effect_gate = "both"
[drift.cramers_v]
warning = 0.1
[performance]
score_kind = "points"
higher_is_riskier = false
threshold = 600
[importance]
PAY_0 = 0.198
[features.SEX]
kind = "categorical"
)");
    CHECK(p.input.missing_values == std::vector<std::string>{"", "?"});
    CHECK(p.input.on_bad_value == bad_value_policy::missing);
    CHECK(p.columns.exclude == std::vector<std::string>{"id"});
    CHECK(p.columns.label.empty());
    CHECK(p.drift.max_distinct == 12);
    CHECK(p.drift.test == drift_test::chi2);
    CHECK(p.drift.gate == effect_gate::both);
    CHECK(p.drift.cramers_v.warning == 0.1);
    CHECK_FALSE(p.drift.cramers_v.critical.has_value());
    CHECK(p.performance.kind == score_kind::points);
    CHECK_FALSE(p.performance.higher_is_riskier);
    CHECK(p.performance.threshold == 600);
    CHECK(p.importance.at(0).second == 0.198);
    CHECK(p.features.at("SEX").kind == column_kind::categorical);
    // [proxy] confidence and [performance] confidence are two settings.
    const policy q = parse("[proxy]\nconfidence = 0.9\n");
    CHECK(q.proxy.confidence == 0.9);
    CHECK(q.performance.confidence == 0.95);
}

TEST_CASE("policy: the service section's defaults are the monitoring design's; keys set it", "[policy][service]") {
    const policy d;
    const auto& s = d.service;
    CHECK(s.latency_p50.target == 100.0);
    CHECK(s.latency_p50.warning == 150.0);
    CHECK(!s.latency_p50.critical);
    CHECK(!s.latency_p95.target);
    CHECK(s.latency_p95.warning == 200.0);
    CHECK(s.latency_p95.critical == 300.0);
    CHECK(s.latency_p99.target == 500.0);
    CHECK(s.latency_p99.warning == 1000.0);
    CHECK(s.error_rate_4xx.target == 0.01);
    CHECK(s.error_rate_4xx.critical == 0.05);
    CHECK(s.error_rate_5xx.target == 0.001);
    CHECK(s.error_rate_5xx.warning == 0.01);
    CHECK(s.error_rate_5xx.critical == 0.05);
    CHECK(s.requests_per_second.target == 10.0);
    CHECK(s.requests_per_second.warning == 5.0);
    CHECK(s.predictions_per_day.target == 1000.0);
    CHECK(s.predictions_per_day.warning == 500.0);
    CHECK(s.latency_p95_sustained.above == 300.0);
    CHECK(s.error_rate_sustained.above == 0.05);
    CHECK(s.sustained_windows == 5);
    CHECK(s.window_seconds == 60);
    const policy p = parse("[service]\ntimestamp_field = \"meta.at\"\ntimestamp_unit = \"ms\"\non_bad_line = \"skip\"\n"
                           "label_field = \"outcome\"\nwindow_seconds = 120\nsustained_windows = 3\nconfidence = 0.9\n"
                           "[service.latency_p99]\ncritical = 2000.0\n"
                           "[service.error_rate_sustained]\nabove = 0.1\nseverity = \"warning\"\n");
    CHECK(p.service.timestamp_field == "meta.at");
    CHECK(p.service.numeric_timestamp_unit == time_unit::milliseconds);
    CHECK(p.service.on_bad_line == bad_line_policy::skip);
    CHECK(p.service.label_field == "outcome");
    CHECK(p.service.window_seconds == 120);
    CHECK(p.service.sustained_windows == 3);
    CHECK(p.service.confidence == 0.9);
    CHECK(p.service.latency_p99.critical == 2000.0);
    CHECK(p.service.latency_p99.warning == 1000.0);  // the other bounds keep their defaults
    CHECK(p.service.error_rate_sustained.above == 0.1);
    CHECK(p.service.error_rate_sustained.level == severity::warning);
    // The text of a policy loads back to it.
    const policy q = parse(policy_toml(p));
    CHECK(policy_toml(q) == policy_toml(p));
}
