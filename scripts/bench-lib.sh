# Sourced by the benchmark scripts: a generated state loaded into scratch databases, imported, pulled and built.
#
#   prepare_built_state NAME     sets M and C (conninfos of mtp_bench_NAME_manager / _central) and WORK (a
#                                temporary directory); uses STATE=DIR when given, else generates BAGS (1,000,000)
#                                bags. The databases are dropped on exit unless KEEP is set.
prepare_built_state() {
    local name=$1
    BIN=${BIN:-.build/release/mtp-etl}
    [ -x "$BIN" ] || swift build -c release >/dev/null
    "$BIN" db start >/dev/null
    ADMIN=$("$BIN" db url postgres --socket)
    M="${ADMIN/dbname=postgres/dbname=mtp_bench_${name}_manager}"
    C="${ADMIN/dbname=postgres/dbname=mtp_bench_${name}_central}"
    WORK=$(mktemp -d)
    BENCH_DATABASES="mtp_bench_${name}_manager mtp_bench_${name}_central"
    trap bench_cleanup EXIT
    drop_bench_databases
    if [ -n "${REUSE:-}" ] && psql -tA "${ADMIN}" -c "select 1 from pg_database where datname = 'mtp_bench_${name}_manager'" | grep -q 1; then
        return   # REUSE=1: the databases a KEEP=1 run left
    fi
    if [ -z "${STATE:-}" ]; then
        STATE="$WORK/state"
        "$BIN" generate state --bags "${BAGS:-1000000}" --seed 1 --out "$STATE" >/dev/null 2>&1
    fi
    psql -q "$ADMIN" -c "create database mtp_bench_${name}_manager" -c "create database mtp_bench_${name}_central" >/dev/null
    psql -q -v ON_ERROR_STOP=1 "$M" -f sql/fixtures/manager.sql >/dev/null
    psql -q -v ON_ERROR_STOP=1 "$C" -f sql/fixtures/central.sql >/dev/null
    "$BIN" migrate --manager "$M" >/dev/null
    "$BIN" fixture load "$STATE" --replace --manager "$M" --central "$C" >/dev/null
    "$BIN" import-plans "$STATE/order_plan_raw" --manager "$M" >/dev/null 2>&1 || true   # its two rejected rows exit 1
    "$BIN" pull-central --manager "$M" --central "$C" >/dev/null 2>&1
    "$BIN" build --manager "$M" >/dev/null 2>&1
}

drop_bench_databases() {
    [ -n "${KEEP:-}" ] || [ -n "${REUSE:-}" ] && return
    for database in $BENCH_DATABASES; do psql -q "$ADMIN" -c "drop database if exists $database" >/dev/null 2>&1 || true; done
}

bench_cleanup() {
    rm -rf "$WORK"
    drop_bench_databases
}

now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN {printf "%.3f", a - b}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
