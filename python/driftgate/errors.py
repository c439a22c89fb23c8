"""driftgate's errors: ValueError subclasses carrying the library's error id (``errc``) and the
exit code the CLI gives for the same failure (``exit_code``: 65 bad data, 66 missing input, ...)."""

__all__ = [
    "DriftgateError", "EmptySampleError", "LengthMismatchError", "OneClassError", "BadLabelError",
    "NegativeWeightError", "InvalidParameterError", "NonFiniteError", "NothingToJudgeError",
    "BadFormatError", "BadDataError", "NoInputError", "OutputError", "UsageError", "SystemResourceError",
    "error_class",
]


class DriftgateError(ValueError):
    """Base class: ``errc`` is driftgate's error id ("empty_sample", ...; "bad_data", "no_input",
    "io", "usage", "os_error" for the CLI's reader), ``exit_code`` the CLI's exit code for it."""

    errc = "unknown"

    def __init__(self, message, errc=None, exit_code=65):
        super().__init__(message)
        if errc is not None:
            self.errc = errc
        self.exit_code = exit_code

    def __reduce__(self):  # survives pickling (Dask sends a worker's exception to the client)
        return (type(self), (str(self), self.errc, self.exit_code))


class EmptySampleError(DriftgateError):
    errc = "empty_sample"


class LengthMismatchError(DriftgateError):
    errc = "length_mismatch"


class OneClassError(DriftgateError):
    errc = "one_class"


class BadLabelError(DriftgateError):
    errc = "bad_label"


class NegativeWeightError(DriftgateError):
    errc = "negative_weight"


class InvalidParameterError(DriftgateError):
    errc = "invalid_parameter"


class NonFiniteError(DriftgateError):
    errc = "non_finite"


class NothingToJudgeError(DriftgateError):
    errc = "nothing_to_judge"


class BadFormatError(DriftgateError):
    errc = "bad_format"


class BadDataError(DriftgateError):
    """A CSV or configuration the CLI's reader rejects (the CLI exits 65)."""
    errc = "bad_data"


class NoInputError(DriftgateError):
    """An input that is missing or unreadable (the CLI exits 66)."""
    errc = "no_input"


class OutputError(DriftgateError):
    """An output that cannot be written (the CLI exits 74)."""
    errc = "io"


class UsageError(DriftgateError):
    """Arguments that do not fit together (the CLI exits 64)."""
    errc = "usage"


class SystemResourceError(DriftgateError):
    """The system failed the run: out of memory (the CLI exits 71)."""
    errc = "os_error"


_BY_ID = {c.errc: c for c in (
    EmptySampleError, LengthMismatchError, OneClassError, BadLabelError, NegativeWeightError,
    InvalidParameterError, NonFiniteError, NothingToJudgeError, BadFormatError, BadDataError,
    NoInputError, OutputError, UsageError, SystemResourceError)}


def error_class(errc):
    """The exception class for an error id (DriftgateError for an id this version does not know)."""
    return _BY_ID.get(errc, DriftgateError)
