// driftgate — double_array: values owned or viewed, and what copying, moving and taking do.
#include <catch2/catch.hpp>

#include <memory>
#include <span>
#include <vector>

#include <driftgate/double_array.hpp>

namespace dg = driftgate;

TEST_CASE("double_array: an owning array reads like its vector and keeps its buffer when moved", "[double_array]") {
    std::vector<double> v{3.0, 1.0, 2.0};
    const double* buffer = v.data();
    dg::double_array a = std::move(v);
    CHECK(!a.is_view());
    CHECK(a.size() == 3);
    CHECK(a.data() == buffer);  // no copy
    CHECK(a[0] == 3.0);
    CHECK(a.front() == 3.0);
    CHECK(a.back() == 2.0);
    CHECK(std::vector<double>(a.begin(), a.end()) == std::vector<double>{3.0, 1.0, 2.0});
    const std::span<const double> s = a;
    CHECK(s.data() == buffer);

    dg::double_array moved = std::move(a);
    CHECK(moved.data() == buffer);
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from array is empty, by contract
    dg::double_array assigned;
    assigned = std::move(moved);
    CHECK(assigned.data() == buffer);
    CHECK(assigned.size() == 3);

    // A copy owns values of its own.
    const dg::double_array copy = assigned;
    CHECK(!copy.is_view());
    CHECK(copy.data() != buffer);
    CHECK(copy == assigned);
}

TEST_CASE("double_array: a view shares its owner's values and keeps the owner alive", "[double_array]") {
    auto held = std::make_shared<std::vector<double>>(std::vector<double>{0.5, 1.5, 2.5, 3.5});
    std::weak_ptr<std::vector<double>> watch = held;
    dg::double_array view = dg::double_array::view(std::span<const double>(held->data() + 1, 2), held);
    const double* at = held->data() + 1;
    held.reset();
    CHECK(!watch.expired());  // the view holds the owner
    CHECK(view.is_view());
    CHECK(view.data() == at);
    CHECK(view.size() == 2);
    CHECK(view[0] == 1.5);
    CHECK(view.back() == 2.5);

    // Copies and moves of a view are views of the same values.
    dg::double_array copy = view;
    CHECK(copy.is_view());
    CHECK(copy.data() == at);
    dg::double_array moved = std::move(copy);
    CHECK(moved.data() == at);
    CHECK(copy.empty());  // NOLINT(bugprone-use-after-move)

    // take() copies a view's values out (the owner's stay as they are) and empties the array.
    const std::vector<double> out = moved.take();
    CHECK(out == std::vector<double>{1.5, 2.5});
    CHECK(moved.empty());
    CHECK(!moved.is_view());
    view = dg::double_array();
    CHECK(watch.expired());  // the last view gone, the owner goes
}

TEST_CASE("double_array: take() moves an owning array's vector out", "[double_array]") {
    std::vector<double> v(1000, 7.0);
    const double* buffer = v.data();
    dg::double_array a = std::move(v);
    const std::vector<double> out = a.take();
    CHECK(out.data() == buffer);
    CHECK(a.empty());
}

TEST_CASE("double_array: equality compares values as doubles, whatever holds them", "[double_array]") {
    auto held = std::make_shared<std::vector<double>>(std::vector<double>{-0.0, 1.0});
    const dg::double_array view = dg::double_array::view(*held, held);
    CHECK(view == dg::double_array{0.0, 1.0});  // -0.0 == +0.0, as std::vector's == says
    CHECK(!(view == dg::double_array{0.0}));
    CHECK(!(view == dg::double_array{0.0, 2.0}));
    CHECK(dg::double_array{} == dg::double_array{});
}
