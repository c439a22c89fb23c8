#include "output.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <memory>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "exit_codes.hpp"
#include "input_path.hpp"

namespace driftgate::cli {
namespace {

namespace fs = std::filesystem;

std::string why(int e) { return std::strerror(e); }

/// The path as messages name it: standard output for "" and "-".
std::string shown(const output_target& t) { return t.path.empty() || t.path == "-" ? "(standard output)" : t.path; }

[[noreturn]] void io_error(const output_target& t, const std::string& reason) {
    throw cli_error(exit_code::io, fmt::format("{} {}: cannot write it: {}", t.what, shown(t), reason));
}

} // namespace

/// A descriptor the path names directly (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N),
/// or -1. Standard output itself ("", and "-" as tools write it) is 1.
int named_descriptor(const std::string& p) {
    if (p.empty() || p == "-" || p == "/dev/stdout") return 1;
    if (p == "/dev/stderr") return 2;
    for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        const std::string pre = prefix;
        if (p.size() > pre.size() && p.compare(0, pre.size(), pre) == 0) {
            const std::string n = p.substr(pre.size());
            if (n.find_first_not_of("0123456789") != std::string::npos || n.size() > 6) return -1;
            return std::atoi(n.c_str());
        }
    }
    return -1;
}

bool same_file(int a, int b) {
    struct stat sa{}, sb{};
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
           !S_ISCHR(sa.st_mode);
}

bool names_terminal(const std::string& path) {
    if (const int fd = named_descriptor(path); fd >= 0) return ::isatty(fd) == 1;
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) return false;
    const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    const bool tty = ::isatty(fd) == 1;
    ::close(fd);
    return tty;
}

