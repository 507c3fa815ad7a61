#!/usr/bin/env bash
# Make PostgreSQL server binaries (initdb, pg_ctl, postgres) available for the tests, which start
# their own throwaway servers (tests/support/postgres.py). Installs the Debian package
# `postgresql` only when no initdb is found, and does not leave the distribution's own cluster
# running afterwards. Safe to run repeatedly; works with and without systemd.
set -euo pipefail

PG_LIB_ROOT="${PG_LIB_ROOT:-/usr/lib/postgresql}"

find_initdb() {
    local candidate
    if candidate="$(command -v initdb)"; then
        echo "$candidate"
        return 0
    fi
    for candidate in "$PG_LIB_ROOT"/*/bin/initdb; do
        if [[ -x "$candidate" ]]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "install-postgres: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

# The package creates a `main` cluster and, through invoke-rc.d or systemd, starts it. The tests
# do not use it, so stop it (and keep systemd from starting it at boot).
stop_distribution_clusters() {
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
        as_root systemctl stop postgresql.service || true
        as_root systemctl disable --quiet postgresql.service || true
    fi
    if command -v pg_lsclusters >/dev/null 2>&1; then
        local version name port status rest
        while read -r version name port status rest; do
            if [[ "$status" == online* ]]; then
                echo "install-postgres: stopping distribution cluster $version/$name (port $port)"
                as_root pg_ctlcluster "$version" "$name" stop --mode fast || true
            fi
        done < <(pg_lsclusters --no-header 2>/dev/null || true)
    fi
}

main() {
    local initdb
    if initdb="$(find_initdb)"; then
        echo "install-postgres: found $initdb; nothing to install"
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-postgres: no initdb found and no apt-get; install PostgreSQL manually" >&2
        return 1
    fi
    echo "install-postgres: no initdb found; installing the Debian package postgresql"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends postgresql
    stop_distribution_clusters
    initdb="$(find_initdb)" || {
        echo "install-postgres: postgresql installed but still no initdb found" >&2
        return 1
    }
    echo "install-postgres: installed; initdb is $initdb"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
