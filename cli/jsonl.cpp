#include "jsonl.hpp"
#include "category_table.hpp"
#include "decompress.hpp"
#include "file_bytes.hpp"
#include "input_path.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <charconv>
#include <cstring>
#include <exception>
#include <filesystem>
#include <new>
#include <optional>
#include <unordered_map>
#include <utility>

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace driftgate::cli {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void bad_data(const std::string& path, const std::string& why) {
    throw cli_error(exit_code::data, shown_path(path) + ": " + why);
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// A text for a message: at most 40 characters, non-printable bytes escaped.
std::string excerpt(std::string_view s) {
    std::string out;
    const std::size_t n = std::min<std::size_t>(s.size(), 40);
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            out += fmt::format("\\x{:02x}", c);
        } else {
            out += static_cast<char>(c);
        }
    }
    if (s.size() > n) out += "...";
    return out;
}

/// True when the first byte after an optional byte-order mark and white space is '{'.
bool starts_as_json(std::string_view head) {
    std::size_t i = 0;
    if (head.size() >= 3 && head.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
    return i < head.size() && head[i] == '{';
}

constexpr std::size_t buffer_bytes = std::size_t{4} << 20;
static_assert((max_line_bytes / buffer_bytes) * buffer_bytes == max_line_bytes, "the buffer doubles up to the bound");
constexpr std::size_t padding = simdjson::SIMDJSON_PADDING;

} // namespace

// ---- line_source -----------------------------------------------------------------------------

struct line_source::impl {
    std::string path;
    int fd = -1;
    bool own_fd = false;
    std::uint64_t size = 0;                  // 0: unknown
    std::atomic<std::uint64_t> consumed{0};  // bytes read from the file (also by the decompressing thread)
    std::uint64_t text = 0;                  // bytes of lines handed out
    std::uint64_t line_no = 0;

    std::unique_ptr<char[]> buf;  // capacity + padding bytes
    std::size_t capacity = 0;
    std::size_t pos = 0, end = 0; // unconsumed data: [pos, end)
    std::size_t scanned = 0;      // [pos, scanned) holds no line feed
    bool eof = false;             // no more data after [pos, end)
    bool at_start = true;         // nothing handed out yet (byte-order mark check)
    // A compressed stream that cannot go on (truncated, corrupt): the complete lines before the
    // damage are still handed out, then the error is thrown placed where the text ends
    // (FILE:LINE:COLUMN, COLUMN one past the last byte of the partial line).
    std::string damage;

    std::unique_ptr<decompressing_reader> unz;  // a gzip or zstd file's text
    // Standard input already read whole by a command that looked at its first bytes
    // (is_json_lines): its (decompressed) text, read from memory instead of the descriptor.
    std::optional<std::string_view> held;

    ~impl() {
        unz.reset();  // its thread reads fd
        if (own_fd && fd >= 0) ::close(fd);
    }

    /// read(2) up to n bytes into p; 0 at the end of the file.
    std::size_t read_some(void* p, std::size_t n) {
        if (held) {
            const std::size_t r = std::min(n, held->size());
            std::memcpy(p, held->data(), r);
            held->remove_prefix(r);
            consumed.fetch_add(r, std::memory_order_relaxed);
            return r;
        }
        for (;;) {
            const ssize_t r = ::read(fd, p, n);
            if (r >= 0) {
                consumed.fetch_add(static_cast<std::uint64_t>(r), std::memory_order_relaxed);
                return static_cast<std::size_t>(r);
            }
            if (errno == EINTR) continue;
            const int err = errno;
            if (err == EISDIR) no_input(path, "is a directory, not a log file");
            no_input(path, std::string("cannot read: ") + std::strerror(err));
        }
    }

    void open(bool background) {
        if (path == "-" && csv_impl::standard_input_held()) {
            held = csv_impl::held_standard_input();
            size = held->size();
            capacity = buffer_bytes;
            buf.reset(new char[capacity + padding]);
            std::memset(buf.get() + capacity, ' ', padding);
            return;  // the text, already decompressed
        }
        if (path == "-") {
            fd = STDIN_FILENO;
        } else {
            fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                const int err = errno;
                if (err == ENOENT) no_input(path, "no such file");
                no_input(path, std::string("cannot open: ") + std::strerror(err));
            }
            own_fd = true;
        }
        struct stat st {};
        if (::fstat(fd, &st) == 0) {
            if (S_ISDIR(st.st_mode)) no_input(path, "is a directory, not a log file");
            // A terminal would wait for typing, /dev/zero or /dev/urandom never end: refused before
            // a byte is read, as the CSV reader refuses them.
            if (S_ISCHR(st.st_mode) && ::isatty(fd)) no_input(path, "is a terminal; pipe or redirect a log to it");
            if (S_ISCHR(st.st_mode)) no_input(path, "is a character device, not a log file (an endless or interactive input)");
            if (S_ISBLK(st.st_mode)) no_input(path, "is a block device, not a log file");
            if (S_ISREG(st.st_mode)) {
                size = static_cast<std::uint64_t>(st.st_size);
#ifdef POSIX_FADV_SEQUENTIAL
                (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
            }
        }
        capacity = buffer_bytes;
        buf.reset(new char[capacity + padding]);
        std::memset(buf.get() + capacity, ' ', padding);
        // The first bytes tell a compressed stream (gzip, zstd: decompress.hpp) from text.
        std::string first(magic_bytes, '\0');
        std::size_t got = 0;
        while (got < magic_bytes) {
            const std::size_t r = read_some(first.data() + got, magic_bytes - got);
            if (r == 0) break;
            got += r;
        }
        first.resize(got);
        const compression kind = detect_compression(first);
        if (kind == compression::gzip || kind == compression::zstd) {
            unz = std::make_unique<decompressing_reader>(
                kind, std::move(first), [this](char* p, std::size_t n) { return read_some(p, n); }, background);
        } else {
            std::memcpy(buf.get(), first.data(), got);
            end = got;
            if (got == 0) eof = true;
        }
    }

