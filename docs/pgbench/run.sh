#!/bin/bash
# The database's own cost of a lock cycle (docs/benchmarks.md, "What PostgreSQL spends per cycle"): pgbench on a
# PostgreSQL whose schema the server's migration made (start the server once with DB_URL pointing at it), with
# fsync and synchronous_commit on (the defaults). Each client takes and releases a key of its own, 15 s per variant.
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGDATABASE=tracker docs/pgbench/run.sh
# plain.sql needs:  CREATE TABLE plain_locks (k varchar(255) PRIMARY KEY);
# The variants without the history trigger need the table's owner (ALTER TABLE locks DISABLE TRIGGER USER).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# The variants of ours.sql differ only in how its release is announced: derived here rather than kept as copies.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$here/plain.sql" "$here/ours.sql" "$work/"
announce='SELECT released.\*, pg_notify(.*) FROM released;'
sed -e "s/$announce/SELECT released.*, tracker_announce_release(released.service, released.environment, released.resource) FROM released;/" \
    "$here/ours.sql" > "$work/conditional.sql"
sed -e "s/$announce/SELECT released.* FROM released;/" "$here/ours.sql" > "$work/nonotify.sql"
for variant in conditional nonotify; do
    if grep -q "pg_notify" "$work/$variant.sql"; then
        echo "run.sh: could not derive $variant.sql from ours.sql" >&2
        exit 1
    fi
done
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
bench() { # name script clients
    local t0 t1 out tps
    t0=$(busy)
    out=$(pgbench -n -M prepared -c "$3" -j 2 -T 15 -f "$work/$2" 2>&1)
    t1=$(busy)
    tps=$(echo "$out" | grep -oP 'tps = \K[0-9.]+' | head -1)
    echo "$1 clients=$3 cycles/s=$tps machine_cpu_us_per_cycle=$(echo "($t1-$t0)*10000/($tps*15)" | bc)"
}
for clients in 8 32; do
    bench "plain INSERT+DELETE" plain.sql "$clients"
    bench "ours, every release announced" ours.sql "$clients"
    bench "ours, announced when someone waits" conditional.sql "$clients"
    bench "ours, never announced" nonotify.sql "$clients"
    psql -q -c "ALTER TABLE locks DISABLE TRIGGER USER"
    bench "ours, never announced, no history" nonotify.sql "$clients"
    psql -q -c "ALTER TABLE locks ENABLE TRIGGER USER"
done
