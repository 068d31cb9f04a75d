// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/embedded_postgres.h"

#include "pipeline/postgres/child_process.h"
#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/pg_session.h"

#include <algorithm>
#include <fstream>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gm {
namespace {

// The last non-empty line of a program's output: initdb and pg_ctl put the reason last.
std::string lastLine(const std::string& output) {
    std::size_t end = output.size();
    while (end > 0) {
        while (end > 0 && (output[end - 1] == '\n' || output[end - 1] == ' ')) {
            --end;
        }
        const std::size_t begin = output.rfind('\n', end == 0 ? 0 : end - 1);
        const std::size_t start = begin == std::string::npos ? 0 : begin + 1;
        if (end > start) {
            return output.substr(start, end - start);
        }
        end = start;
    }
    return "(no output)";
}

int versionOf(const std::filesystem::path& bin_dir) {
    try {
        return std::stoi(bin_dir.parent_path().filename().string());
    } catch (const std::exception&) {
        return 0;
    }
}

std::string quoteConninfoValue(const std::string& value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

// The first directory on the way to `path` (itself included) that the user cannot pass through
// (no search permission for it); nothing when the whole way is open.
std::optional<std::filesystem::path> closedTo(const std::filesystem::path& path, uid_t uid,
                                              gid_t gid) {
    std::vector<gid_t> groups(64);
    int count = static_cast<int>(groups.size());
    if (const passwd* pw = ::getpwuid(uid); pw != nullptr) {
        if (::getgrouplist(pw->pw_name, gid, groups.data(), &count) < 0) {
            groups.resize(static_cast<std::size_t>(count));
            ::getgrouplist(pw->pw_name, gid, groups.data(), &count);
        }
        groups.resize(static_cast<std::size_t>(std::max(count, 0)));
    } else {
        groups = {gid};
    }
    std::filesystem::path walked;
    for (const auto& part : path) {
        walked /= part;
        struct stat st {};
        if (::stat(walked.c_str(), &st) != 0) {
            continue; // created later by us, with search permission for everyone
        }
        bool passes = false;
        if (uid == 0) {
            passes = true;
        } else if (st.st_uid == uid) {
            passes = (st.st_mode & S_IXUSR) != 0;
        } else if (std::find(groups.begin(), groups.end(), st.st_gid) != groups.end()) {
            passes = (st.st_mode & S_IXGRP) != 0;
        } else {
            passes = (st.st_mode & S_IXOTH) != 0;
        }
        if (!passes) {
            return walked;
        }
    }
    return std::nullopt;
}

} // namespace

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresOptions options)
    : options_(std::move(options)) {}

EmbeddedPostgres::~EmbeddedPostgres() {
    stop();
}

std::optional<std::filesystem::path>
EmbeddedPostgres::findBinDirectory(const std::filesystem::path& lib_dir) {
    std::error_code ec;
    std::optional<std::filesystem::path> best;
    for (const auto& entry : std::filesystem::directory_iterator(lib_dir, ec)) {
        const auto bin = entry.path() / "bin";
        if (!std::filesystem::exists(bin / "initdb", ec) ||
            !std::filesystem::exists(bin / "pg_ctl", ec)) {
            continue;
        }
        if (!best || versionOf(bin) > versionOf(*best)) {
            best = bin;
        }
    }
    return best;
}

std::string EmbeddedPostgres::conninfo() const {
    return "host=" + quoteConninfoValue(options_.root.string()) +
           " port=" + std::to_string(options_.port) + " user=" + quoteConninfoValue(options_.user) +
           " dbname=" + quoteConninfoValue(options_.database);
}

EmbeddedPostgres::Outcome EmbeddedPostgres::failWith(Outcome outcome, std::string message) {
    outcome_ = outcome;
    error_ = std::move(message);
    return outcome_;
}

std::vector<std::string> EmbeddedPostgres::serverCommand(const std::string& program) const {
    std::vector<std::string> argv;
    if (options_.run_as_user) {
        argv = {"runuser", "-u", *options_.run_as_user, "--"};
    }
    argv.push_back((options_.bin_dir / program).string());
    return argv;
}

bool EmbeddedPostgres::serverRunning() const {
    if (options_.bin_dir.empty() || !std::filesystem::exists(dataDirectory() / "PG_VERSION")) {
        return false;
    }
    auto argv = serverCommand("pg_ctl");
    argv.insert(argv.end(), {"status", "-D", dataDirectory().string()});
    return runProcess(argv).exit_code == 0;
}

