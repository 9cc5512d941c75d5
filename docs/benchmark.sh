#!/usr/bin/env bash
# Benchmark sqlite-backup against the sqlite3 CLI on a generated WAL-mode database.
#
# Usage:
#   docs/benchmark.sh [--size-mb N] [--work DIR] [--jar PATH] [--runs N] [--keep]
#   docs/benchmark.sh --rss-sizes "100 1024 4096" [--size-mb N] ...   the whole record (what docs/benchmarks.md shows)
#   docs/benchmark.sh --rss-only --rss-sizes "100 1024" [--work DIR] [--jar PATH] [--keep]
#   docs/benchmark.sh --baseline-only [--size-mb N] ...
#
#   --size-mb N       size of the generated database in MiB (default 1024)
#   --work DIR        scratch folder, must not exist yet or be empty (default: mktemp -d under ${TMPDIR:-/tmp});
#                     the database and every copy live here, so it decides the filesystem being measured
#   --jar PATH        the fat jar (default: <repo>/backup-app/target/sqlite-backup.jar; built with
#                     `mvn -B -q package -DskipTests` when missing)
#   --runs N          measured runs per command, the median wall time is reported (default 3)
#   --rss-sizes LIST  after the main table: generate one database per size in LIST (MiB) and report the
#                     peak RSS of `run --no-vacuum` for each, to show memory does not grow with the database
#   --rss-only        only the --rss-sizes table
#   --baseline-only   measure only the sqlite3 baselines (for when the jar is not runnable yet)
#   --keep            keep the work folder (database, logs) instead of deleting it
#   --launcher        run the tool as users of the distribution do: bin/sqlite-backup from
#                     backup-app/target/sqlite-backup-*.tar.gz (built with `mvn -B -q package -DskipTests` when
#                     missing), unpacked into the work folder, its cache there too and trained by one untimed start;
#                     adds i) a tiny database's `run`, the launcher against `java -jar`, and issue 12's targets
#   --old-jar PATH    with --launcher: i) also times `java -jar PATH`, e.g. the jar as it was before issue 12 (the
#                     target compares the launcher with "today's java -jar")
#   --e-runs N        e) also runs c N more times under the writer (default 5, 0 for none) and compares the median
#                     of their longest commits with .backup's 60 s cut into windows as long as c's median run, and
#                     with sqlite3 merely holding a read transaction that long (the snapshot any consistent copy holds)
#
# What it measures, on one database, each run writing into a fresh folder that is deleted afterwards:
#   a) sqlite3 DB ".backup OUT" + sqlite3 OUT "PRAGMA quick_check"     (online backup API + check)
#   b) sqlite3 DB "VACUUM INTO 'OUT'"
#   c) TOOL run --database DB --backup-dir DIR --no-vacuum   (raw copy, quick_check, SHA-256, fsync)
#   d) TOOL run --database DB --backup-dir DIR               (VACUUM INTO, quick_check, SHA-256, fsync)
#   where TOOL is `java -jar JAR`, or with --launcher bin/sqlite-backup
# The page cache cannot be dropped reliably here, so the database is read once to warm the cache and every
# command runs warm. Commands are interleaved (a b c d, a b c d, ...) so drift hits them alike, and `sync` runs
# untimed between commands so one run's write-back does not land in the next one's timing. Wall time comes from
# `date +%s%N` around the command, peak RSS from GNU time (`/usr/bin/time -v`).
# Then, on the same database (untimed in the table above, each its own pass):
#   e) the longest commit of a writer process (WAL, synchronous=NORMAL, one row and a counter per transaction, in
#      a loop) while a, b, c and d each run once, and in a few seconds without any backup for comparison; then
#      (--e-runs) per-window medians: c's runs, .backup's windows, a snapshot held alone
#   f) Drive upload MB/s of a 1 GiB backup (made by c) through the real DriveRemoteBackupStore to FakeDrive, a
#      Drive API server on loopback in another JVM, and the peak RSS of the uploading process
#   g) RetentionPolicy.DEFAULT.plan over 100,000 hourly backup names, best of 5 after warm-up, in a fresh JVM
#   h) load: ten backups back to back in-process (~32 MB database, WAL and then DELETE journal mode) while a writer
#      commits; each backup must hold a committed state; the writer's longest commit is printed, not judged
# e, f, g and h run dev.sqlitebackup.app.bench.Benchmarks from backup-app's test sources, built once with
# `mvn -pl backup-app -am test-compile dependency:build-classpath` (needs the repository, not only the jar).
# Targets: c <= 1.0x a, d <= 1.1x b, peak RSS of c and d <= 256 MiB at any database size, writer's longest commit
# during c and d < 50 ms, upload >= 200 MB/s, plan < 1 s.
# Also printed, untimed in the table: the cost of parts on their own (SHA-256 with sha256sum and openssl, fsync)
# and a file-event timeline (strace) of one extra `-v` run of c and d, so a missed target can be attributed.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

SIZE_MB=1024
WORK=""
JAR="$REPO_ROOT/backup-app/target/sqlite-backup.jar"
RUNS=3
RSS_SIZES=""
RSS_ONLY=0
BASELINE_ONLY=0
KEEP=0
LAUNCHER_MODE=0
OLD_JAR=""
E_RUNS=5
RSS_TARGET_MIB=256

