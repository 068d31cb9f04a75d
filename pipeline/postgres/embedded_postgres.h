// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gm {

struct EmbeddedPostgresOptions {
    // The cluster lives in <root>/data; the Unix socket and the server log in <root>.
    std::filesystem::path root;
    // Empty: the newest <postgresql_lib_dir>/<version>/bin.
    std::filesystem::path bin_dir;
    std::filesystem::path postgresql_lib_dir = "/usr/lib/postgresql";
    // Run initdb/pg_ctl as this OS user (via runuser). Empty: as the current user, except for
    // root, which PostgreSQL refuses: then as root_service_account.
    std::optional<std::string> run_as_user;
    // The unprivileged account a root process runs the server as: the one Debian's postgresql
    // package creates. It owns <root> (the data directory and the socket directory), so every
    // directory above <root> must let it pass.
    std::string root_service_account = "postgres";
    // Only names the socket file (.s.PGSQL.<port>); no TCP port is opened.
    int port = 5432;
    std::string user = "globalmart"; // the cluster's superuser
    std::string database = "globalmart";
    // Tests and benchmarks: initdb --no-sync and fsync=off. Never for data anyone wants to keep.
    bool throwaway = false;
};

// A private PostgreSQL cluster for the embedded default: the system's initdb and pg_ctl, data
// under the user's data directory, reachable only through a Unix socket in a directory only the
// user can enter (no TCP). Created on first use, started on demand, reused by later runs, and
// stopped on destruction if this object started it.
class EmbeddedPostgres {
public:
    // RefusedRoot: running as root and there is no root_service_account to run the server as.
    enum class Outcome { NotStarted, Running, RefusedRoot, NoBinaries, Failed };

    explicit EmbeddedPostgres(EmbeddedPostgresOptions options);
    ~EmbeddedPostgres(); // stop()
    EmbeddedPostgres(const EmbeddedPostgres&) = delete;
    EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

    // Creates the cluster if needed, starts it unless already running, creates the database.
    // On failure, error() is one line saying what happened and what to do.
    Outcome start();
    // Stops the server if this object started it (a server found running is left alone).
    void stop();

    Outcome outcome() const { return outcome_; }
    const std::string& error() const { return error_; }
    bool startedHere() const { return started_here_; }
    bool initialisedHere() const { return initialised_here_; }
    // key=value connection string for the running cluster.
    std::string conninfo() const;
    std::filesystem::path dataDirectory() const { return options_.root / "data"; }
    const EmbeddedPostgresOptions& options() const { return options_; }

    // The newest <lib_dir>/<version>/bin that has initdb and pg_ctl.
    static std::optional<std::filesystem::path>
    findBinDirectory(const std::filesystem::path& lib_dir = "/usr/lib/postgresql");
    // True when pg_ctl reports a server running on the data directory.
    bool serverRunning() const;

private:
    std::vector<std::string> serverCommand(const std::string& program) const;
    bool prepareRoot();
    bool initialise();
    bool startServer();
    bool ensureDatabase();
    Outcome failWith(Outcome outcome, std::string message);

    EmbeddedPostgresOptions options_;
    Outcome outcome_ = Outcome::NotStarted;
    std::string error_;
    bool started_here_ = false;
    bool initialised_here_ = false;
};

} // namespace gm