bool EmbeddedPostgres::prepareRoot() {
    // sun_path holds 107 bytes; the socket is <root>/.s.PGSQL.<port>.
    if (options_.root.string().size() + 20 > 107) {
        failWith(Outcome::Failed, "the embedded PostgreSQL directory " + options_.root.string() +
                                      " is too long a path for a Unix socket: set XDG_DATA_HOME "
                                      "to a shorter directory");
        return false;
    }
    std::error_code ec;
    std::filesystem::create_directories(options_.root, ec);
    if (ec) {
        failWith(Outcome::Failed, "cannot create " + options_.root.string() + ": " + ec.message());
        return false;
    }
    // Only the owner may enter: the socket in here accepts anyone who can reach it (trust).
    ::chmod(options_.root.c_str(), 0700);
    if (options_.run_as_user) {
        const passwd* pw = ::getpwnam(options_.run_as_user->c_str());
        if (pw == nullptr) {
            failWith(Outcome::Failed,
                     "no OS user " + *options_.run_as_user + " to run the embedded PostgreSQL as");
            return false;
        }
        if (const auto closed = closedTo(options_.root.parent_path(), pw->pw_uid, pw->pw_gid)) {
            failWith(Outcome::Failed, "the embedded PostgreSQL runs as " + *options_.run_as_user +
                                          ", which cannot enter " + closed->string() +
                                          ": set XDG_DATA_HOME to a directory it can reach");
            return false;
        }
        if (::chown(options_.root.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
            failWith(Outcome::Failed,
                     "cannot hand " + options_.root.string() + " to " + *options_.run_as_user);
            return false;
        }
    }
    return true;
}

bool EmbeddedPostgres::initialise() {
    if (std::filesystem::exists(dataDirectory() / "PG_VERSION")) {
        return true;
    }
    auto argv = serverCommand("initdb");
    argv.insert(argv.end(), {"-D", dataDirectory().string(), "-U", options_.user, "-A", "trust",
                             "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"});
    if (options_.throwaway) {
        argv.push_back("--no-sync");
    }
    const ProcessResult r = runProcess(argv);
    if (r.exit_code != 0) {
        failWith(Outcome::Failed, "initdb failed: " + lastLine(r.output));
        return false;
    }
    // The settings live in the cluster, so a manual `pg_ctl start` behaves the same.
    std::ofstream conf(dataDirectory() / "postgresql.conf", std::ios::app);
    conf << "\n# globalmart embedded cluster: Unix socket only, in the directory above\n"
         << "listen_addresses = ''\n"
         << "unix_socket_directories = '" << options_.root.string() << "'\n"
         << "unix_socket_permissions = 0700\n"
         << "port = " << options_.port << "\n";
    if (options_.throwaway) {
        // fsync off survives a killed server (the kernel still has the WAL); only a machine
        // crash loses data. synchronous_commit stays on: with it off, an acknowledged commit
        // can vanish when the server is killed, which the outage test would rightly flag.
        conf << "fsync = off\nfull_page_writes = off\n";
    }
    if (!conf) {
        failWith(Outcome::Failed, "cannot write postgresql.conf in " + dataDirectory().string());
        return false;
    }
    initialised_here_ = true;
    return true;
}

bool EmbeddedPostgres::startServer() {
    if (serverRunning()) {
        return true; // reused: started by an earlier run or another instance
    }
    auto argv = serverCommand("pg_ctl");
    argv.insert(argv.end(), {"start", "-D", dataDirectory().string(), "-l",
                             (options_.root / "server.log").string(), "-w", "-t", "60"});
    const ProcessResult r = runProcess(argv);
    if (r.exit_code != 0 && serverRunning()) {
        return true; // another instance started it at the same moment: use that one
    }
    if (r.exit_code != 0) {
        failWith(Outcome::Failed, "the embedded PostgreSQL did not start (see " +
                                      (options_.root / "server.log").string() +
                                      "): " + lastLine(r.output));
        return false;
    }
    started_here_ = true;
    return true;
}

bool EmbeddedPostgres::ensureDatabase() {
    EmbeddedPostgresOptions maintenance = options_;
    maintenance.database = "postgres";
    try {
        PgSession session(EmbeddedPostgres(maintenance).conninfo());
        const auto exists =
            session.execParams("SELECT 1 FROM pg_database WHERE datname = $1", {options_.database});
        if (!exists) {
            session.exec("CREATE DATABASE " + PgSession::quoteIdentifier(options_.database));
        }
        return true;
    } catch (const PgError& e) {
        failWith(Outcome::Failed,
                 std::string("the embedded PostgreSQL is not usable: ") + e.what());
        return false;
    }
}

EmbeddedPostgres::Outcome EmbeddedPostgres::start() {
    // No shortcut when already Running: the server may have been stopped behind our back, and
    // every step below is a no-op when its work is done.
    if (options_.bin_dir.empty()) {
        const auto found = findBinDirectory(options_.postgresql_lib_dir);
        if (!found) {
            return failWith(Outcome::NoBinaries,
                            "no PostgreSQL server programs (initdb, pg_ctl) under " +
                                options_.postgresql_lib_dir.string() +
                                ": install the postgresql package or pass --db; "
                                "running in memory, nothing is stored");
        }
        options_.bin_dir = *found;
    }
    if (::geteuid() == 0 && !options_.run_as_user) {
        // PostgreSQL refuses to run as root: the server runs as an unprivileged account, which
        // owns the cluster; root reaches the socket all the same.
        if (::getpwnam(options_.root_service_account.c_str()) == nullptr) {
            return failWith(Outcome::RefusedRoot,
                            "PostgreSQL refuses to run as root and there is no '" +
                                options_.root_service_account +
                                "' system account to run the embedded database as (the "
                                "postgresql package creates it): run globalmart as a normal "
                                "user, or pass --db URL (or set PGHOST/PGDATABASE) to use a "
                                "PostgreSQL server");
        }
        options_.run_as_user = options_.root_service_account;
    }
    if (!prepareRoot() || !initialise() || !startServer() || !ensureDatabase()) {
        return outcome_;
    }
    outcome_ = Outcome::Running;
    error_.clear();
    return outcome_;
}

void EmbeddedPostgres::stop() {
    if (!started_here_) {
        return;
    }
    auto argv = serverCommand("pg_ctl");
    argv.insert(argv.end(),
                {"stop", "-D", dataDirectory().string(), "-m", "fast", "-w", "-t", "30"});
    if (runProcess(argv).exit_code != 0) {
        argv.back() = "10";
        argv[argv.size() - 4] = "immediate";
        runProcess(argv);
    }
    started_here_ = false;
    if (outcome_ == Outcome::Running) {
        outcome_ = Outcome::NotStarted;
    }
}

} // namespace gm