    /// Appends data at `end` (at least one byte unless the file is exhausted: then eof).
    void fill() {
        std::size_t n = 0;
        if (!unz) {
            n = read_some(buf.get() + end, capacity - end);
        } else {
            try {
                n = unz->take(buf.get() + end, capacity - end);
            } catch (const decompression_error& e) {
                damage = e.what();
            }
        }
        end += n;
        if (n == 0) eof = true;
    }

    bool next(std::string_view& line) {
        for (;;) {
            if (at_start && (end - pos >= 3 || eof)) {
                at_start = false;
                if (end - pos >= 3 && std::memcmp(buf.get() + pos, "\xEF\xBB\xBF", 3) == 0) pos += 3;
                scanned = pos;
            }
            if (!at_start) {
                if (scanned < pos) scanned = pos;
                const void* nl = scanned < end ? std::memchr(buf.get() + scanned, '\n', end - scanned) : nullptr;
                if (!nl && eof && !damage.empty())  // the partial line before the damage is not a line
                    throw cli_error(exit_code::data, fmt::format("{}:{}:{}: {}; nothing was judged", shown_path(path), line_no + 1,
                                                                 end - pos + 1, damage));
                if (nl || (eof && pos < end)) {
                    const std::size_t stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf.get()) : end;
                    std::size_t len = stop - pos;
                    if (len > 0 && buf[pos + len - 1] == '\r') --len;
                    line = std::string_view(buf.get() + pos, len);
                    text += stop - pos + (nl ? 1 : 0);
                    pos = nl ? stop + 1 : end;
                    scanned = pos;
                    ++line_no;
                    return true;
                }
                scanned = end;
                if (eof) return false;
            }
            // More data: move the partial line to the front, grow for a line longer than the buffer.
            if (pos > 0) {
                std::memmove(buf.get(), buf.get() + pos, end - pos);
                end -= pos;
                scanned -= pos;
                pos = 0;
            }
            if (end == capacity) {
                // [0, end) is one unfinished line: bounded, so that an input without line feeds
                // (a binary file, a stream of zeros) stops with its place instead of exhausting memory.
                if (capacity >= max_line_bytes)
                    throw cli_error(exit_code::data,
                                    fmt::format("{}:{}:1: a line longer than {} MiB (no line feed in it): not a JSON-lines log",
                                                shown_path(path), line_no + 1, max_line_bytes >> 20));
                const std::size_t grown = capacity * 2;
                std::unique_ptr<char[]> b(new char[grown + padding]);
                std::memcpy(b.get(), buf.get(), end);
                std::memset(b.get() + grown, ' ', padding);
                buf = std::move(b);
                capacity = grown;
            }
            fill();
        }
    }
};

line_source::line_source(const std::string& path, bool background) : p_(std::make_unique<impl>()) {
    p_->path = path;
    p_->open(background);
}
line_source::~line_source() = default;
bool line_source::next(std::string_view& line) { return p_->next(line); }
std::uint64_t line_source::line_number() const noexcept { return p_->line_no; }
bool line_source::compressed() const noexcept { return p_->unz != nullptr; }
std::uint64_t line_source::bytes_read() const noexcept { return p_->consumed.load(std::memory_order_relaxed); }
std::uint64_t line_source::file_size() const noexcept { return p_->size; }
std::uint64_t line_source::text_bytes() const noexcept { return p_->text; }
const std::string& line_source::path() const noexcept { return p_->path; }

// ---- arguments and detection -----------------------------------------------------------------

std::vector<std::string> expand_log_arguments(std::span<const std::string> args) {
    std::vector<std::string> out;
    for (const auto& a : args) {
        std::error_code ec;
        const bool pattern = a.find_first_of("*?[") != std::string::npos;
        if (a == "-" || !pattern || fs::exists(a, ec)) {
            out.push_back(a);
            continue;
        }
        glob_t g{};
        const int rc = ::glob(a.c_str(), GLOB_TILDE, nullptr, &g);
        if (rc == GLOB_NOMATCH) {
            globfree(&g);
            throw cli_error(exit_code::no_input, fmt::format("{}: no file matches this pattern", a));
        }
        if (rc != 0) {
            globfree(&g);
            throw cli_error(exit_code::no_input, fmt::format("{}: cannot expand this pattern", a));
        }
        for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
        globfree(&g);
    }
    // The same file twice would count its requests twice (`service - log.jsonl < log.jsonl`
    // names one file twice too).
    require_distinct_files(out, "its requests");
    return out;
}