die() { echo "benchmark.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) SIZE_MB="${2:?--size-mb needs a value}"; shift 2 ;;
    --work) WORK="${2:?--work needs a value}"; shift 2 ;;
    --jar) JAR="${2:?--jar needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --rss-sizes) RSS_SIZES="${2:?--rss-sizes needs a value}"; shift 2 ;;
    --rss-only) RSS_ONLY=1; shift ;;
    --baseline-only) BASELINE_ONLY=1; shift ;;
    --keep) KEEP=1; shift ;;
    --launcher) LAUNCHER_MODE=1; shift ;;
    --old-jar) OLD_JAR="${2:?--old-jar needs a value}"; shift 2 ;;
    --e-runs) E_RUNS="${2:?--e-runs needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$SIZE_MB" =~ ^[0-9]+$ && "$SIZE_MB" -ge 1 ]] || die "--size-mb must be a positive integer"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 ]] || die "--runs must be a positive integer"
[[ "$E_RUNS" =~ ^[0-9]+$ ]] || die "--e-runs must be 0 or a positive integer"
for s in $RSS_SIZES; do [[ "$s" =~ ^[0-9]+$ && "$s" -ge 1 ]] || die "--rss-sizes takes positive integers"; done
if [[ -n "$RSS_SIZES" && "$BASELINE_ONLY" -eq 1 ]]; then die "--rss-sizes measures the jar, not with --baseline-only"; fi
if [[ "$RSS_ONLY" -eq 1 && -z "$RSS_SIZES" ]]; then die "--rss-only needs --rss-sizes"; fi

# ---------------------------------------------------------------- tools
command -v sqlite3 >/dev/null || die "sqlite3 CLI not found"
if [[ ! -x /usr/bin/time ]]; then
  [[ "$(id -u)" -eq 0 ]] || die "/usr/bin/time missing; install the Debian package 'time'"
  echo "Installing GNU time (/usr/bin/time missing) ..."
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
if [[ "$BASELINE_ONLY" -eq 0 ]]; then
  command -v java >/dev/null || die "java not found"
  if [[ ! -f "$JAR" ]]; then
    echo "Building $JAR (mvn -B -q package -DskipTests) ..."
    (cd "$REPO_ROOT" && mvn -B -q package -DskipTests) || die "build failed"
    [[ -f "$JAR" ]] || die "build succeeded but $JAR does not exist"
  fi
  JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"
fi

# ---------------------------------------------------------------- work folder
if [[ -z "$WORK" ]]; then
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/sqlite-backup-bench.XXXXXX")"
else
  mkdir -p "$WORK"
  [[ -z "$(ls -A "$WORK")" ]] || die "--work $WORK is not empty"
  WORK="$(cd "$WORK" && pwd)"
fi
cleanup() {
  if [[ "$KEEP" -eq 1 ]]; then echo "Kept work folder: $WORK"; else rm -rf -- "$WORK"; fi
}
trap cleanup EXIT

# A run holds the database, one copy being written and the tool's temp file (the --rss-sizes mode keeps one
# database at a time); ask for 4x the largest plus 1 GiB of slack.
largest=$SIZE_MB
for s in $RSS_SIZES; do if (( s > largest )); then largest=$s; fi; done
need_kb=$(( (largest * 4 + 1024) * 1024 ))
avail_kb=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
(( avail_kb >= need_kb )) || die "need ~$((need_kb / 1024)) MiB free in $WORK, have $((avail_kb / 1024)) MiB"

# ---------------------------------------------------------------- machine info
echo "## Machine"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- cpus (nproc): $(nproc)"
echo "- cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')$(grep -qw sha_ni /proc/cpuinfo && echo ' (sha_ni)')"
echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "- kernel: $(uname -sr)"
echo "- filesystem of work dir: $(df -PT "$WORK" | awk 'NR==2 {print $2 " on " $1}')"
echo "- sqlite3: $(sqlite3 --version | awk '{print $1}')"
if [[ "$BASELINE_ONLY" -eq 0 ]]; then
  echo "- java: $(java -version 2>&1 | head -n1)"
fi
jdbc="$(sed -n 's:.*<sqlite-jdbc.version>\(.*\)</sqlite-jdbc.version>.*:\1:p' "$REPO_ROOT/pom.xml" | head -n1)"
echo "- sqlite-jdbc (pom): ${jdbc:-unknown}"
echo

# ---------------------------------------------------------------- helpers
# measure LABEL CMD...: runs CMD, appends "wall_ms rss_kib" to $WORK/results/LABEL; fails on nonzero exit.
mkdir -p "$WORK/results" "$WORK/logs"
measure() {
  local label="$1"; shift
  local tf="$WORK/logs/time.$label" log="$WORK/logs/out.$label"
  local t0 t1 rc=0
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$tf" "$@" >"$log" 2>&1 || rc=$?
  t1=$(date +%s%N)
  if [[ $rc -ne 0 ]]; then
    echo "FAILED ($rc): $*" >&2; tail -n 20 "$log" >&2; return 1
  fi
  local rss; rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  echo "$(( (t1 - t0) / 1000000 )) $rss" >>"$WORK/results/$label"
}
# the median of the numbers on stdin (one a line), and the same cut to a whole number
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
median_ms() { median | awk '{print int($1)}'; }
col() { awk -v c="$1" '{print $c}' "$WORK/results/$2"; }
secs() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms/1000}'; }
mib() { awk -v kb="$1" 'BEGIN {printf "%.0f", kb/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; }
file_kib() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.0f", b/1024}'; }
file_mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.0f", b/1048576}'; }
fresh() { rm -rf -- "$WORK/out"; mkdir -p "$WORK/out"; sync; }

# generate DB SIZE_MB: a realistic table (integer key, text, timestamp, 1-4 KiB blobs) plus a secondary
# index, filled in ~32 MiB transactions until the file reaches the size, left in WAL mode and checkpointed.
generate() {
  local db="$1" size_mb="$2"
  local target=$(( size_mb * 1048576 ))
  local est_row=3600 batch_bytes=$(( 32 * 1048576 ))
  local t0; t0=$(date +%s)
  sqlite3 "$db" >/dev/null <<'SQL'
PRAGMA page_size=4096;
PRAGMA journal_mode=WAL;
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  payload BLOB NOT NULL
);
CREATE INDEX items_name ON items(name);
SQL
  local size rows
  while :; do
    size=$(stat -c %s "$db")
    (( size < target )) || break
    rows=$(( (target - size) / est_row ))
    if (( rows > batch_bytes / est_row )); then rows=$(( batch_bytes / est_row )); fi
    if (( rows < 100 )); then rows=100; fi
    sqlite3 "$db" >/dev/null <<SQL
PRAGMA synchronous=OFF;
PRAGMA cache_size=-262144;
BEGIN;
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $rows)
INSERT INTO items (name, category, created_at, payload)
SELECT 'user-' || lower(hex(randomblob(6))) || '@example.org',
       'category-' || (abs(random()) % 50),
       1600000000 + (abs(random()) % 200000000),
       randomblob(1024 + abs(random()) % 3072)