namespace {

/// How an output is written.
struct plan {
    enum kind { descriptor, in_place, replace } how = replace;
    int fd = -1;              ///< descriptor: the descriptor
    std::string file;         ///< in_place: the path to open; replace: the file to replace (links followed)
    bool exists = false;      ///< replace: the file exists
    mode_t mode = 0;          ///< replace: its permission bits
    struct stat st{};         ///< the file's status when it exists
};

/// Follows symbolic links (at most 40) to the file a path finally names, which may not exist.
std::string follow_links(const std::string& path) {
    fs::path p = path;
    for (int hop = 0; hop < 40; ++hop) {
        struct stat ls{};
        if (::lstat(p.c_str(), &ls) != 0 || !S_ISLNK(ls.st_mode)) return p.string();
        std::error_code ec;
        const fs::path target = fs::read_symlink(p, ec);
        if (ec) return p.string();
        p = target.is_absolute() ? target : p.parent_path() / target;
    }
    return p.string();
}

plan plan_for(const output_target& t) {
    plan pl;
    if (const int fd = named_descriptor(t.path); fd >= 0) {
        pl.how = plan::descriptor;
        pl.fd = fd;
        if (::fstat(fd, &pl.st) != 0) io_error(t, why(errno));
        pl.exists = true;
        return pl;
    }
    pl.file = follow_links(t.path);
    struct stat st{};
    if (::stat(pl.file.c_str(), &st) == 0) {
        pl.exists = true;
        pl.st = st;
        if (S_ISDIR(st.st_mode)) io_error(t, why(EISDIR));
        if (!S_ISREG(st.st_mode)) {
            pl.how = plan::in_place;
            return pl;
        }
        pl.mode = st.st_mode & 07777;
        return pl;
    }
    if (errno != ENOENT) io_error(t, why(errno));
    // A new file: its directory must exist.
    const fs::path dir = fs::path(pl.file).parent_path();
    struct stat ds{};
    if (::stat(dir.empty() ? "." : dir.c_str(), &ds) != 0) io_error(t, why(errno));
    if (!S_ISDIR(ds.st_mode)) io_error(t, why(ENOTDIR));
    return pl;
}

// ---- temporary files removed on SIGINT, SIGTERM, SIGHUP ---------------------------------------

constexpr int max_temps = 64;
char temp_paths[max_temps][PATH_MAX];
std::atomic<int> temp_count{0};
std::atomic<bool> temp_live[max_temps];

// While the staged files are renamed into place, a signal is held until the last rename: an
// interrupted run leaves every report as it was, or every report new, never some of each. (A flag
// the handler reads rather than a blocked mask: a signal sent to the process may be handled on any
// of its threads.)
std::atomic<bool> committing{false};
std::atomic<int> held_signal{0};

extern "C" void remove_temps_and_reraise(int sig) {
    if (committing.load()) {
        held_signal.store(sig);
        return;
    }
    const int n = temp_count.load();
    for (int i = 0; i < n && i < max_temps; ++i)
        if (temp_live[i].load()) ::unlink(temp_paths[i]);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

struct signal_guard {
    struct sigaction old[3];
    static constexpr int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    signal_guard() {
        struct sigaction sa{};
        sa.sa_handler = remove_temps_and_reraise;
        sigemptyset(&sa.sa_mask);
        for (int i = 0; i < 3; ++i) ::sigaction(sigs[i], &sa, &old[i]);
    }
    ~signal_guard() {
        for (int i = 0; i < 3; ++i) ::sigaction(sigs[i], &old[i], nullptr);
    }
};

/// A temporary file next to its target, removed unless committed.
class staged_file {
public:
    staged_file(const output_target& t, const plan& p) : target_(t), file_(p.file) {
        const fs::path target = p.file;
        const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
        std::random_device rd;
        // The staged name holds the target's name cut to 200 bytes, so that it fits in a file
        // name (255 bytes) whatever the target's length: a report named with 240 bytes could not
        // be staged ("File name too long").
        std::string base = target.filename().string();
        if (base.size() > 200) base.resize(200);
        for (int attempt = 0; attempt < 100; ++attempt) {
            const std::string name = fmt::format(".{}.driftgate-{}-{:08x}.tmp", base, ::getpid(), rd());
            temp_ = (dir / name).string();
            slot_ = temp_count.fetch_add(1);
            if (slot_ < max_temps && temp_.size() < PATH_MAX) {
                std::memcpy(temp_paths[slot_], temp_.c_str(), temp_.size() + 1);
            } else {
                slot_ = -1;
            }
            fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd_ >= 0) {
                if (slot_ >= 0) temp_live[slot_].store(true);
                break;
            }
            if (errno != EEXIST) io_error(target_, fmt::format("{} (creating {})", why(errno), temp_));
        }
        if (fd_ < 0) io_error(target_, "no free temporary file name");
        // A replaced file keeps its permission bits; a new one has those open() gave (umask).
        if (p.exists && ::fchmod(fd_, p.mode) != 0) fail(why(errno));
    }
    staged_file(const staged_file&) = delete;
    staged_file& operator=(const staged_file&) = delete;
    ~staged_file() { discard(); }

    void write(const std::string& text) {
        const char* p = text.data();
        std::size_t left = text.size();
        while (left > 0) {
            const ssize_t n = ::write(fd_, p, left);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail(why(errno));
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        if (::fsync(fd_) != 0) fail(why(errno));
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) fail(why(errno));
    }

    void commit() {
        if (::rename(temp_.c_str(), file_.c_str()) != 0) fail(why(errno));
        if (slot_ >= 0) temp_live[slot_].store(false);
        committed_ = true;
        // Make the rename durable (best effort: some file systems refuse fsync on a directory).
        const fs::path dir = fs::path(file_).parent_path();
        const int d = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d >= 0) {
            (void)::fsync(d);
            ::close(d);
        }
    }

private:
    [[noreturn]] void fail(const std::string& reason) {
        discard();
        io_error(target_, reason);
    }
    void discard() noexcept {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
        if (!committed_ && !temp_.empty()) {
            ::unlink(temp_.c_str());
            if (slot_ >= 0) temp_live[slot_].store(false);
            committed_ = true;
        }
    }

    output_target target_;
    std::string file_, temp_;
    int fd_ = -1, slot_ = -1;
    bool committed_ = false;
};

/// A FIFO opened for writing, once a process has opened it for reading: without one, open()
/// blocked forever (a report to a FIFO nobody reads hung the run). Waits fifo_wait_ms, then exit 74.
int open_fifo(const output_target& t, const std::string& file) {
    int fd = -1;
    const bool opened = wait_for_fifo_peer([&] {
        do fd = ::open(file.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        while (fd < 0 && errno == EINTR);
        if (fd < 0 && errno != ENXIO) io_error(t, why(errno));  // ENXIO: no reader yet
        return fd >= 0;
    });
    if (!opened) io_error(t, fmt::format("no process opened the FIFO for reading within {} seconds", fifo_wait_ms / 1000));
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);  // writes wait for the reader
    return fd;
}

void write_all(const output_target& t, int fd, const std::string& text) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) io_error(t, why(errno));
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

std::string describe(const output_target& t) { return t.what + " " + shown(t); }

} // namespace

