# shellcheck shell=bash
# Start a throwaway PostgreSQL server for the test suite and export SELOSTE_TEST_POSTGRES_URL.
#
# Source it (do not run it):   source .ci/postgres.sh
# Stop the server again with:   seloste_postgres_stop   (also run at shell exit if no EXIT trap
#                                                         was set before sourcing)
#
# Why a private cluster instead of the distribution's "main" one: CI runs on a fresh machine as
# root with no service manager, and a developer's laptop may already run PostgreSQL on 5432.
# A cluster in a temp folder, on a free port, listening on 127.0.0.1 only, with fsync off,
# starts in a few seconds, collides with nothing and leaves nothing behind.
#
# It never fails the caller: if PostgreSQL cannot be installed or started it prints a loud
# warning and leaves SELOSTE_TEST_POSTGRES_URL unset, so the PostgreSQL tests are skipped
# (with a reason) rather than the whole run failing. Safe under `set -euo pipefail`.

_seloste_pg_log() { printf '[postgres.sh] %s\n' "$*" >&2; }

_seloste_pg_warn() {
    {
        printf '\n'
        printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
        printf '!!! WARNING: PostgreSQL could not be started: %s\n' "$*"
        printf '!!! The PostgreSQL draft-store tests will be SKIPPED in this run.\n'
        printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
        printf '\n'
    } >&2
}