bool is_json_lines(const std::string& path) {
    // Standard input is read whole (as a CSV there is anyway) and judged by its text; one that
    // cannot be read (a terminal, damaged compressed data, too long to hold) is that error at once,
    // not a guess about what it held.
    if (path == "-") return starts_as_json(csv_impl::held_standard_input());
    for (const char* ext : {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".jsonl.zst", ".ndjson.zst"})
        if (ends_with(path, ext)) return true;
    // A name that says CSV is CSV, whatever its bytes: a compressed CSV gets the CSV reader's
    // message saying how to decompress it, not a log reader's complaint about JSON.
    for (const char* ext : {".csv", ".csv.gz", ".csv.zst", ".tsv", ".tsv.gz", ".tsv.zst"})
        if (ends_with(path, ext)) return false;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    constexpr std::size_t head_bytes = std::size_t{64} << 10;
    std::string head(head_bytes, '\0');
    const ssize_t n = ::read(fd, head.data(), head.size());
    ::close(fd);
    if (n < 2) return false;
    head.resize(static_cast<std::size_t>(n));
    // A compressed file is judged by the start of its text (a CSV in gzip or zstd stays a CSV).
    bool damaged = false;
    const bool whole = head.size() < head_bytes;
    head = text_start(std::move(head), 512, whole, &damaged);
    // Damaged compressed data: judged on the text before the damage; with none, read as a log,
    // whose reader names the damage whatever the command's options.
    if (damaged && head.empty()) return true;
    return starts_as_json(head);
}

// ---- fields ----------------------------------------------------------------------------------

namespace {

/// A dotted field path split into its keys.
struct field_path {
    std::string text;
    std::vector<std::string> keys;
    explicit field_path(std::string t) : text(std::move(t)) {
        std::size_t start = 0;
        for (;;) {
            const auto dot = text.find('.', start);
            keys.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
    }
};

const char* type_name(const simdjson::dom::element& e) {
    switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "a number";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    }
    return "a value";
}

/// "a string ("abc")", "a number (12)", "null", ...: what a field holds, for a message.
std::string describe(const simdjson::dom::element& e) {
    if (e.is_string()) return fmt::format("a string (\"{}\")", excerpt(e.get_string().value_unsafe()));
    if (e.is_number()) return fmt::format("a number ({})", excerpt(simdjson::minify(e)));
    if (e.is_bool()) return fmt::format("a boolean ({})", e.get_bool().value_unsafe() ? "true" : "false");
    return type_name(e);
}

/// A lookup's outcome: the element, or the reason it is not there (and the reason's category).
struct found {
    simdjson::dom::element value;
    std::string problem;
    const char* reason = nullptr;
    [[nodiscard]] bool ok() const { return reason == nullptr; }
};

/// The problem of a field named twice in one object, `name` its path.
std::string duplicate_problem(const std::string& name) {
    return fmt::format("field \"{}\" given twice in one object (JSON readers differ on which value counts: the first "
                       "or the last)", name);
}

/// `keys` and one more: the path to a member of the object at `keys`.
std::vector<std::string> with_key(const std::vector<std::string>& keys, std::string_view key) {
    std::vector<std::string> out = keys;
    out.emplace_back(key);
    return out;
}

/// The first name given twice in `names`, if any. O(n log n).
std::optional<std::string> named_twice(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    const auto at = std::adjacent_find(names.begin(), names.end());
    return at == names.end() ? std::nullopt : std::optional<std::string>(*at);
}

found lookup(const simdjson::dom::element& root, const field_path& f) {
    found r;
    simdjson::dom::element e = root;
    // The path up to key k (for messages only: built when a lookup fails).
    auto prefix = [&](std::size_t k) {
        std::string p;
        for (std::size_t i = 0; i < k; ++i) p += (i ? "." : "") + f.keys[i];
        return p;
    };
    for (std::size_t k = 0; k < f.keys.size(); ++k) {
        if (!e.is_object()) {
            r.problem = fmt::format("field \"{}\" is {}, not an object (looking for \"{}\")", prefix(k), describe(e), f.text);
            r.reason = "field of the wrong type";
            return r;
        }
        // Every member is looked at: a key named twice is refused, since readers of JSON disagree
        // on which value it has (simdjson's at_key takes the first, Python's json and jq the last;
        // RFC 8259, 4: "the behavior of software that receives such an object is unpredictable").
        std::optional<simdjson::dom::element> next;
        const simdjson::dom::object members = e.get_object().value_unsafe();
        for (const auto member : members) {
            if (member.key != f.keys[k]) continue;
            if (next) {
                r.problem = duplicate_problem(prefix(k + 1));
                r.reason = "duplicate field";
                return r;
            }
            next = member.value;
        }
        if (!next) {
            r.problem = fmt::format("no field \"{}\"", prefix(k + 1));
            r.reason = "missing field";
            return r;
        }
        e = *next;
    }
    r.value = e;
    return r;
}

/// simdjson's error in plain words.
std::string json_problem(simdjson::error_code e) {
    switch (e) {
    case simdjson::TAPE_ERROR:
        return "not valid JSON: malformed structure (a missing or extra comma, colon, brace or bracket)";
    case simdjson::UNCLOSED_STRING: return "not valid JSON: a string is not closed";
    case simdjson::STRING_ERROR: return "not valid JSON: a malformed string (a bad escape or a control character)";
    // The parser reports one error for the three: valid JSON can hold numbers no double or
    // 64-bit integer holds, and a line with one cannot be read.
    case simdjson::NUMBER_ERROR:
        return "a number that is not valid JSON, or that no double or 64-bit integer holds (beyond the range of a double "
               "(1e400), or an integer beyond 64 bits)";
    case simdjson::UNESCAPED_CHARS: return "not valid JSON: a control character inside a string";
    case simdjson::CAPACITY: return "a line too long to parse (4 GB or more)";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "not valid JSON: a malformed true, false or null";
    case simdjson::UTF8_ERROR: return "not valid UTF-8 text";
    case simdjson::EMPTY: return "not valid JSON: no value";
    case simdjson::DEPTH_ERROR: return "not valid JSON: nested too deeply";
    default: return std::string("not valid JSON (") + simdjson::error_message(e) + ")";
    }
}

bool blank(std::string_view s) {
    for (const char c : s)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

// ---- the column of a problem ------------------------------------------------------------------

std::size_t skip_space(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    return i;
}

/// The index after the string starting at s[i] (a quote).
std::size_t skip_string(std::string_view s, std::size_t i) {
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\') ++i;
        else if (s[i] == '"') return i + 1;
    }
    return s.size();
}

/// The index after the value starting at s[i].
std::size_t skip_value(std::string_view s, std::size_t i) {
    if (i >= s.size()) return i;
    if (s[i] == '"') return skip_string(s, i);
    if (s[i] == '{' || s[i] == '[') {
        std::size_t depth = 0;
        while (i < s.size()) {
            const char c = s[i];
            if (c == '"') {
                i = skip_string(s, i);
                continue;
            }
            if (c == '{' || c == '[') ++depth;
            else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
            ++i;
        }
        return i;
    }
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\t' && s[i] != '\r') ++i;
    return i;
}

/// Walks a valid JSON text down `keys`: the 0-based offset of the value at `keys`, or of the value
/// at the longest prefix of them that exists (the object lacking the next key, or the value that
/// is not an object); with `to_duplicate`, the offset of the second key of the first object on the
/// way that names its key twice. A key is compared as written (a key spelled with escapes is not
/// found). O(line).
std::size_t member_offset(std::string_view s, const std::vector<std::string>& keys, bool to_duplicate) {
    std::size_t at = skip_space(s, 0);
    for (const auto& key : keys) {
        if (at >= s.size() || s[at] != '{') return at;
        std::size_t j = skip_space(s, at + 1), first = std::string_view::npos;
        while (j < s.size() && s[j] == '"') {
            const std::size_t key_at = j, end = skip_string(s, j);
            const std::string_view k = s.substr(j + 1, end - j - 2);
            j = skip_space(s, skip_space(s, end) + 1);  // past the colon
            if (k == key) {
                if (first != std::string_view::npos) return key_at;
                first = j;
                if (!to_duplicate) break;
            }
            j = skip_space(s, skip_value(s, j));
            if (j < s.size() && s[j] == ',') j = skip_space(s, j + 1);
        }
        if (first == std::string_view::npos) return at;
        at = first;
    }
    return at;
}

std::size_t value_offset(std::string_view s, const std::vector<std::string>& keys) { return member_offset(s, keys, false); }

/// The 1-based column of the first number in a line that neither a double nor a 64-bit integer
/// holds (1e400, an integer of 30 digits: valid JSON that simdjson refuses), or 0. O(line).
std::size_t out_of_range_number_column(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '"') {
            i = skip_string(s, i);
            continue;
        }
        if (s[i] != '-' && (s[i] < '0' || s[i] > '9')) {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == 'e' || s[j] == 'E' || s[j] == '+' || s[j] == '-')) ++j;
        const char* const b = s.data() + i;
        const char* const e = s.data() + j;
        bool out = false;
        if (std::string_view(b, j - i).find_first_of(".eE") == std::string_view::npos) {
            std::int64_t a = 0;
            std::uint64_t u = 0;
            out = std::from_chars(b, e, a).ec == std::errc::result_out_of_range &&
                  std::from_chars(b, e, u).ec != std::errc{};
        } else {
            double d = 0;
            out = std::from_chars(b, e, d).ec == std::errc::result_out_of_range;
        }
        if (out) return i + 1;
        i = j;
    }
    return 0;
}

