#include "audit.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "exit_codes.hpp"
#include "input_path.hpp"
#include "sha256.hpp"
#include "text.hpp"

namespace driftgate::cli {
namespace {

const char* kind_of(mode_t m) {
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISCHR(m)) return "character device";
    if (S_ISSOCK(m)) return "socket";
    if (S_ISBLK(m)) return "block device";
    if (S_ISDIR(m)) return "directory";
    return "other";
}

} // namespace

field input_record(const std::string& path, bool hash) {
    struct stat st{};
    field rec = field::make_table();
    if (!stat_input(path, st)) return field();
    if (path == "-") {
        // Standard input: what it is, never hashed (it has been read; a pipe cannot be read again).
        rec.set("type", S_ISREG(st.st_mode) ? "file" : kind_of(st.st_mode));
        if (S_ISREG(st.st_mode)) {
            rec.set("size_bytes", static_cast<std::uint64_t>(st.st_size));
            rec.set("modified", rfc3339_utc(st.st_mtim.tv_sec, st.st_mtim.tv_nsec));
        }
        return rec;
    }
    if (!S_ISREG(st.st_mode)) {
        rec.set("type", kind_of(st.st_mode));
        return rec;
    }
    rec.set("size_bytes", static_cast<std::uint64_t>(st.st_size));
    rec.set("modified", rfc3339_utc(st.st_mtim.tv_sec, st.st_mtim.tv_nsec));
    if (hash) rec.set("sha256", sha256_file(path));
    return rec;
}

field config_record(const std::string& path, const std::vector<std::string>& lines) {
    field rec = field::make_table();
    sha256 h;
    if (path.empty()) {
        rec.set("path", field());
        rec.set("source", "built-in defaults");
    } else {
        rec.set("path", path);
        std::ifstream in(path, std::ios::binary);
        if (!in) throw cli_error(exit_code::no_input, fmt::format("{}: cannot read the configuration file: {}", path, std::strerror(errno)));
        std::ostringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        h.update(text);
        struct stat st{};
        if (::stat(path.c_str(), &st) == 0) {
            rec.set("size_bytes", static_cast<std::uint64_t>(st.st_size));
            rec.set("modified", rfc3339_utc(st.st_mtim.tv_sec, st.st_mtim.tv_nsec));
        }
    }
    if (!lines.empty()) {
        h.update("\n# command-line overrides\n");
        for (const auto& l : lines) {
            h.update(l);
            h.update("\n");
        }
        field list = field::make_list();
        for (const auto& l : lines) list.push_back(l);
        rec.set("overrides", std::move(list));
    }
    rec.set("resolved_sha256", h.hex());
    return rec;
}

std::vector<std::string> override_lines(const overrides& o) {
    std::vector<std::string> out;
    if (o.reference) out.push_back("reference = " + *o.reference);
    if (o.current) out.push_back("current = " + *o.current);
    if (!o.columns.empty()) {
        std::string cols;
        for (const auto& x : o.columns) {
            if (!cols.empty()) cols += ", ";
            cols += x;
        }
        out.push_back("columns = " + cols);
    }
    if (o.score) out.push_back("score = " + *o.score);
    if (o.label) out.push_back("label = " + *o.label);
    if (o.threshold) out.push_back(fmt::format("threshold = {}", *o.threshold));
    if (o.delimiter) out.push_back(fmt::format("delimiter = {}", static_cast<int>(*o.delimiter)));
    if (o.multivariate) out.push_back("multivariate = true");
    return out;
}

void add_records(report& r, const std::vector<std::pair<std::string, field>>& records) {
    for (const auto& [role, rec] : records) {
        if (!rec.is_table()) continue;
        if (role == "config") {
            r.inputs.set("config", rec);
            continue;
        }
        field* existing = nullptr;
        if (r.inputs.is_table())
            for (auto& [k, v] : r.inputs.as_table())
                if (k == role) existing = &v;
        if (!existing) continue; // an input the command did not read
        for (const auto& [k, v] : rec.as_table()) existing->set(k, v);
    }
}

} // namespace driftgate::cli