# Run a command as the cluster's owner (initdb and postgres refuse to run as root).
_seloste_pg_as_owner() {
    if [ "$(id -u)" = "0" ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

_seloste_pg_bindir() {
    local dir
    # Newest installed major version first.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            printf '%s\n' "$dir"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

_seloste_pg_free_port() {
    local py port
    for py in python3 python; do
        if command -v "$py" >/dev/null 2>&1; then
            port=$("$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null) && [ -n "$port" ] && { printf '%s\n' "$port"; return 0; }
        fi
    done
    # No python: try random high ports until `ss` shows one unused.
    local i
    for i in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! ss -ltnH 2>/dev/null | awk '{print $4}' | grep -q ":$port\$"; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    return 1
}

_seloste_pg_url_works() {
    local py="${SELOSTE_PG_PYTHON:-}"
    [ -n "${SELOSTE_TEST_POSTGRES_URL:-}" ] || return 1
    if [ -z "$py" ]; then
        for py in .venv/bin/python python3; do
            command -v "$py" >/dev/null 2>&1 && break
        done
    fi
    "$py" - "$SELOSTE_TEST_POSTGRES_URL" <<'PY' >/dev/null 2>&1
import sys

import psycopg

url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://", 1)
with psycopg.connect(url, connect_timeout=5) as conn:
    conn.execute("select 1")
PY
}

seloste_postgres_stop() {
    local dir="${SELOSTE_PG_DIR:-}" bindir="${SELOSTE_PG_BINDIR:-}"
    if [ -n "$dir" ] && [ -d "$dir/data" ] && [ -n "$bindir" ]; then
        _seloste_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$dir"
        _seloste_pg_log "stopped the throwaway PostgreSQL in $dir"
    fi
    unset SELOSTE_PG_DIR SELOSTE_PG_BINDIR SELOSTE_TEST_POSTGRES_URL
}

_seloste_pg_start() {
    local started_at bindir dir port password url
    started_at=$(date +%s.%N)

    # Idempotent-ish: a URL that already answers (set by the caller or an earlier source) is kept.
    if _seloste_pg_url_works; then
        _seloste_pg_log "SELOSTE_TEST_POSTGRES_URL already answers; not starting another server"
        return 0
    fi
    unset SELOSTE_TEST_POSTGRES_URL

    if ! bindir=$(_seloste_pg_bindir); then
        if [ "$(id -u)" != "0" ]; then
            _seloste_pg_warn "no initdb found and not root, so cannot apt-get install postgresql"
            return 1
        fi
        _seloste_pg_log "installing postgresql with apt-get"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            postgresql </dev/null >/tmp/seloste-apt-postgresql.log 2>&1; then
            tail -n 20 /tmp/seloste-apt-postgresql.log >&2
            _seloste_pg_warn "apt-get install postgresql failed (log: /tmp/seloste-apt-postgresql.log)"
            return 1
        fi
        if ! bindir=$(_seloste_pg_bindir); then
            _seloste_pg_warn "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
            return 1
        fi
    fi

    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
        _seloste_pg_warn "running as root but there is no 'postgres' user to own the cluster"
        return 1
    fi

    dir=$(mktemp -d "${TMPDIR:-/tmp}/seloste-pg.XXXXXX") || { _seloste_pg_warn "mktemp failed"; return 1; }
    chmod 0755 "$dir"
    if [ "$(id -u)" = "0" ]; then
        chown postgres: "$dir" || { _seloste_pg_warn "chown $dir failed"; return 1; }
    fi
    export SELOSTE_PG_DIR="$dir" SELOSTE_PG_BINDIR="$bindir"

    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    # The superuser gets the socket only (trust, socket folder private to the owner); the test
    # role logs in over TCP with a password, as the application would.
    if ! _seloste_pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 \
        --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 \
        >"$dir/initdb.log" 2>&1; then
        # Older servers or images without C.UTF-8: plain C locale.
        _seloste_pg_as_owner rm -rf "$dir/data"
        if ! _seloste_pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 \
            --locale=C --auth-local=trust --auth-host=scram-sha-256 \
            >"$dir/initdb.log" 2>&1; then
            tail -n 20 "$dir/initdb.log" >&2
            _seloste_pg_warn "initdb failed (log above)"
            seloste_postgres_stop
            return 1
        fi
    fi
    _seloste_pg_as_owner mkdir -m 0700 "$dir/socket"

    local attempt
    for attempt in 1 2 3; do
        port=$(_seloste_pg_free_port) || { _seloste_pg_warn "no free port found"; seloste_postgres_stop; return 1; }
        if _seloste_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            break
        fi
        port=""
        _seloste_pg_log "start on port attempt $attempt failed; retrying"
    done
    if [ -z "$port" ]; then
        tail -n 20 "$dir/server.log" >&2 2>/dev/null || true
        _seloste_pg_warn "pg_ctl start failed (server log above)"
        seloste_postgres_stop
        return 1
    fi

    if ! _seloste_pg_as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" \
        -U postgres -d postgres >"$dir/setup.log" 2>&1 <<SQL
CREATE ROLE seloste LOGIN PASSWORD '$password';
CREATE DATABASE seloste_test OWNER seloste;
SQL
    then
        cat "$dir/setup.log" >&2
        _seloste_pg_warn "could not create the role and database"
        seloste_postgres_stop
        return 1
    fi

    url="postgresql+psycopg://seloste:${password}@127.0.0.1:${port}/seloste_test"
    export SELOSTE_TEST_POSTGRES_URL="$url"
    if ! PGPASSWORD="$password" "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U seloste \
        -d seloste_test -c 'select 1' >/dev/null 2>&1; then
        _seloste_pg_warn "the server started but the test role cannot log in over TCP"
        seloste_postgres_stop
        return 1
    fi

    if [ -z "$(trap -p EXIT)" ]; then
        trap seloste_postgres_stop EXIT
    else
        _seloste_pg_log "an EXIT trap exists already; call seloste_postgres_stop yourself"
    fi
    _seloste_pg_log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir), ready in $(awk -v a="$started_at" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
    _seloste_pg_log "exported SELOSTE_TEST_POSTGRES_URL=postgresql+psycopg://seloste:***@127.0.0.1:$port/seloste_test"
    return 0
}

# `||` keeps a caller's `set -e` from aborting the run on any failure inside.
_seloste_pg_start || true