/// The 1-based column where a line stops being valid JSON: the byte nlohmann-json's parser
/// stopped at (the error path only: one more parse of a line already refused), or the number no
/// double or 64-bit integer holds. 1 when neither is found (nesting too deep).
std::size_t syntax_error_column(std::string_view line) {
    try {
        const auto parsed = nlohmann::json::parse(line.begin(), line.end());
        (void)parsed;
    } catch (const nlohmann::json::parse_error& e) {
        return std::max<std::size_t>(1, std::min<std::size_t>(e.byte, line.size() + 1));
    } catch (const std::exception&) {
    }
    return std::max<std::size_t>(1, out_of_range_number_column(line));
}

/// Counts or throws, by the bad-line policy. A problem is placed at FILE:LINE:COLUMN, COLUMN the
/// 1-based byte of the line where it is: where the JSON stops being valid, or where the field in
/// question (or the object lacking it) starts.
class bad_lines {
public:
    bad_lines(bad_line_policy p, bad_line_summary& s) : policy_(p), s_(s) {}
    /// The line the next problems are about.
    void set_line(std::string_view line) noexcept { line_ = line; }
    void operator()(const line_source& src, const char* reason, const std::string& what,
                    const std::vector<std::string>* keys = nullptr) {
        std::size_t column;
        if (std::strcmp(reason, "not valid JSON") == 0) column = syntax_error_column(line_);
        else if (keys) column = member_offset(line_, *keys, std::strcmp(reason, "duplicate field") == 0) + 1;
        else column = skip_space(line_, 0) + 1;
        const std::string where = fmt::format("{}:{}:{}: {}", shown_path(src.path()), src.line_number(), column, what);
        if (policy_ == bad_line_policy::error) throw cli_error(exit_code::data, where);
        ++s_.count;
        ++s_.by_reason[reason];
        if (s_.examples.size() < bad_line_summary::max_examples) s_.examples.push_back(where);
    }

private:
    bad_line_policy policy_;
    bad_line_summary& s_;
    std::string_view line_;
};

