"""A policy given as a dict, written as the TOML text the configuration reader parses (so a dict
and a file go through the same checks of every key, type and range)."""

import math
import numbers

__all__ = ["dumps"]


def _key(k):
    k = str(k)
    if k and all(c.isalnum() or c in "-_" for c in k):
        return k
    return '"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(v, path):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return repr(f)
    if isinstance(v, str):
        out = ['"']
        for c in v:
            if c in '"\\':
                out.append("\\" + c)
            elif ord(c) < 0x20 or ord(c) == 0x7F:
                out.append("\\u%04x" % ord(c))
            else:
                out.append(c)
        out.append('"')
        return "".join(out)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x, path) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x, path + '.' + str(k))}" for k, x in v.items()) + "}"
    raise TypeError(f"policy key '{path}': {type(v).__name__} is not a TOML value")


def dumps(d, prefix=""):
    """TOML text of a nested dict: scalars and lists first, then one [table] per sub-dict."""
    if not isinstance(d, dict):
        raise TypeError("a policy is a dict of tables ({'drift': {'bins': 10}, ...})")
    lines, tables = [], []
    for k, v in d.items():
        if isinstance(v, dict):
            tables.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_value(v, prefix + str(k))}")
    out = []
    if lines:
        out.append("\n".join(lines))
    for k, v in tables:
        name = f"{prefix}.{_key(k)}" if prefix else _key(k)
        body = dumps(v, name)
        out.append(f"[{name}]\n{body}" if body else f"[{name}]")
    return "\n".join(out)
