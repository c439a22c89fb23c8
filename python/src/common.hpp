// driftgate Python bindings — what the binding files share: numpy views and the error mapping.
#pragma once

#include <span>
#include <string>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <driftgate/report.hpp>

#include "memory.hpp"

namespace driftgate::python {

namespace py = pybind11;

/// A float64 array: numpy's own buffer when the array is already contiguous float64 (no copy),
/// else a converted copy (integers, float32, strided views).
using f64_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

/// A call into the library: the GIL released for its duration and, at its end, the large blocks
/// the module's allocator kept for reuse during the call freed (cli/memory.cpp: a drift run's
/// reference columns are reused for the current file's without fresh page faults, and a
/// long-lived interpreter keeps nothing afterwards).
struct library_call {
    py::gil_scoped_release unlocked;
    library_call() = default;
    library_call(const library_call&) = delete;
    library_call& operator=(const library_call&) = delete;
    ~library_call() { driftgate::cli::release_kept_memory(); }
};

/// The array's values as a span; 1-D arrays only.
std::span<const double> view(const f64_array& a, const char* what);

/// A report field (table, list, number, text, ...) as the Python object json.loads would give
/// for the CLI's JSON of it (non-finite numbers: None, as the JSON's null).
py::object to_python(const driftgate::field& f);

void bind_stats(py::module_& m);
void bind_monitoring(py::module_& m);

} // namespace driftgate::python