FROM n;
COMMIT;
SQL
    # learn the real bytes per row from what the file grew by, so the last batch lands near the target
    local grown=$(( $(stat -c %s "$db") - size ))
    if (( grown > 0 )); then est_row=$(( grown / rows + 1 )); fi
  done
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  local mode; mode=$(sqlite3 "$db" "PRAGMA journal_mode;")
  [[ "$mode" == wal ]] || die "generated database is in journal_mode=$mode, expected wal"
  echo "Generated $db: $(file_mib "$db") MiB, $(sqlite3 "$db" 'SELECT count(*) FROM items') rows," \
       "journal_mode=$mode, in $(( $(date +%s) - t0 )) s"
}

warm() { cat "$1" >/dev/null; }

# The tool as this run measures it: `java -jar JAR`, or the launcher (--launcher). An array, so that /usr/bin/time,
# timeout and strace run it directly.
TOOL=()
set_tool() {
  if [[ "$LAUNCHER_MODE" -eq 0 ]]; then TOOL=(java -jar "$JAR"); return; fi
  local dist
  dist=$(find "$REPO_ROOT/backup-app/target" -maxdepth 1 -name 'sqlite-backup-*.tar.gz' 2>/dev/null | head -n1)
  if [[ -z "$dist" ]]; then
    echo "Building the distribution archive (mvn -B -q package -DskipTests) ..."
    (cd "$REPO_ROOT" && mvn -B -q package -DskipTests) || die "build failed"
    dist=$(find "$REPO_ROOT/backup-app/target" -maxdepth 1 -name 'sqlite-backup-*.tar.gz' | head -n1)
  fi
  mkdir -p "$WORK/dist"
  tar -xzf "$dist" -C "$WORK/dist"
  local launcher; launcher=$(find "$WORK/dist" -path '*/bin/sqlite-backup' | head -n1)
  [[ -x "$launcher" ]] || die "no bin/sqlite-backup in $dist"
  export XDG_CACHE_HOME="$WORK/cache"
  TOOL=("$launcher")
  JAR=$(find "$WORK/dist" -name 'sqlite-backup.jar' | head -n1)   # java -jar of i) runs the same jar
  echo "Launcher: $launcher (from $(basename "$dist")); training its cache (one untimed start) ..."
  "$launcher" --version >"$WORK/logs/launcher-train" 2>&1 || { cat "$WORK/logs/launcher-train" >&2; die "launcher failed"; }
  echo "Launcher cache: $(find "$WORK/cache" -type f | sed "s|$WORK/cache/||" | tr '\n' ' ')"
}

# The tool must really have written a backup: a stub jar that exits 0 must not pass for a fast one.
check_backup_written() {
  local dir="$1" n
  n=$(find "$dir" -maxdepth 1 -name 'backup-*.db' | wc -l)
  [[ "$n" -eq 1 ]] || { echo "expected one backup-*.db in $dir, found $n" >&2; return 1; }
  local f; f=$(find "$dir" -maxdepth 1 -name 'backup-*.db')
  [[ -s "$f.sha256" ]] || { echo "no .sha256 sidecar next to $f" >&2; return 1; }
}

smoke_test_jar() {
  local db="$WORK/smoke.db" dir="$WORK/smoke-out"
  sqlite3 "$db" "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);" >/dev/null
  mkdir -p "$dir"
  local rc=0
  "${TOOL[@]}" run --database "$db" --backup-dir "$dir" --no-vacuum >"$WORK/logs/smoke" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]] || ! check_backup_written "$dir" 2>>"$WORK/logs/smoke"; then
    echo "The jar is not runnable yet (exit $rc):" >&2
    tail -n 20 "$WORK/logs/smoke" >&2
    rm -rf -- "$db" "$dir"
    return 1
  fi
  rm -rf -- "$db"* "$dir"
}

run_a() {
  fresh; measure a_backup sqlite3 "$DB" ".backup '$WORK/out/copy.db'"
  sync; measure a_check sqlite3 "$WORK/out/copy.db" "PRAGMA quick_check"
  grep -qx ok "$WORK/logs/out.a_check" || die "quick_check of the .backup copy did not say ok"
}
run_b() {
  fresh; measure b sqlite3 "$DB" "VACUUM INTO '$WORK/out/copy.db'"
  sync; measure b_check sqlite3 "$WORK/out/copy.db" "PRAGMA quick_check"
  grep -qx ok "$WORK/logs/out.b_check" || die "quick_check of the VACUUM INTO copy did not say ok"
}
run_c() { fresh; measure c "${TOOL[@]}" run --database "$DB" --backup-dir "$WORK/out" --no-vacuum; check_backup_written "$WORK/out"; }
run_d() { fresh; measure d "${TOOL[@]}" run --database "$DB" --backup-dir "$WORK/out"; check_backup_written "$WORK/out"; }