void check_outputs(const std::vector<output_target>& outputs, const std::vector<input_file>& inputs) {
    struct id {
        dev_t dev;
        ino_t ino;
    };
    std::vector<std::optional<id>> in_ids;
    for (const auto& in : inputs) {
        // Standard input ("-") redirected from a file is that file: `--output in.csv < in.csv`
        // names it as surely as `--output in.csv in.csv` does. (A terminal or pipe is no file to
        // overwrite, and a terminal may well be standard output too.)
        struct stat st{};
        const bool known = stat_input(in.path, st) && (in.path != "-" || S_ISREG(st.st_mode));
        in_ids.push_back(known ? std::optional<id>(id{st.st_dev, st.st_ino}) : std::nullopt);
    }
    std::vector<std::pair<std::string, const output_target*>> files; // regular or new files, by their final path
    std::vector<std::pair<id, const output_target*>> file_ids;
    std::vector<std::pair<int, const output_target*>> streams; // descriptors written in place
    struct place {
        id at;
        const output_target* out;
        bool file;  // replaced as a file: two of them are compared by path and inode below
    };
    std::vector<place> places;  // what the outputs so far write to
    for (const auto& out : outputs) {
        const plan p = plan_for(out); // a directory or a missing directory: exit 74 now
        // Two reports on one stream would be one unreadable text (JSON after the text report), and
        // a report to a file that standard output is redirected to (or /dev/fd/N, 2>&1, 4>&3)
        // would replace or run into the other: the same descriptor, or the same open file or pipe
        // (a terminal or /dev/null, devices, may take both).
        const auto twice = [&](const output_target& other) {
            throw cli_error(exit_code::usage, fmt::format("{} and {} both write to one file or stream: give one of them a "
                                                          "file of its own",
                                                          describe(other), describe(out)));
        };
        if (p.how == plan::descriptor) {
            for (const auto& [fd, other] : streams)
                if (fd == p.fd) twice(*other);
            streams.emplace_back(p.fd, &out);
        }
        if (p.exists && !S_ISCHR(p.st.st_mode)) {
            const bool file = p.how == plan::replace;
            for (const auto& other : places)
                if (other.at.dev == p.st.st_dev && other.at.ino == p.st.st_ino && !(file && other.file)) twice(*other.out);
            places.push_back({id{p.st.st_dev, p.st.st_ino}, &out, file});
        }
        if (p.exists) {
            for (std::size_t i = 0; i < inputs.size(); ++i)
                if (in_ids[i] && in_ids[i]->dev == p.st.st_dev && in_ids[i]->ino == p.st.st_ino)
                    throw cli_error(exit_code::usage,
                                    fmt::format("{} names the {} file {} (the same file): refusing to overwrite an input",
                                                describe(out), inputs[i].role,
                                                inputs[i].path == "-" ? std::string("(standard input)") : inputs[i].path));
        }
        if (p.how != plan::replace) continue;
        std::error_code ec;
        const std::string final_path = fs::weakly_canonical(fs::absolute(p.file), ec).string();
        for (const auto& [other_path, other] : files)
            if (other_path == final_path)
                throw cli_error(exit_code::usage, fmt::format("{} and {} name the same file", describe(*other), describe(out)));
        if (p.exists)
            for (const auto& [other_id, other] : file_ids)
                if (other_id.dev == p.st.st_dev && other_id.ino == p.st.st_ino)
                    throw cli_error(exit_code::usage,
                                    fmt::format("{} and {} name the same file", describe(*other), describe(out)));
        files.emplace_back(final_path, &out);
        if (p.exists) file_ids.push_back({id{p.st.st_dev, p.st.st_ino}, &out});
    }
}

void write_outputs(const std::vector<std::pair<output_target, std::string>>& items) {
    signal_guard guard;
    std::vector<plan> plans;
    for (const auto& [t, text] : items) plans.push_back(plan_for(t));
    // 1. Stage every file next to its target.
    std::vector<std::unique_ptr<staged_file>> staged(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (plans[i].how != plan::replace) continue;
        staged[i] = std::make_unique<staged_file>(items[i].first, plans[i]);
        staged[i]->write(items[i].second);
    }
    // 2. Streams and devices, in place.
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& [t, text] = items[i];
        if (plans[i].how == plan::descriptor) {
            write_all(t, plans[i].fd, text);
        } else if (plans[i].how == plan::in_place) {
            const int fd = S_ISFIFO(plans[i].st.st_mode) ? open_fifo(t, plans[i].file)
                                                         : ::open(plans[i].file.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
            if (fd < 0) io_error(t, why(errno));
            try {
                write_all(t, fd, text);
            } catch (...) {
                ::close(fd);
                throw;
            }
            if (::close(fd) != 0) io_error(t, why(errno));
        }
    }
    // 3. Every file into place, as one step: a signal during the renames takes effect after the
    // last one (or after a rename that failed).
    struct holding_signals {
        holding_signals() { committing.store(true); }
        ~holding_signals() {
            committing.store(false);
            if (const int sig = held_signal.exchange(0); sig != 0) remove_temps_and_reraise(sig);
        }
    } hold;
    for (auto& s : staged)
        if (s) s->commit();
}

} // namespace driftgate::cli