/// Parses one line as a JSON object; false (after reporting) when it is not one.
bool parse_object(simdjson::dom::parser& parser, std::string_view line, const line_source& src, bad_lines& bad,
                  simdjson::dom::element& doc) {
    bad.set_line(line);
    const auto err = parser.parse(line.data(), line.size(), false).get(doc);
    if (err == simdjson::MEMALLOC) throw std::bad_alloc();
    if (err != simdjson::SUCCESS) {
        bad(src, "not valid JSON", json_problem(err));
        return false;
    }
    if (!doc.is_object()) {
        bad(src, "not a JSON object", fmt::format("{}, not a JSON object", describe(doc)));
        return false;
    }
    return true;
}

/// A status code from a field, or a problem.
std::optional<std::uint16_t> status_of(const simdjson::dom::element& e) {
    std::int64_t v = 0;
    if (e.is_int64()) {
        v = e.get_int64().value_unsafe();
    } else if (e.type() == simdjson::dom::element_type::DOUBLE) {
        const double d = e.get_double().value_unsafe();
        if (!(d == std::floor(d) && d >= 100 && d <= 599)) return std::nullopt;
        v = static_cast<std::int64_t>(d);
    } else {
        return std::nullopt;
    }
    if (v < 100 || v > 599) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

/// Reports progress on standard error: one line rewritten in place, at most 4 times a second.
class progress_meter {
public:
    explicit progress_meter(bool on) : on_(on) {}
    ~progress_meter() { finish(); }
    void tick(const line_source& src, std::size_t file, std::size_t files) {
        if (!on_ || (++calls_ & 4095) != 0) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(250)) return;
        last_ = now;
        const double mb = static_cast<double>(src.text_bytes()) / 1e6;
        std::string pct;
        if (src.file_size() > 0)
            pct = fmt::format("{:3.0f}% ", 100.0 * static_cast<double>(src.bytes_read()) / static_cast<double>(src.file_size()));
        std::fprintf(stderr, "\rdriftgate: reading %s (%zu/%zu): %s%.0f MB, %llu lines\033[K", shown_path(src.path()).c_str(), file,
                     files, pct.c_str(), mb, static_cast<unsigned long long>(src.line_number()));
        shown_ = true;
    }
    void finish() {
        if (shown_) std::fputs("\r\033[K", stderr);
        shown_ = false;
    }

private:
    bool on_;
    bool shown_ = false;
    std::uint64_t calls_ = 0;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();  // quiet for the first 250 ms
};

constexpr std::int64_t min_seconds = -62167219200LL;  // 0000-01-01T00:00:00Z
constexpr std::int64_t max_seconds = 253402300800LL;  // 10000-01-01T00:00:00Z

} // namespace

service_data request_log::data() const {
    service_data d;
    d.timestamps = timestamps;
    d.unit = time_unit::microseconds;
    d.latency_ms = latency_ms;
    d.status = status;
    d.model_version = model_version;
    d.model_versions = model_versions;
    return d;
}