# ---------------------------------------------------------------- rss-sizes
# One more, untimed run of c whose memory is sampled every 10 ms from /proc: the peak of its anonymous memory
# (heap, native buffers: what the process itself holds) and of its file pages (the check reads the copy through a
# memory map of the file's size: shared page cache, which GNU time's RSS counts too). Prints "anon_kib file_kib".
sampled_c() {
  fresh
  "${TOOL[@]}" run --database "$DB" --backup-dir "$WORK/out" --no-vacuum >"$WORK/logs/out.sampled" 2>&1 &
  local pid=$! anon=0 file=0 a f
  while kill -0 "$pid" 2>/dev/null; do
    read -r a f < <(awk '/^RssAnon:/ {a = $2} /^RssFile:/ {f = $2} END {print a + 0, f + 0}' "/proc/$pid/status" 2>/dev/null || echo "0 0")
    if (( a > anon )); then anon=$a; fi
    if (( f > file )); then file=$f; fi
    sleep 0.01
  done
  wait "$pid" || { tail -n 20 "$WORK/logs/out.sampled" >&2; die "the sampled run failed"; }
  check_backup_written "$WORK/out"
  echo "$anon $file"
}

RSS_MAX_KIB=0
rss_section() {
  echo
  echo "## Peak RSS of \`run --no-vacuum\` by database size ($RUNS runs each, and one sampled run)"
  echo
  local rows=() s
  for s in $RSS_SIZES; do
    DB="$WORK/db-$s.db"
    generate "$DB" "$s"
    warm "$DB"
    rm -f "$WORK/results/c"
    for ((i = 1; i <= RUNS; i++)); do run_c; done
    local peak; peak=$(col 2 c | sort -n | tail -n1)
    if (( peak > RSS_MAX_KIB )); then RSS_MAX_KIB=$peak; fi
    local anon file; read -r anon file < <(sampled_c)
    rows+=("| $s | $(file_mib "$DB") | $(secs "$(col 1 c | median_ms)") | $(mib "$peak") | $(mib "$anon") | $(mib "$file") |")
    fresh; rm -f -- "$DB"*
  done
  echo
  echo "| database (requested MiB) | database (actual MiB) | median wall s | peak RSS MiB (max of runs) | peak anonymous MiB (sampled run) | peak file pages MiB (sampled run) |"
  echo "|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
}
if [[ "$RSS_ONLY" -eq 1 ]]; then
  cp "$JAR" "$WORK/sqlite-backup.jar"
  echo "Jar: $JAR ($(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$JAR" | cut -c1-12))"
  JAR="$WORK/sqlite-backup.jar"
  set_tool
  smoke_test_jar || die "cannot measure RSS without a runnable jar"
  rss_section
  exit 0
fi

