// driftgate Python bindings — the extension module `driftgate._driftgate`: errors and the parts.
#include <exception>
#include <string>

#include <driftgate/core.hpp>
#include <driftgate/version.hpp>

#include "common.hpp"
#include "exit_codes.hpp"

namespace driftgate::python {

std::span<const double> view(const f64_array& a, const char* what) {
    if (a.ndim() != 1)
        throw driftgate::error(errc::invalid_parameter, what, "expects a one-dimensional array, got " + std::to_string(a.ndim()) +
                                                                  " dimensions");
    return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

py::object to_python(const driftgate::field& f) {
    using k = driftgate::field::kind;
    switch (f.type()) {
    case k::null: return py::none();
    case k::boolean: return py::bool_(f.as_bool());
    case k::integer: return py::int_(f.as_int());
    case k::unsigned_integer: return py::int_(f.as_uint());
    case k::number: {
        const double d = f.as_double();
        return std::isfinite(d) ? py::object(py::float_(d)) : py::object(py::none());
    }
    case k::text: return py::str(f.as_text());
    case k::list: {
        py::list out;
        for (const auto& x : f.as_list()) out.append(to_python(x));
        return out;
    }
    case k::table: {
        py::dict out;
        for (const auto& [key, value] : f.as_table()) out[py::str(key.str())] = to_python(value);
        return out;
    }
    }
    return py::none();
}

namespace {

/// Raises the Python class driftgate.errors picks for `id` (a ValueError subclass).
void raise(const char* id, const std::string& message, int exit_code) {
    const py::module_ errors = py::module_::import("driftgate.errors");
    const py::object cls = errors.attr("error_class")(id);
    const py::object instance = cls(message, id, exit_code);
    PyErr_SetObject(cls.ptr(), instance.ptr());
}

} // namespace

} // namespace driftgate::python

PYBIND11_MODULE(_driftgate, m) {
    namespace py = pybind11;
    using namespace driftgate::python;
    m.doc() = "driftgate: exact drift and model-performance statistics (C++ core)";
    m.attr("__version__") = driftgate::version_string;
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const driftgate::error& e) {
            // The CLI exits 65 (data error) for every library error.
            raise(driftgate::to_string(e.id()), e.what(), 65);
        } catch (const driftgate::cli::cli_error& e) {
            const int code = static_cast<int>(e.code());
            const char* id = code == 66 ? "no_input" : code == 74 ? "io" : code == 64 ? "usage" : code == 71 ? "os_error" : "bad_data";
            raise(id, e.what(), code);
        }
    });
    bind_stats(m);
    bind_monitoring(m);
}