request_log read_request_log(std::span<const std::string> paths, const service_policy& p, bool with_versions,
                             bool progress, bool background) {
    request_log log;
    const field_path ts_field(p.timestamp_field), lat_field(p.latency_field), st_field(p.status_field),
        ver_field(p.model_version_field);
    const double numeric_scale = p.numeric_timestamp_unit == time_unit::milliseconds ? 1e-3 : 1.0;
    simdjson::dom::parser parser;
    bad_lines bad(p.on_bad_line, log.bad);
    progress_meter meter(progress);
    std::unordered_map<std::string, std::uint32_t> version_index;
    std::string last_version;
    std::uint32_t last_index = 0;
    for (std::size_t f = 0; f < paths.size(); ++f) {
        line_source src(paths[f], background);
        log_file_info info;
        info.path = paths[f];
        info.compressed = src.compressed();
        if (src.file_size() > 0 && !src.compressed()) {
            // About 300 bytes per line at least in a prediction log: reserve for the plain file.
            const std::size_t guess = log.timestamps.size() + static_cast<std::size_t>(src.file_size() / 300);
            log.timestamps.reserve(guess);
            log.latency_ms.reserve(guess);
            log.status.reserve(guess);
            if (with_versions) log.model_version.reserve(guess);
        }
        const std::uint64_t bad_before = log.bad.count;
        std::string_view line;
        simdjson::dom::element doc;
        while (src.next(line)) {
            meter.tick(src, f + 1, paths.size());
            if (blank(line)) {
                ++info.blank_lines;
                continue;
            }
            if (!parse_object(parser, line, src, bad, doc)) continue;
            // Timestamp.
            found ft = lookup(doc, ts_field);
            if (!ft.ok()) {
                bad(src, ft.reason, ft.problem, &ts_field.keys);
                continue;
            }
            std::int64_t micros = 0;
            if (ft.value.is_string()) {
                const std::string_view text = ft.value.get_string().value_unsafe();
                const timestamp_result r = parse_timestamp(text);
                if (!r.ok()) {
                    bad(src, "bad timestamp", fmt::format("field \"{}\": \"{}\": {}", ts_field.text, excerpt(text), r.problem), &ts_field.keys);
                    continue;
                }
                micros = r.micros;
            } else if (ft.value.is_number()) {
                const double s = ft.value.get_double().value_unsafe() * numeric_scale;
                if (!(s >= static_cast<double>(min_seconds) && s < static_cast<double>(max_seconds))) {
                    bad(src, "bad timestamp",
                        fmt::format("field \"{}\" is {}: outside the years 0000 to 9999 as {} since the epoch",
                                    ts_field.text, describe(ft.value), numeric_scale == 1.0 ? "seconds" : "milliseconds"), &ts_field.keys);
                    continue;
                }
                micros = std::llround(s * 1e6);
            } else {
                bad(src, "field of the wrong type",
                    fmt::format("field \"{}\" is {}, not a date-time", ts_field.text, describe(ft.value)), &ts_field.keys);
                continue;
            }
            // Latency.
            found fl = lookup(doc, lat_field);
            if (!fl.ok()) {
                bad(src, fl.reason, fl.problem, &lat_field.keys);
                continue;
            }
            if (!fl.value.is_number()) {
                bad(src, "field of the wrong type",
                    fmt::format("field \"{}\" is {}, not a number", lat_field.text, describe(fl.value)), &lat_field.keys);
                continue;
            }
            const double latency = fl.value.get_double().value_unsafe();
            if (!(latency >= 0.0 && std::isfinite(latency))) {
                bad(src, "bad latency",
                    fmt::format("field \"{}\" is {}: a latency must be a finite number >= 0", lat_field.text, describe(fl.value)), &lat_field.keys);
                continue;
            }
            // Status.
            found fs_ = lookup(doc, st_field);
            if (!fs_.ok()) {
                bad(src, fs_.reason, fs_.problem, &st_field.keys);
                continue;
            }
            const auto status = status_of(fs_.value);
            if (!status) {
                bad(src, "bad status",
                    fmt::format("field \"{}\" is {}: not an HTTP status code (an integer from 100 to 599)", st_field.text,
                                describe(fs_.value)), &st_field.keys);
                continue;
            }
            // Model version.
            std::uint32_t version = 0;
            if (with_versions) {
                found fv = lookup(doc, ver_field);
                if (!fv.ok()) {
                    bad(src, fv.reason, fv.problem, &ver_field.keys);
                    continue;
                }
                if (!fv.value.is_string()) {
                    bad(src, "field of the wrong type",
                        fmt::format("field \"{}\" is {}, not a string", ver_field.text, describe(fv.value)), &ver_field.keys);
                    continue;
                }
                const std::string_view v = fv.value.get_string().value_unsafe();
                if (!log.model_versions.empty() && v == last_version) {
                    version = last_index;
                } else {
                    last_version.assign(v);
                    const auto [it, added] = version_index.try_emplace(last_version, static_cast<std::uint32_t>(log.model_versions.size()));
                    if (added) log.model_versions.push_back(last_version);
                    version = last_index = it->second;
                }
            }
            log.timestamps.push_back(micros);
            log.latency_ms.push_back(latency);
            log.status.push_back(*status);
            if (with_versions) log.model_version.push_back(version);
            ++info.requests;
        }
        info.lines = src.line_number();
        log.bad.lines += info.lines;
        info.bytes = src.text_bytes();
        info.bad_lines = log.bad.count - bad_before;
        log.files.push_back(std::move(info));
    }
    meter.finish();
    return log;
}

// ---- the log as a snapshot table ---------------------------------------------------------------

log_table_spec snapshot_spec(const service_policy& p, const std::optional<std::string>& score_column,
                             const std::optional<std::string>& label_column) {
    log_table_spec s;
    s.input_field = p.input_field;
    s.status_field = p.status_field;
    s.on_bad_line = p.on_bad_line;
    if (score_column && !score_column->empty() && !p.score_field.empty()) s.mapped.emplace_back(*score_column, p.score_field);
    if (label_column && !label_column->empty() && !p.label_field.empty()) s.mapped.emplace_back(*label_column, p.label_field);
    return s;
}

namespace {

/// The status of a snapshot line, or a bad line.
std::optional<std::uint16_t> line_status(const simdjson::dom::element& doc, const field_path& f, const line_source& src,
                                         bad_lines& bad) {
    found fs_ = lookup(doc, f);
    if (!fs_.ok()) {
        bad(src, fs_.reason, fs_.problem, &f.keys);
        return std::nullopt;
    }
    const auto status = status_of(fs_.value);
    if (!status)
        bad(src, "bad status",
            fmt::format("field \"{}\" is {}: not an HTTP status code (an integer from 100 to 599)", f.text, describe(fs_.value)), &f.keys);
    return status;
}

} // namespace

