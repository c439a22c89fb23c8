// Unit tests of report.hpp: the field tree, rule bounds as fields, the gate decision.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <driftgate/report.hpp>

using namespace driftgate;

TEST_CASE("field: kinds, tables in insertion order, replacement in place", "[report]") {
    field f;
    CHECK(f.is_null());
    f.set("b", 1);
    f.set("a", 2.5);
    f.set("c", "text");
    f.set("b", std::size_t{7}); // replaced in place, order kept
    REQUIRE(f.is_table());
    const auto& t = f.as_table();
    REQUIRE(t.size() == 3);
    CHECK(t[0].first == "b");
    CHECK(t[0].second.type() == field::kind::unsigned_integer);
    CHECK(t[0].second.as_uint() == 7);
    CHECK(t[1].first == "a");
    CHECK(t[1].second.as_double() == 2.5);
    CHECK(t[2].second.as_text() == "text");
    CHECK(f.find("missing") == nullptr);
    CHECK(f.find("a")->as_double() == 2.5);
    CHECK(field(-3).type() == field::kind::integer);
    CHECK(field(-3).as_double() == -3.0);
    CHECK(field(true).as_bool());
    CHECK_THROWS_AS(field("x").as_double(), driftgate::error);
    CHECK_THROWS_AS(field(1.0).as_text(), driftgate::error);
}

TEST_CASE("field_key: 16 bytes, texts up to 15 bytes in place, longer ones on the heap", "[report]") {
    STATIC_REQUIRE(sizeof(field_key) == 16);
    STATIC_REQUIRE(sizeof(field::entry) == 32);
    // Edge cases: empty, 15 bytes (the longest held in place), 16 bytes (the shortest on the heap),
    // embedded NUL, a long text; each copied, moved, assigned and compared.
    const std::string texts[] = {"", "reference_share", "reference_shares", std::string("a\0b", 3),
                                 std::string(1000, 'x')};
    for (const auto& t : texts) {
        field_key k(t);
        CHECK(k.view() == t);
        CHECK(k.size() == t.size());
        field_key copy(k);
        CHECK(copy == k);
        CHECK(copy.view().data() != k.view().data());
        field_key moved(std::move(copy));
        CHECK(moved == t);
        field_key assigned("other");
        assigned = k;
        CHECK(assigned == t);
        assigned = field_key("z");
        CHECK(assigned == "z");
        CHECK(std::string(k) == t);
        CHECK(std::string("<") + k == "<" + t);
    }
    field f;
    f.set(std::string(40, 'k'), 1);
    f.set(std::string(40, 'k'), 2);
    CHECK(f.as_table().size() == 1);
    CHECK(f.find(std::string(40, 'k'))->as_int() == 2);
}

TEST_CASE("field: lists and equality", "[report]") {
    field l;
    l.push_back(1);
    l.push_back(field::make_table({{"k", nullptr}}));
    REQUIRE(l.is_list());
    CHECK(l.as_list().size() == 2);
    CHECK(l.as_list()[1].find("k")->is_null());
    field m = field::make_list({1, field::make_table({{"k", nullptr}})});
    CHECK(l == m);
    m.as_list()[0] = 2;
    CHECK(l != m);
}

TEST_CASE("edge_field and finite_or_null spell non-finite numbers", "[report]") {
    CHECK(edge_field(-INFINITY).as_text() == "-inf");
    CHECK(edge_field(INFINITY).as_text() == "inf");
    CHECK(edge_field(1.5).as_double() == 1.5);
    CHECK(edge_field(std::numeric_limits<double>::quiet_NaN()).is_null());
    CHECK(finite_or_null(-INFINITY).is_null());
    CHECK(finite_or_null(0.25).as_double() == 0.25);
}

TEST_CASE("to_field shows a rule's bounds and a band's", "[report]") {
    const field r = to_field(spec::recall());
    CHECK(r.find("direction")->as_text() == "below");
    CHECK(r.find("inclusive")->as_bool() == false);
    CHECK(r.find("target")->as_double() == 0.87);
    CHECK(r.find("warning")->as_double() == 0.80);
    CHECK(r.find("critical")->is_null());
    const field p = to_field(spec::psi(true));
    CHECK(p.find("inclusive")->as_bool());
    CHECK(p.find("critical")->as_double() == 0.25);
    const field b = to_field(spec::approval_rate());
    CHECK(b.find("low")->as_double() == 0.25);
    CHECK(b.find("breach")->as_text() == "warning");
}

TEST_CASE("gate_fails: the --fail-on table", "[report]") {
    // severity x fail_on -> fails
    struct row { severity s; fail_on f; bool fails; };
    const row table[] = {
        {severity::ok, fail_on::warning, false},       {severity::info, fail_on::warning, false},
        {severity::warning, fail_on::warning, true},   {severity::critical, fail_on::warning, true},
        {severity::ok, fail_on::critical, false},      {severity::info, fail_on::critical, false},
        {severity::warning, fail_on::critical, false}, {severity::critical, fail_on::critical, true},
        {severity::critical, fail_on::never, false},   {severity::warning, fail_on::never, false},
    };
    for (const auto& r : table) CHECK(gate_fails(r.s, r.f) == r.fails);
}

TEST_CASE("report::status is the worst check", "[report]") {
    report r;
    CHECK(r.status() == severity::ok);
    r.checks.push_back({"drift", "psi", "A", 0.1, severity::warning, {}, {}, {}, {}, {}});
    r.checks.push_back({"drift", "ks", "A", 0.5, severity::info, {}, {}, {}, {}, {}});
    CHECK(r.status() == severity::warning);
}
