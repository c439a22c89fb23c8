#include "snapshot.hpp"
#include "decompress.hpp"
#include "input_path.hpp"
#include "machine.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <unistd.h>

#include <fmt/format.h>

#include <driftgate/profile_io.hpp>

#include "csv.hpp"
#include "file_bytes.hpp"
#include "parallel.hpp"

namespace driftgate::cli {
namespace {

/// "FILE:LINE:COL: column \"NAME\"" of data record `record` of a loaded column.
std::string place(const csv_table& t, std::size_t record, const std::string& column) {
    return fmt::format("{}:{}:{}: column \"{}\"", t.path, t.line_of_record(record), t.info_of(column).index, column);
}

std::string number_text(double v) { return fmt::format("{}", v); }

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

} // namespace

void check_rows(const csv_table& t, std::span<const double> score, std::span<const double> label,
                const snapshot_request& req) {
    for (std::size_t i = 0; i < label.size(); ++i) {
        const double y = label[i];
        if (std::isnan(y))
            throw cli_error(exit_code::data, fmt::format("{}: the label is missing (labels must be 0 or 1 in every row)",
                                                         place(t, i, req.label)));
        if (y != 0.0 && y != 1.0)
            throw cli_error(exit_code::data, fmt::format("{}: the label is {}; labels must be 0 or 1",
                                                         place(t, i, req.label), number_text(y)));
    }
    for (std::size_t i = 0; i < score.size(); ++i) {
        const double s = score[i];
        if (std::isnan(s)) {
            if (!label.empty())
                throw cli_error(exit_code::data, fmt::format("{}: the score is missing (performance needs every score)",
                                                             place(t, i, req.score)));
            continue;
        }
        if (req.probability && !(s >= 0.0 && s <= 1.0))
            throw cli_error(exit_code::data,
                            fmt::format("{}: the score is {}: probabilities must lie in [0, 1] ({})", place(t, i, req.score),
                                        number_text(s), probability_advice(req)));
    }
}

std::string probability_advice(const snapshot_request& req) {
    return req.probability_hint.empty()
               ? std::string("for scorecard points or a PD in percent set [performance] score_kind = \"points\"")
               : req.probability_hint;
}

bool is_profile_file(const std::string& path) {
    // Standard input is read whole and kept (as a CSV there is anyway) and judged by its text.
    if (path == "-") {
        const std::string_view text = csv_impl::held_standard_input();
        return text.size() >= 8 && driftgate::looks_like_profile(text.substr(0, 8));
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return false;
    std::ifstream in(path, std::ios::binary);
    // A profile compressed with gzip or zstd is one too (load_profile_file decompresses it): by
    // the start of its text, not as a CSV that fails on its second line.
    const std::string text = text_start(
        [&](char* p, std::size_t n) {
            in.read(p, static_cast<std::streamsize>(n));
            return static_cast<std::size_t>(in.gcount());
        },
        8, true);
    return text.size() >= 8 && driftgate::looks_like_profile(std::string_view(text).substr(0, 8));
}

namespace {

/// The text of a profile file compressed with gzip or zstd (`in`, after its first bytes `head`),
/// decompressed in pieces on this thread (decompressing_reader) and stopped as soon as it runs
/// past the length its first 24 bytes announce (a bomb that starts like a profile is refused after
/// that many bytes, not after half the memory), or past `max_bytes` when that length is beyond it.
/// Damaged data is exit 65 naming the file (a profile has no lines to place it at).
std::string inflate_profile(const std::string& path, std::ifstream& in, std::string head, compression kind,
                            std::uint64_t max_bytes) {
    decompressing_reader unz(
        kind, std::move(head),
        [&](char* p, std::size_t n) {
            in.read(p, static_cast<std::streamsize>(n));
            return static_cast<std::size_t>(in.gcount());
        },
        false);
    std::string text;
    std::optional<std::uint64_t> announced;
    std::string piece(std::size_t{1} << 16, '\0');
    const auto runs_past = [&] {
        throw cli_error(exit_code::data, fmt::format("{}: a damaged profile: its text runs past the {} bytes its header "
                                                     "announces (corrupt, or a decompression bomb); nothing was judged",
                                                     shown_path(path), *announced));
    };
    try {
        for (std::size_t n; (n = unz.take(piece.data(), piece.size())) != 0;) {
            // Judged before the piece is kept: the text never grows past what its header announces
            // (a bomb that announces 1 GiB holds 1 GiB at most, not the 2 GiB that growing the
            // buffer by doubling would have reached).
            // A length beyond what can be held: held up to that bound, so that a damaged header
            // over a short text is still the damage it is (exit 65, parse_profile), and only a
            // text that really goes on that long is the machine's limit (71).
            if (announced && *announced > max_bytes && text.size() + n > max_bytes)
                throw cli_error(exit_code::os_error, fmt::format("{}: the profile announces {} bytes, more than half this "
                                                                 "machine's memory ({} bytes)",
                                                                 shown_path(path), *announced, max_bytes));
            if (announced && text.size() + n > *announced) runs_past();
            text.append(piece, 0, n);
            if (!announced) {
                announced = driftgate::announced_profile_bytes(text);
                // Reserved, not touched: pages are used only as the text fills them.
                if (announced && *announced <= max_bytes) text.reserve(static_cast<std::size_t>(*announced));
            }
            if (!announced && text.size() >= 24) break;  // not a profile's start: parse_profile names what is wrong
            if (announced && text.size() > *announced) runs_past();  // the first piece alone ran past it
        }
    } catch (const decompression_error& e) {
        throw cli_error(exit_code::data, fmt::format("{}: {}; nothing was judged", shown_path(path), e.what()));
    }
    return text;
}

} // namespace

driftgate::profile load_profile_file(const std::string& path, std::shared_ptr<const csv_impl::file_bytes>* lent) {
    // Compressed: held in memory, its length bounded by what its header announces.
    std::shared_ptr<const std::string> inflated;
    // Looked at by a read of their own for regular files only: a pipe would lose what the look
    // took. A stream (standard input, a pipe named by its path) is read once, whole, by file_bytes,
    // which decompresses it too.
    std::error_code not_regular;
    if (path != "-" && std::filesystem::is_regular_file(path, not_regular)) {
        std::ifstream in(path, std::ios::binary);
        std::string head(magic_bytes, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
        const compression kind = detect_compression(head);
        if (kind == compression::gzip || kind == compression::zstd)
            inflated = std::make_shared<const std::string>(inflate_profile(path, in, std::move(head), kind, csv_impl::max_stream_bytes()));
    }
    // Mapped, not read into a buffer: a profile of 1e6-row columns is tens of megabytes, which the
    // parse copies once (or, lent, views where they are mapped).
    const auto bytes = inflated ? nullptr : std::make_shared<csv_impl::file_bytes>(path, true);
    if (bytes && bytes->streaming()) bytes->read_all();
    try {
        // A profile is refused, before anything is allocated, when its values would not fit in
        // this machine's memory (a file of a few bytes may claim 2^40 rows of one value).
        const unsigned long long memory = physical_memory_bytes();
        const std::uint64_t max_values = memory ? std::max<std::uint64_t>(memory / sizeof(double), 1) : driftgate::default_profile_max_values;
        if (inflated)  // lent: the values view the text, which the profile keeps
            return driftgate::parse_profile(*inflated, path, max_values,
                                            lent != nullptr ? std::shared_ptr<const void>(inflated) : std::shared_ptr<const void>());
        driftgate::profile p = driftgate::parse_profile(
            bytes->text(), path, max_values, lent != nullptr ? std::shared_ptr<const void>(bytes) : std::shared_ptr<const void>());
        bytes->check_unchanged();
        if (lent != nullptr) *lent = bytes;
        return p;
    } catch (const driftgate::error& e) {
        std::string what = e.what();
        const std::string prefix = "driftgate: profile: ";
        if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
        throw cli_error(exit_code::data, what);
    }
}

std::optional<driftgate::profile> peek_profile_file(const std::string& path) {
    try {
        csv_impl::file_bytes bytes(path, true);
        if (bytes.streaming()) return std::nullopt;
        return driftgate::peek_profile(bytes.text(), path);
    } catch (const std::exception&) {
        return std::nullopt;  // load_profile_file says what is wrong
    }
}

std::vector<std::string> snapshot_header(const std::string& path, const config& c) {
    if (is_profile_file(path)) return load_profile_file(path).header;
    return read_csv_header(path, c.csv());
}

void require_csv_snapshot(const std::string& path) {
    if (is_profile_file(path))
        throw cli_error(exit_code::usage,
                        fmt::format("{}: a driftgate profile, where a CSV snapshot is needed: a profile stands for the "
                                    "reference only (drift REF.dgp CURRENT.csv, check --reference REF.dgp)",
                                    shown_path(path)));
}

void set_categories(driftgate::raw_column& r, const text_column& tc) {
    r.type = driftgate::value_type::text;
    r.categories.names = tc.categories;
    r.categories.counts.assign(tc.counts.begin(), tc.counts.end());
    r.categories.missing = tc.missing;
}

driftgate::profile profile_csv(const std::string& path, const snapshot_request& req, const config& c) {
    require_csv_snapshot(path);
    const csv_options opt = c.csv();
    const bool bad_as_missing = c.policy.input.on_bad_value == driftgate::bad_value_policy::missing;
    // Columns to load: the profiled ones (as samples: order not needed), the score and the label
    // (in row order: they are checked row by row and split by class).
    const bool with_classes = !req.score.empty() && !req.label.empty();
    const bool score_rows = !req.score.empty();
    std::vector<column_request> wanted;
    std::unordered_map<std::string, std::size_t> kind_of;
    for (std::size_t i = 0; i < req.columns.size(); ++i) {
        const std::string& name = req.columns[i];
        if (!kind_of.emplace(name, i).second) continue;
        column_request r;
        r.name = name;
        r.kind = req.kinds[i] == read_as::text ? cell_kind::text : req.kinds[i] == read_as::number ? cell_kind::number : cell_kind::automatic;
        const bool row_order = name == req.score || name == req.label;
        r.unordered = !row_order;
        r.bad_as_missing = bad_as_missing && !row_order;
        wanted.push_back(std::move(r));
    }
    for (const std::string* name : {&req.score, &req.label})
        if (!name->empty() && (name == &req.score || with_classes) && !kind_of.count(*name))
            wanted.push_back(column_request{*name, cell_kind::number, false, false});
    csv_table t = read_csv(path, wanted, opt);

    driftgate::profile p;
    p.meta.source = path;
    p.meta.rows = t.rows;
    p.meta.created = now_seconds();
    p.header = t.header;
    p.score = req.score;
    p.label = with_classes ? req.label : std::string();

    // Row-order checks and the classes; the score and label are moved out of the table unless
    // they are profiled columns too.
    std::vector<double> score_values, label_values;
    auto row_values = [&](const std::string& name) {
        if (kind_of.count(name)) {
            const auto col = t.column(name);
            return std::vector<double>(col.begin(), col.end());
        }
        return t.take(name);
    };
    if (score_rows) score_values = row_values(req.score);
    if (with_classes) label_values = row_values(req.label);
    if (score_rows && (with_classes || req.probability))
        check_rows(t, score_values, label_values, req);

    // Profile the columns (in header order) on the worker pool, the sorts first.
    std::vector<std::string> names;
    const std::unordered_set<std::string> loaded(t.names.begin(), t.names.end());
    for (const auto& h : t.header)
        if (kind_of.count(h) && loaded.count(h)) names.push_back(h);
    std::vector<driftgate::raw_column> raw(names.size());
    std::vector<std::size_t> first;
    for (std::size_t i = 0; i < names.size(); ++i) {
        driftgate::raw_column& r = raw[i];
        const column_info& info = t.info_of(names[i]);
        r.name = names[i];
        r.invalid = info.bad_cells;
        if (info.bad_cells > 0) r.first_invalid = info.first_bad + ": " + info.first_bad_text;
        if (const text_column* tc = t.text_of(names[i])) {
            set_categories(r, *tc);
            continue;
        }
        r.type = info.boolean ? driftgate::value_type::boolean : driftgate::value_type::number;
        if (const counted_sample* k = t.counts(names[i])) {
            r.counted = *k;
        } else if (names[i] == req.score || names[i] == req.label) {
            const auto col = t.column(names[i]);
            r.values.assign(col.begin(), col.end());
            first.push_back(i);
        } else {
            r.values = t.take(names[i]);
            if (!looks_like_codes(r.values)) first.push_back(i);
        }
    }
    // The score by class: split here (labels checked above), each class sorted as its own task.
    driftgate::roc_classes classes;
    if (with_classes) {
        classes = driftgate::split_classes(score_values, label_values);
        score_values = {};
        label_values = {};
        p.classes.emplace();
        first.insert(first.begin(), {names.size(), names.size() + 1});
    }
    p.columns.resize(names.size());
    const std::size_t tasks = names.size() + (with_classes ? 2 : 0);
    run_tasks(
        tasks, c.threads,
        [&](std::size_t i) {
            if (i < names.size()) p.columns[i] = driftgate::profile_column(std::move(raw[i]));
            else if (i == names.size()) p.classes->positives = driftgate::sort_sample(std::move(classes.positives));
            else p.classes->negatives = driftgate::sort_sample(std::move(classes.negatives));
        },
        first);
    return p;
}

} // namespace driftgate::cli