std::vector<std::string> read_log_header(const std::string& path, const log_table_spec& spec) {
    const field_path input(spec.input_field), status(spec.status_field);
    line_source src(path, spec.background);
    simdjson::dom::parser parser;
    bad_line_summary ignored;
    bad_lines bad(spec.on_bad_line, ignored);
    std::string_view line;
    simdjson::dom::element doc;
    while (src.next(line)) {
        if (blank(line) || !parse_object(parser, line, src, bad, doc)) continue;
        const auto st = line_status(doc, status, src, bad);
        if (!st || !detail::is_prediction(*st)) continue;
        found fi = lookup(doc, input);
        if (!fi.ok()) {
            bad(src, fi.reason, fi.problem, &input.keys);
            continue;
        }
        if (!fi.value.is_object()) {
            bad(src, "field of the wrong type",
                fmt::format("field \"{}\" is {}, not an object", input.text, describe(fi.value)), &input.keys);
            continue;
        }
        std::vector<std::string> header;
        const simdjson::dom::object members = fi.value.get_object().value_unsafe();
        for (const auto kv : members) header.emplace_back(kv.key);
        if (const auto twice = named_twice(header)) {
            const std::vector<std::string> keys = with_key(input.keys, *twice);
            bad(src, "duplicate field", duplicate_problem(input.text + "." + *twice), &keys);
            continue;
        }
        for (const auto& [column, fpath] : spec.mapped)
            if (lookup(doc, field_path(fpath)).ok() && std::find(header.begin(), header.end(), column) == header.end())
                header.push_back(column);
        return header;
    }
    bad_data(path, "no request answered with a 2xx status: nothing to read as a snapshot");
}

