// driftgate — doubles held in a vector of their own, or viewed where someone else holds them (the
// values of a mapped profile file): the storage of a sorted_sample's values.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace driftgate {
inline namespace v0 {

/// A read-only array of doubles that either owns its values (a std::vector) or views values held
/// elsewhere, kept alive by a shared owner: a profile file mapped into memory lends its sorted
/// values without a copy (parse_profile with an owner), so a 1e6-row profile loads without
/// writing 8 MB per column into fresh memory.
/// Reads like a std::span<const double> (size, data, [], begin/end, front/back; converts to a
/// span); changes only by assigning a whole vector. Copying a view copies the view (the owner is
/// shared); copying an owning array copies its values. Moving never moves the values (a vector's
/// buffer moves with it). Cost: O(1) for everything but copying an owning array (O(n)).
class double_array {
public:
    double_array() noexcept = default;
    /// Owns `v`'s values (implicit: `s.values = std::move(v)` reads as it did with a vector).
    double_array(std::vector<double> v) noexcept : own_(std::move(v)), view_(own_) {}  // NOLINT: implicit by design
    double_array(std::initializer_list<double> v) : double_array(std::vector<double>(v)) {}

    /// Views `values`, which must stay valid and unchanged while `owner` (or a copy of it) lives.
    [[nodiscard]] static double_array view(std::span<const double> values, std::shared_ptr<const void> owner) noexcept {
        double_array a;
        a.view_ = values;
        a.owner_ = std::move(owner);
        return a;
    }

    double_array(const double_array& o) : own_(o.own_), view_(o.owner_ ? o.view_ : std::span<const double>(own_)), owner_(o.owner_) {}
    double_array(double_array&& o) noexcept
        : own_(std::move(o.own_)), view_(o.owner_ ? o.view_ : std::span<const double>(own_)), owner_(std::move(o.owner_)) {
        o.view_ = {};
        o.own_.clear();
    }
    double_array& operator=(const double_array& o) {
        if (this != &o) *this = double_array(o);
        return *this;
    }
    double_array& operator=(double_array&& o) noexcept {
        if (this != &o) {
            own_ = std::move(o.own_);
            view_ = o.owner_ ? o.view_ : std::span<const double>(own_);
            owner_ = std::move(o.owner_);
            o.view_ = {};
            o.own_.clear();
        }
        return *this;
    }
    ~double_array() = default;

    [[nodiscard]] std::size_t size() const noexcept { return view_.size(); }
    [[nodiscard]] bool empty() const noexcept { return view_.empty(); }
    [[nodiscard]] const double* data() const noexcept { return view_.data(); }
    [[nodiscard]] const double& operator[](std::size_t i) const noexcept { return view_[i]; }
    [[nodiscard]] const double* begin() const noexcept { return view_.data(); }
    [[nodiscard]] const double* end() const noexcept { return view_.data() + view_.size(); }
    [[nodiscard]] const double& front() const noexcept { return view_.front(); }
    [[nodiscard]] const double& back() const noexcept { return view_.back(); }
    [[nodiscard]] std::span<const double> span() const noexcept { return view_; }
    operator std::span<const double>() const noexcept { return view_; }  // NOLINT: implicit by design

    /// True when the values are viewed (held by an owner), false when owned.
    [[nodiscard]] bool is_view() const noexcept { return owner_ != nullptr; }

    /// The values as a vector of their own: moved out of an owning array, copied from a view.
    /// The array is empty afterwards.
    [[nodiscard]] std::vector<double> take() {
        std::vector<double> out = owner_ ? std::vector<double>(view_.begin(), view_.end()) : std::move(own_);
        *this = double_array();
        return out;
    }

    friend bool operator==(const double_array& a, const double_array& b) noexcept {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i] != b[i]) return false;
        return true;
    }

private:
    std::vector<double> own_;           // the values when owned
    std::span<const double> view_;      // the values: own_'s, or the owner's
    std::shared_ptr<const void> owner_; // keeps viewed values alive; null when owned
};

} // namespace v0
} // namespace driftgate