# ---------------------------------------------------------------- main benchmark
if [[ "$BASELINE_ONLY" -eq 0 ]]; then
  # Others may rebuild target/ while this runs; measure one fixed copy of the jar.
  cp "$JAR" "$WORK/sqlite-backup.jar"
  echo "Jar: $JAR ($(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$JAR" | cut -c1-12))"
  JAR="$WORK/sqlite-backup.jar"
  set_tool
  smoke_test_jar || die "jar not runnable; rerun later, or with --baseline-only for the sqlite3 rows alone"
  # The harness for e, f and g, built once; its classes are copied so a rebuild of target/ cannot change them.
  echo "Building the benchmark harness (mvn -pl backup-app -am test-compile dependency:build-classpath) ..."
  (cd "$REPO_ROOT" && mvn -B -q -pl backup-app -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$WORK/deps.txt" -Dmdep.includeScope=test) >"$WORK/logs/harness-build" 2>&1 \
    || { tail -n 30 "$WORK/logs/harness-build" >&2; die "building the harness failed"; }
  mkdir -p "$WORK/harness"
  HARNESS_CP=""
  n=0
  for entry in "$REPO_ROOT/backup-app/target/test-classes" "$REPO_ROOT/backup-app/target/classes" \
      $(tr ':' ' ' <"$WORK/deps.txt"); do
    if [[ -d "$entry" ]]; then n=$((n + 1)); cp -r "$entry" "$WORK/harness/$n"; entry="$WORK/harness/$n"; fi
    HARNESS_CP="${HARNESS_CP:+$HARNESS_CP:}$entry"
  done
  bench() { java -cp "$HARNESS_CP" dev.sqlitebackup.app.bench.Benchmarks "$@"; }
fi

DB="$WORK/bench.db"
generate "$DB" "$SIZE_MB"
DB_MIB=$(file_mib "$DB")
echo "Warming the page cache (cat db > /dev/null) ..."
warm "$DB"

echo "Measuring, $RUNS interleaved runs per command ..."
for ((i = 1; i <= RUNS; i++)); do
  run_a
  run_b
  if [[ "$BASELINE_ONLY" -eq 0 ]]; then run_c; run_d; fi
  echo "  run $i/$RUNS done"
done

# a) is two commands: per-run sum of wall times, max of the two RSS values
paste -d' ' "$WORK/results/a_backup" "$WORK/results/a_check" \
  | awk '{print $1 + $3, ($2 > $4 ? $2 : $4)}' >"$WORK/results/a"

# b + its quick_check, the baseline of issue 12's target for d
paste -d' ' "$WORK/results/b" "$WORK/results/b_check" | awk '{print $1 + $3, ($2 > $4 ? $2 : $4)}' >"$WORK/results/bq"
A_MS=$(col 1 a | median_ms); B_MS=$(col 1 b | median_ms); BQ_MS=$(col 1 bq | median_ms)
A_RSS=$(col 2 a | sort -n | tail -n1); B_RSS=$(col 2 b | sort -n | tail -n1)

# Parts on their own, untimed in the table: what a verified copy costs beyond the copy itself.
fresh
sqlite3 "$DB" ".backup '$WORK/out/copy.db'"
sync
t0=$(date +%s%N); sha256sum "$WORK/out/copy.db" >/dev/null; t1=$(date +%s%N)
SHA_MS=$(( (t1 - t0) / 1000000 ))
SSL_MS=""
if command -v openssl >/dev/null; then  # OpenSSL uses the CPU's SHA instructions, coreutils does not
  t0=$(date +%s%N); openssl dgst -sha256 "$WORK/out/copy.db" >/dev/null; t1=$(date +%s%N)
  SSL_MS=$(( (t1 - t0) / 1000000 ))
fi
cp "$WORK/out/copy.db" "$WORK/out/copy2.db"
t0=$(date +%s%N); sync "$WORK/out/copy2.db"; t1=$(date +%s%N)
FSYNC_MS=$(( (t1 - t0) / 1000000 ))
fresh

echo
echo "## Results: ${DB_MIB} MiB database, WAL mode, warm page cache, median of $RUNS runs"
echo
echo "| command | median wall s | peak RSS MiB | ratio | target | met |"
echo "|---|---:|---:|---:|---:|---|"
echo "| a) sqlite3 .backup + quick_check | $(secs "$A_MS") | $(mib "$A_RSS") | | | |"
echo "| &nbsp;&nbsp;.backup alone | $(secs "$(col 1 a_backup | median_ms)") | $(mib "$(col 2 a_backup | sort -n | tail -n1)") | | | |"
echo "| &nbsp;&nbsp;quick_check alone | $(secs "$(col 1 a_check | median_ms)") | $(mib "$(col 2 a_check | sort -n | tail -n1)") | | | |"
echo "| b) sqlite3 VACUUM INTO | $(secs "$B_MS") | $(mib "$B_RSS") | | | |"
echo "| &nbsp;&nbsp;+ quick_check of its copy | $(secs "$BQ_MS") | | | | |"
if [[ "$BASELINE_ONLY" -eq 0 ]]; then
  C_MS=$(col 1 c | median_ms); D_MS=$(col 1 d | median_ms)
  C_RSS=$(col 2 c | sort -n | tail -n1); D_RSS=$(col 2 d | sort -n | tail -n1)
  RC=$(ratio "$C_MS" "$A_MS"); RD=$(ratio "$D_MS" "$B_MS"); RDQ=$(ratio "$D_MS" "$BQ_MS")
  met() { if le "$1" "$2"; then echo yes; else echo "**no**"; fi; }
  echo "| c) run --no-vacuum | $(secs "$C_MS") | $(mib "$C_RSS") | c/a $RC | <= 1.00 | $(met "$RC" 1.0) |"
  echo "| d) run (VACUUM INTO) | $(secs "$D_MS") | $(mib "$D_RSS") | d/b $RD | <= 1.10 | $(met "$RD" 1.1) |"
  echo
  echo "Peak RSS target (<= $RSS_TARGET_MIB MiB): c $(mib "$C_RSS") MiB $(met "$(mib "$C_RSS")" $RSS_TARGET_MIB)," \
       "d $(mib "$D_RSS") MiB $(met "$(mib "$D_RSS")" $RSS_TARGET_MIB)"
else
  echo "| c) run --no-vacuum | pending | pending | c/a pending | <= 1.00 | |"
  echo "| d) run (VACUUM INTO) | pending | pending | d/b pending | <= 1.10 | |"
fi
echo
echo "Parts on their own (one run each, warm): SHA-256 of the copy $(secs "$SHA_MS") s with sha256sum" \
     "${SSL_MS:+and $(secs "$SSL_MS") s with openssl, }fsync of a freshly written copy $(secs "$FSYNC_MS") s."
echo
echo "Raw runs (wall ms, RSS KiB):"
for f in a_backup a_check a b b_check bq c d; do
  if [[ -f "$WORK/results/$f" ]]; then
    echo "  $f: $(tr '\n' ';' <"$WORK/results/$f" | sed 's/;$//; s/;/; /g')"
  fi
done

if [[ "$BASELINE_ONLY" -eq 0 ]]; then
  # ---------------------------------------------------------------- e) the concurrent writer
  echo
  echo "## e) A writer committing continuously: its longest commit while each command runs once"
  echo
  now_us() { echo $(( $(date +%s%N) / 1000 )); }
  window() { local label="$1"; shift; local t0; t0=$(now_us); "$@"; echo "$label $t0 $(now_us)" >>"$WORK/results/windows"; }
  rm -f "$WORK/results/windows" "$WORK/writer.fifo"; mkfifo "$WORK/writer.fifo"
  bench writer "$DB" "$WORK/logs/commits" <"$WORK/writer.fifo" >"$WORK/logs/writer" 2>&1 &
  WRITER_PID=$!
  exec 3>"$WORK/writer.fifo"   # the writer stops when this closes
  for _ in $(seq 300); do [[ -s "$WORK/logs/commits" ]] && break; sleep 0.1; done
  [[ -s "$WORK/logs/commits" ]] || { cat "$WORK/logs/writer" >&2; die "the writer did not start committing"; }
  sleep 1
  window "idle 3 s, no backup" sleep 3
  # The CLI's .backup copies 100 pages a step and starts over whenever another connection writes in between, so
  # under a continuous writer it may never finish: give it 60 s, then note that it did not.
  fresh; window "a) sqlite3 .backup (stopped after 60 s if unfinished)" \
    timeout 60 sqlite3 "$DB" ".backup '$WORK/out/copy.db'" || echo "(sqlite3 .backup did not finish within 60 s under the writer)"
  fresh; window "b) sqlite3 VACUUM INTO" sqlite3 "$DB" "VACUUM INTO '$WORK/out/copy.db'"
  fresh; window "c) run --no-vacuum" "${TOOL[@]}" run --database "$DB" --backup-dir "$WORK/out" --no-vacuum >/dev/null
  fresh; window "d) run (VACUUM INTO)" "${TOOL[@]}" run --database "$DB" --backup-dir "$WORK/out" >/dev/null
  # One run each says little about a maximum: c again, then sqlite3 holding a read transaction (reading and writing
  # nothing) for c's median time. While a reader holds a snapshot the writer's checkpoints cannot copy the frames
  # after it into the database; its first checkpoint after the release copies them all, inside one of its commits.
  if (( E_RUNS > 0 )); then
    for _ in $(seq "$E_RUNS"); do
      fresh; sleep 1
      window "c again" "${TOOL[@]}" run --database "$DB" --backup-dir "$WORK/out" --no-vacuum >/dev/null
    done
    E_WINDOW_US=$(awk '/^c\) / || /^c again / { print $NF - $(NF - 1) }' "$WORK/results/windows" | median_ms)
    E_HOLD_S=$(awk -v us="$E_WINDOW_US" 'BEGIN { printf "%.3f", us / 1e6 }')
    fresh; sleep 1
    window "snapshot held" sqlite3 "$DB" "BEGIN;" "SELECT count(*) FROM sqlite_schema;" ".shell sleep $E_HOLD_S" \
      "COMMIT;" >/dev/null
  fi
  sleep 1
  exec 3>&-
  wait "$WRITER_PID" || { cat "$WORK/logs/writer" >&2; die "the writer failed"; }
  fresh
  echo "| while | wall s | commits | longest commit ms | longest gap between commit ends ms | mean commit ms |"
  echo "|---|---:|---:|---:|---:|---:|"
  # the writer's commits that overlap the window from $1 to $2 (us; end >= t0 and start <= t1): how many, the
  # longest, the longest gap between commit ends, the mean (ms)
  commits_in() {
    awk -v t0="$1" -v t1="$2" '
      { end = $1; dur = $2; start = end - dur }
      end >= t0 && start <= t1 { n++; sum += dur; if (dur > max) max = dur
                                 if (end <= t1) { gap = end - prev; if (prev == 0) gap = end - t0; if (gap > mg) mg = gap; prev = end } }
      END { if (prev == 0) prev = t0; if (t1 - prev > mg) mg = t1 - prev
            med = n ? sum / n : 0
            printf "%d %.1f %.1f %.2f", n, max / 1000, mg / 1000, med / 1000 }' "$WORK/logs/commits"
  }
  STALL_MS=0; A_STALL_MS=0; C_STALL_MS=0; E_C_LONGEST=(); E_HOLD_MS=""; A_W0=0; A_W1=0
  while read -r w0 w1 label; do
    read -r n mx gap med <<<"$(commits_in "$w0" "$w1")"
    echo "| $label | $(secs $(( (w1 - w0) / 1000 ))) | $n | $mx | $gap | $med |"
    case "$label" in c\)*|d\)*) if ! le "$mx" "$STALL_MS"; then STALL_MS=$mx; fi ;; esac
    case "$label" in a\)*) A_STALL_MS=$mx; A_W0=$w0; A_W1=$w1 ;; c\)*) C_STALL_MS=$mx ;; esac
    case "$label" in c\)*|"c again") E_C_LONGEST+=("$mx") ;; "snapshot held") E_HOLD_MS=$mx ;; esac
  done < <(awk '{ t0 = $(NF - 1); t1 = $NF; $(NF - 1) = ""; $NF = ""; sub(/ +$/, ""); print t0, t1, $0 }' "$WORK/results/windows")
  echo
  echo "Writer: $(tail -n1 "$WORK/logs/writer")"
  if (( E_RUNS > 0 )); then
    # the longest commit of each window, their median: every c run, and .backup's 60 s cut into windows as long as
    # c's median run (the time the snapshot was held alone), so that like compares with like
    E_C_N=${#E_C_LONGEST[@]}
    E_C_MED=$(printf '%s\n' "${E_C_LONGEST[@]}" | median | awk '{ printf "%.1f", $1 }')
    E_A_LONGEST=()
    for (( t = A_W0; t + E_WINDOW_US <= A_W1; t += E_WINDOW_US )); do
      read -r _ mx _ _ <<<"$(commits_in "$t" $(( t + E_WINDOW_US )))"
      E_A_LONGEST+=("$mx")
    done
    E_A_N=${#E_A_LONGEST[@]}
    E_A_MED=$( (( E_A_N > 0 )) && printf '%s\n' "${E_A_LONGEST[@]}" | median | awk '{ printf "%.1f", $1 }' || echo 0)
    echo
    echo "Longest commit per window, median: c $E_C_MED ms ($E_C_N runs), .backup $E_A_MED ms ($E_A_N windows of" \
      "$E_HOLD_S s, c's median run), a read transaction merely held for $E_HOLD_S s $E_HOLD_MS ms (one window)."
  fi

  # ---------------------------------------------------------------- f) Drive upload to FakeDrive
  echo
  echo "## f) Drive upload of a backup of this database to FakeDrive on loopback"
  echo
  fresh
  "${TOOL[@]}" run --database "$DB" --backup-dir "$WORK/out" --no-vacuum >/dev/null
  BACKUP_FILE=$(find "$WORK/out" -maxdepth 1 -name 'backup-*.db')
  rm -f "$WORK/fake.info" "$WORK/fake.fifo"; mkfifo "$WORK/fake.fifo"
  # the fake streams uploads over 64 MiB to a file (in /dev/shm when writable, see Benchmarks) and holds about
  # two chunks in its heap; 1 GiB of heap is plenty
  java -Xmx1g -cp "$HARNESS_CP" dev.sqlitebackup.app.bench.Benchmarks fake-drive "$WORK/fake.info" \
    <"$WORK/fake.fifo" >"$WORK/logs/fake" 2>&1 &
  FAKE_PID=$!
  exec 4>"$WORK/fake.fifo"
  for _ in $(seq 300); do [[ -f "$WORK/fake.info" ]] && break; sleep 0.1; done
  [[ -f "$WORK/fake.info" ]] || { cat "$WORK/logs/fake" >&2; die "FakeDrive did not start"; }
  sync
  measure upload java -cp "$HARNESS_CP" dev.sqlitebackup.app.bench.Benchmarks upload "$BACKUP_FILE" "$WORK/fake.info"
  exec 4>&-
  wait "$FAKE_PID" || true
  UPLOAD_MBS=$(awk '/^upload_mb_s/ {print $2}' "$WORK/logs/out.upload")
  UPLOAD_RSS=$(col 2 upload | tail -n1)
  grep -v '^upload_mb_s' "$WORK/logs/out.upload" | grep -v DEBUG || true
  echo "Peak RSS of the uploading process: $(mib "$UPLOAD_RSS") MiB (the fake runs in its own JVM)."
  fresh

  # ---------------------------------------------------------------- g) retention plan
  echo
  echo "## g) Retention plan over 100,000 backups"
  echo
  bench plan >"$WORK/logs/plan" 2>&1 || { cat "$WORK/logs/plan" >&2; die "plan benchmark failed"; }
  PLAN_MS=$(awk '/^plan_ms/ {print $2}' "$WORK/logs/plan")
  grep -v '^plan_ms' "$WORK/logs/plan"

  # ---------------------------------------------------------------- h) load
  echo
  echo "## h) Ten backups back to back while a writer commits (in-process, WAL and DELETE)"
  echo
  bench load "$WORK/load" >"$WORK/logs/load" 2>&1 || { tail -n 40 "$WORK/logs/load" >&2; die "load benchmark failed"; }
  grep '^\[load' "$WORK/logs/load"
  rm -rf "$WORK/load"
fi

if [[ "$BASELINE_ONLY" -eq 0 && "$LAUNCHER_MODE" -eq 1 ]]; then
  # ---------------------------------------------------------------- i) a tiny database: JVM start
  echo
  echo "## i) A tiny database's \`run\`: the launcher against \`java -jar\` of the same jar (interleaved, 5 runs each)"
  echo
  TINY="$WORK/tiny.db"
  "${TOOL[@]}" sample "$TINY" >/dev/null
  tiny() { rm -rf "$WORK/tiny-out"; mkdir -p "$WORK/tiny-out"; measure "$1" "${@:2}" run --database "$TINY" --backup-dir "$WORK/tiny-out"; check_backup_written "$WORK/tiny-out"; }
  if [[ -n "$OLD_JAR" ]]; then cp "$OLD_JAR" "$WORK/old-sqlite-backup.jar"; fi
  for ((i = 1; i <= 9; i++)); do
    tiny tiny_jar java -jar "$JAR"
    tiny tiny_launcher "${TOOL[@]}"
    if [[ -n "$OLD_JAR" ]]; then tiny tiny_old_jar java -jar "$WORK/old-sqlite-backup.jar"; fi
  done
  TINY_JAR_MS=$(col 1 tiny_jar | median_ms); TINY_LAUNCHER_MS=$(col 1 tiny_launcher | median_ms)
  RTINY=$(ratio "$TINY_LAUNCHER_MS" "$TINY_JAR_MS")
  echo "java -jar: $(secs "$TINY_JAR_MS") s, launcher: $(secs "$TINY_LAUNCHER_MS") s (median wall of 9; $(file_kib "$TINY") KiB database): launcher / java -jar $RTINY."
  echo "Raw runs (wall ms, RSS KiB): java -jar $(tr '\n' ';' <"$WORK/results/tiny_jar" | sed 's/;$//; s/;/; /g');" \
       "launcher $(tr '\n' ';' <"$WORK/results/tiny_launcher" | sed 's/;$//; s/;/; /g')"
  if [[ -n "$OLD_JAR" ]]; then
    TINY_OLD_MS=$(col 1 tiny_old_jar | median_ms); RTINY_OLD=$(ratio "$TINY_LAUNCHER_MS" "$TINY_OLD_MS")
    echo "java -jar $OLD_JAR: $(secs "$TINY_OLD_MS") s: launcher / that jar $RTINY_OLD" \
         "(raw: $(tr '\n' ';' <"$WORK/results/tiny_old_jar" | sed 's/;$//; s/;/; /g'))."
  fi
  rm -rf "$WORK/tiny-out" "$TINY"*
fi

if [[ "$BASELINE_ONLY" -eq 0 ]]; then
  # The tool logs no per-phase timings, so one extra, untimed run of each mode is traced: the moments it opens,
  # fsyncs and links files show where the time goes (JVM start, snapshot, quick_check, SHA-256, publish).
  echo
  echo "## Where the tool's time goes: one extra run of each, with -v, file events traced (untimed above)"
  for mode in --no-vacuum ""; do
    fresh
    echo
    echo "### run ${mode:-(VACUUM INTO)}"
    echo '```'
    if command -v strace >/dev/null; then
      # shellcheck disable=SC2086  # $mode is empty or one word
      strace -f --seccomp-bpf -ttt -o "$WORK/logs/trace" \
        -e trace=execve,openat,fsync,fdatasync,link,linkat,rename,renameat,renameat2 \
        "${TOOL[@]}" run -v --database "$DB" --backup-dir "$WORK/out" $mode 2>&1 || echo "(exit $?)"
      echo "--- seconds since exec: file events in the work folder"
      awk -v work="$WORK" '
        NR == 1 { t0 = $2 }
        { last = $2 }
        / = -1 / { next }
        /resumed>/ && !/<\.\.\. (fsync|fdatasync) resumed>/ { next }
        index($0, work) || /[ <](fsync|fdatasync)[( ]/ {
          line = $0; sub(/^[0-9]+ +[0-9.]+ +/, "", line); gsub(work "/", "", line)
          sub(/, (O_|0x).*/, ")", line); sub(/AT_FDCWD, /, "", line)
          printf "%7.3f  %s\n", $2 - t0, line
        }
        END { printf "%7.3f  exit\n", last - t0 }' "$WORK/logs/trace"
    else
      # shellcheck disable=SC2086
      "${TOOL[@]}" run -v --database "$DB" --backup-dir "$WORK/out" $mode 2>&1 || echo "(exit $?)"
      echo "(strace not installed: no timeline)"
    fi
    echo '```'
  done
  fresh
fi

if [[ "$BASELINE_ONLY" -eq 0 ]]; then
  if [[ -n "$RSS_SIZES" ]]; then
    rm -f -- "$DB"*   # one database at a time on disk
    rss_section
  fi
  if (( RSS_MAX_KIB < C_RSS )); then RSS_MAX_KIB=$C_RSS; fi
  if (( RSS_MAX_KIB < D_RSS )); then RSS_MAX_KIB=$D_RSS; fi
  echo
  echo "## Summary: every measure against its target"
  echo
  echo "| measure | result | target | met |"
  echo "|---|---:|---:|---|"
  echo "| c) run --no-vacuum / (sqlite3 .backup + quick_check) | $RC ($(secs "$C_MS") s / $(secs "$A_MS") s) | <= 1.00 | $(met "$RC" 1.0) |"
  echo "| d) run / sqlite3 VACUUM INTO | $RD ($(secs "$D_MS") s / $(secs "$B_MS") s) | <= 1.10 | $(met "$RD" 1.1) |"
  echo "| peak RSS, c and d${RSS_SIZES:+ and --rss-sizes $RSS_SIZES} | $(mib "$RSS_MAX_KIB") MiB | <= $RSS_TARGET_MIB MiB | $(met "$(mib "$RSS_MAX_KIB")" $RSS_TARGET_MIB) |"
  echo "| writer's longest commit during c and d | $STALL_MS ms | < 50 ms | $(met "$STALL_MS" 49.999) |"
  echo "| Drive upload to FakeDrive (uploader RSS $(mib "$UPLOAD_RSS") MiB) | $UPLOAD_MBS MB/s | >= 200 MB/s | $(met 200 "$UPLOAD_MBS") |"
  echo "| retention plan over 100,000 backups | $PLAN_MS ms | < 1000 ms | $(met "$PLAN_MS" 999.999) |"
fi
if [[ "$BASELINE_ONLY" -eq 0 && "$LAUNCHER_MODE" -eq 1 ]]; then
  echo
  echo "## Issue 12's targets (through the launcher)"
  echo
  echo "| measure | result | target | met |"
  echo "|---|---:|---:|---|"
  echo "| c) run --no-vacuum / (sqlite3 .backup + quick_check) | $RC ($(secs "$C_MS") s / $(secs "$A_MS") s) | <= 0.75 | $(met "$RC" 0.75) |"
  echo "| d) run (VACUUM INTO) / (sqlite3 VACUUM INTO + quick_check) | $RDQ ($(secs "$D_MS") s / $(secs "$BQ_MS") s) | <= 1.00 | $(met "$RDQ" 1.0) |"
  echo "| i) tiny run: launcher / java -jar | $RTINY ($(secs "$TINY_LAUNCHER_MS") s / $(secs "$TINY_JAR_MS") s) | <= 0.60 | $(met "$RTINY" 0.6) |"
  if [[ -n "$OLD_JAR" ]]; then
    echo "| i) tiny run: launcher / java -jar of --old-jar | $RTINY_OLD ($(secs "$TINY_LAUNCHER_MS") s / $(secs "$TINY_OLD_MS") s) | <= 0.60 | $(met "$RTINY_OLD" 0.6) |"
  fi
  echo "| e) writer's longest commit: during c / during a | $C_STALL_MS ms / $A_STALL_MS ms | c <= a | $(met "$C_STALL_MS" "$A_STALL_MS") |"
  if (( E_RUNS > 0 )); then
    echo "| e) the same per window, median: c ($E_C_N runs) / .backup ($E_A_N windows of $E_HOLD_S s) / a snapshot merely held | $E_C_MED / $E_A_MED / $E_HOLD_MS ms | see the text | - |"
  fi
  echo "| peak RSS, c and d${RSS_SIZES:+ and --rss-sizes $RSS_SIZES} | $(mib "$RSS_MAX_KIB") MiB (file pages of the check's memory map count) | flat | see the table |"
fi