csv_table read_log_table(const std::string& path, std::span<const std::string> columns, const log_table_spec& spec,
                         column_policy policy, std::uint64_t* other_status, bad_line_summary* bad_summary,
                         std::vector<std::uint64_t>* row_lines, std::span<const std::string> text_columns) {
    csv_table t;
    t.path = path;
    t.header = read_log_header(path, spec);
    for (const auto& c : columns)
        if (std::find(t.names.begin(), t.names.end(), c) == t.names.end()) t.names.push_back(c);
    const std::size_t k = t.names.size();
    t.columns.assign(k, {});
    t.counted.assign(k, std::nullopt);
    // Columns of texts: categories counted as the lines are read (no codes: order not kept), by
    // the CSV reader's table of distinct texts.
    t.text.assign(k, std::nullopt);
    std::vector<csv_impl::category_table> category_of(k);
    std::vector<char> text_seen(k, 0);  // the text column got a value on this row
    bool any_text = false;
    for (std::size_t i = 0; i < k; ++i)
        if (std::find(text_columns.begin(), text_columns.end(), t.names[i]) != text_columns.end()) {
            t.text[i].emplace();
            any_text = true;
        }
    // Where each column comes from: a mapped field path, else a member of the input object.
    std::vector<std::optional<field_path>> mapped(k);
    std::unordered_map<std::string_view, std::size_t> feature;
    for (std::size_t i = 0; i < k; ++i) {
        const auto it = std::find_if(spec.mapped.begin(), spec.mapped.end(), [&](const auto& m) { return m.first == t.names[i]; });
        if (it != spec.mapped.end()) mapped[i].emplace(it->second);
        else feature.emplace(t.names[i], i);
    }
    std::vector<char> present(k, 0);               // some row has the column (null included)
    std::vector<std::optional<std::string>> dropped(k); // the first non-numeric value of a column
    const field_path input(spec.input_field), status(spec.status_field);
    line_source src(path, spec.background);
    simdjson::dom::parser parser;
    bad_line_summary local_bad;
    bad_lines bad(spec.on_bad_line, bad_summary ? *bad_summary : local_bad);
    std::uint64_t others = 0;
    std::vector<double> row(k);
    std::string_view line;
    simdjson::dom::element doc;
    // A text column's value: a string is its text, a number or boolean its JSON text (as a CSV
    // cell would hold it), null a missing value; an object or array is an error.
    auto text_of = [&](std::size_t i, const simdjson::dom::element& e, const std::string& name) {
        text_seen[i] = 1;
        std::string v;
        switch (e.type()) {
        case simdjson::dom::element_type::NULL_VALUE: ++t.text[i]->missing; return;
        case simdjson::dom::element_type::STRING: category_of[i].add(e.get_string().value_unsafe()); return;
        case simdjson::dom::element_type::BOOL: v = e.get_bool().value_unsafe() ? "true" : "false"; break;
        case simdjson::dom::element_type::INT64:
        case simdjson::dom::element_type::UINT64:
        case simdjson::dom::element_type::DOUBLE: v = simdjson::minify(e); break;
        default:
            throw cli_error(exit_code::data,
                            fmt::format("{}:{}:{}: field \"{}\" is {}, not a category (a text, number or boolean)", shown_path(path),
                                        src.line_number(), value_offset(line, field_path(name).keys) + 1, name, describe(e)));
        }
        category_of[i].add(v);
    };
    auto value_of = [&](std::size_t i, const simdjson::dom::element& e, const std::string& name) -> std::optional<double> {
        switch (e.type()) {
        case simdjson::dom::element_type::NULL_VALUE: return std::numeric_limits<double>::quiet_NaN();
        case simdjson::dom::element_type::BOOL: return e.get_bool().value_unsafe() ? 1.0 : 0.0;
        case simdjson::dom::element_type::INT64:
        case simdjson::dom::element_type::UINT64:
        case simdjson::dom::element_type::DOUBLE: return e.get_double().value_unsafe();
        default: break;
        }
        const std::string what =
            fmt::format("{}:{}:{}: field \"{}\" is {}, not a number", shown_path(path), src.line_number(),
                        value_offset(line, field_path(name).keys) + 1, name, describe(e));
        if (policy == column_policy::require_numeric) throw cli_error(exit_code::data, what);
        if (!dropped[i]) dropped[i] = what;
        return std::nullopt;
    };
    // A line's values are all found before any is used, so that a line refused as bad (skipped
    // under on_bad_line = "skip") leaves no value behind.
    struct hit {
        std::size_t column;
        simdjson::dom::element value;
        std::string name;  // the field's path, as messages give it
    };
    std::vector<hit> hits;
    std::vector<std::uint64_t> set_on(k, 0);  // set_on[i]: the line that last gave column i a value
    while (src.next(line)) {
        if (blank(line) || !parse_object(parser, line, src, bad, doc)) continue;
        const auto st = line_status(doc, status, src, bad);
        if (!st) continue;
        if (!detail::is_prediction(*st)) {
            ++others;
            continue;
        }
        hits.clear();
        bool refused = false;
        if (!feature.empty()) {
            found fi = lookup(doc, input);
            if (!fi.ok()) {
                bad(src, fi.reason, fi.problem, &input.keys);
                continue;
            }
            if (!fi.value.is_object()) {
                bad(src, "field of the wrong type",
                    fmt::format("field \"{}\" is {}, not an object", input.text, describe(fi.value)), &input.keys);
                continue;
            }
            const std::uint64_t this_line = src.line_number();
            const simdjson::dom::object members = fi.value.get_object().value_unsafe();
            for (const auto kv : members) {
                const auto it = feature.find(kv.key);
                if (it == feature.end()) continue;
                if (std::exchange(set_on[it->second], this_line) == this_line) {
                    const std::vector<std::string> keys = with_key(input.keys, kv.key);
                    bad(src, "duplicate field", duplicate_problem(input.text + "." + std::string(kv.key)), &keys);
                    refused = true;
                    break;
                }
                hits.push_back({it->second, kv.value, input.text + "." + std::string(kv.key)});
            }
        }
        for (std::size_t i = 0; i < k && !refused; ++i) {
            if (!mapped[i]) continue;
            found fm = lookup(doc, *mapped[i]);
            if (fm.ok()) hits.push_back({i, fm.value, mapped[i]->text});
            else if (std::strcmp(fm.reason, "missing field") != 0) {  // a missing member is a missing value
                bad(src, fm.reason, fm.problem, &mapped[i]->keys);
                refused = true;
            }
        }
        if (refused) continue;
        std::fill(row.begin(), row.end(), std::numeric_limits<double>::quiet_NaN());
        for (const hit& h : hits) {
            present[h.column] = 1;
            if (t.text[h.column]) text_of(h.column, h.value, h.name);
            else if (const auto v = value_of(h.column, h.value, h.name)) row[h.column] = *v;
        }
        for (std::size_t i = 0; i < k; ++i)
            if (!t.text[i]) t.columns[i].push_back(row[i]);
        if (any_text)  // a text column absent from this row's object: a missing value
            for (std::size_t i = 0; i < k; ++i)
                if (t.text[i] && !std::exchange(text_seen[i], 0)) ++t.text[i]->missing;
        if (row_lines) row_lines->push_back(src.line_number());
        ++t.rows;
    }
    for (std::size_t i = 0; i < k; ++i)
        if (t.text[i]) category_of[i].release(t.text[i]->categories, t.text[i]->counts);
    if (other_status) *other_status = others;
    if (bad_summary) bad_summary->lines = src.line_number();
    for (std::size_t i = 0; i < k; ++i) {
        if (present[i]) continue;
        std::string have;
        for (const auto& h : t.header) have += (have.empty() ? "" : ", ") + h;
        const bool is_mapped = mapped[i].has_value();
        bad_data(path, is_mapped ? fmt::format("no field \"{}\" in any request answered 2xx (for column \"{}\"; columns: {})",
                                               mapped[i]->text, t.names[i], have)
                                 : fmt::format("no column \"{}\": no request answered 2xx has \"{}.{}\" (columns: {})",
                                               t.names[i], input.text, t.names[i], have));
    }
    // Columns holding a non-numeric value leave the table (skip_non_numeric), as in the CSV reader.
    for (std::size_t i = k; i-- > 0;) {
        if (!dropped[i]) continue;
        const auto pos = std::find(t.header.begin(), t.header.end(), t.names[i]);
        t.dropped.insert(t.dropped.begin(), csv_dropped_column{t.names[i], static_cast<std::size_t>(pos - t.header.begin()) + 1, *dropped[i]});
        t.names.erase(t.names.begin() + static_cast<std::ptrdiff_t>(i));
        t.columns.erase(t.columns.begin() + static_cast<std::ptrdiff_t>(i));
        t.counted.erase(t.counted.begin() + static_cast<std::ptrdiff_t>(i));
        t.text.erase(t.text.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return t;
}

} // namespace driftgate::cli

namespace driftgate::cli {

std::size_t log_field_column(const std::string& path, std::uint64_t line_number, const std::string& field) {
    line_source src(path, false);
    std::string_view line;
    while (src.next(line))
        if (src.line_number() == line_number) return value_offset(line, field_path(field).keys) + 1;
    return 1;
}

} // namespace driftgate::cli
