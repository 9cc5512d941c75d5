#!/usr/bin/env bash
# Benchmark the off-site copy (issue 11): zstd + age + digests + upload, against zstd and age on the same file.
#
# Usage:
#   docs/benchmark-offsite.sh [--size-mb N] [--rss-sizes "100 1024 4096"] [--runs N] [--level N] [--work DIR] [--keep]
#
#   --size-mb N       size of the generated mostly-text database in MiB (default 1024)
#   --rss-sizes LIST  database sizes (MiB) whose off-site copy's peak RSS is measured (default "100 1024 4096"); the
#                     size of --size-mb reuses that database, the others are made for this and deleted after
#   --runs N          interleaved runs per command; medians are reported (default 3)
#   --level N         zstd level of both sides (default 3, the tool's default)
#   --work DIR        scratch folder, must not exist yet or be empty (default: mktemp -d under ${TMPDIR:-/tmp})
#   --keep            keep the work folder, with the databases made for --rss-sizes
#   --rss-db-dir DIR  take each --rss-sizes database from DIR/text-N.db when it is there (e.g. a kept run's work folder)
#                     instead of making it
#   --jvm-opts "..."  options for every uploading JVM (default: the launcher's, read from
#                     backup-app/src/dist/bin/sqlite-backup, as a user's runs get them)
#   --db FILE         use this database (e.g. one a kept run generated) instead of generating one; --size-mb is then
#                     its size in whole MiB; its sidecar FILE.sha256 is written beside it when missing
#
# What it measures, all on the same generated database (chat messages: words drawn from a 265-word vocabulary with
# a skew towards common ones, some numbers, sender addresses, timestamps, an index), warm page cache:
#   1. stored bytes: the tool's zstd+age copy (level N, one age recipient) vs `zstd -N FILE`, and vs
#      `zstd -N -T1 FILE | age -r KEY`; target: the tool's within 2 % of `zstd -N`
#   2. throughput, interleaved, median of --runs: the off-site copy (read, SHA-256 beside, zstd, age, MD5 of the
#      stored bytes, upload in 8 MiB chunks to FakeDrive, a Drive API server on loopback in another JVM storing in
#      /dev/shm) through the real DriveRemoteBackupStore and ZstdAgeBackupCodec, timed inside its JVM after a
#      warm-up copy, vs `zstd -N -T1 FILE | age -r KEY > /dev/null` timed around the pipeline; rates in MB/s of
#      database; target: the tool's at least 0.8x the pipeline's
#   3. memory: peak RSS (GNU time) of the uploading JVM, default heap settings (--runs runs) and with -Xmx64m (one
#      run), for each of --rss-sizes; target: flat. The 4 GiB-class databases are the --size-mb database's rows copied (cheaper than drawing new words;
#      zstd's window at these levels is a few MiB, so the copies compress like the original)
# Also, untimed in the table: CPU seconds of each side, and the copy's parts alone (Benchmarks offsite-parts).
# The harness is dev.sqlitebackup.app.bench.Benchmarks (modes fake-drive, offsite, offsite-parts) from backup-app's test
# sources, built once with `mvn -pl backup-app -am test-compile dependency:build-classpath` and copied.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

SIZE_MB=1024
RSS_SIZES="100 1024 4096"
RUNS=3
LEVEL=3
FIXED_HEAP_MB=64
WORK=""
KEEP=0
GIVEN_DB=""
# the launcher's own lines that set base_flags for every Java (the ones not inside an if), run in order
JVM_OPTS=$( { sed -n '/^base_flags=/p' "$REPO_ROOT/backup-app/src/dist/bin/sqlite-backup"
  echo 'printf "%s" "$base_flags"'; } | sh)
RSS_DB_DIR=""

die() { echo "benchmark-offsite.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) SIZE_MB="${2:?--size-mb needs a value}"; shift 2 ;;
    --rss-sizes) RSS_SIZES="${2?--rss-sizes needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --level) LEVEL="${2:?--level needs a value}"; shift 2 ;;
    --work) WORK="${2:?--work needs a value}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --rss-db-dir) RSS_DB_DIR="${2:?--rss-db-dir needs a value}"; shift 2 ;;
    --jvm-opts) JVM_OPTS="${2?--jvm-opts needs a value}"; shift 2 ;;
    --db) GIVEN_DB="${2:?--db needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$SIZE_MB" =~ ^[0-9]+$ && "$SIZE_MB" -ge 1 ]] || die "--size-mb must be a positive integer"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 ]] || die "--runs must be a positive integer"
[[ "$LEVEL" =~ ^[0-9]+$ && "$LEVEL" -ge 1 && "$LEVEL" -le 19 ]] || die "--level must be 1..19"
for s in $RSS_SIZES; do [[ "$s" =~ ^[0-9]+$ && "$s" -ge 1 ]] || die "--rss-sizes takes positive integers"; done
if [[ -n "$GIVEN_DB" ]]; then
  [[ -f "$GIVEN_DB" && -r "$GIVEN_DB" ]] || die "--db $GIVEN_DB is not a readable file"
  GIVEN_DB="$(cd "$(dirname "$GIVEN_DB")" && pwd)/$(basename "$GIVEN_DB")"
  SIZE_MB=$(( $(stat -c %s "$GIVEN_DB") / 1048576 ))
fi

for tool in sqlite3 zstd age age-keygen java mvn sha256sum; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing; install the Debian package 'time'"

if [[ -z "$WORK" ]]; then
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/sqlite-backup-offsite.XXXXXX")"
else
  mkdir -p "$WORK"
  [[ -z "$(ls -A "$WORK")" ]] || die "--work $WORK is not empty"
  WORK="$(cd "$WORK" && pwd)"
fi
FAKE_PID=""
cleanup() {
  exec 4>&- 2>/dev/null || true
  if [[ -n "$FAKE_PID" ]]; then wait "$FAKE_PID" 2>/dev/null || true; fi
  if [[ "$KEEP" -eq 1 ]]; then echo "Kept work folder: $WORK"; else rm -rf -- "$WORK"; fi
}
trap cleanup EXIT

# the main database, one other database of at most the largest RSS size, its zstd copy, its journal while made
largest=$SIZE_MB
for s in $RSS_SIZES; do if (( s > largest )); then largest=$s; fi; done
need_kb=$(( (SIZE_MB * 2 + largest * 2 + 1024) * 1024 ))
avail_kb=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
(( avail_kb >= need_kb )) || die "need ~$((need_kb / 1024)) MiB free in $WORK, have $((avail_kb / 1024)) MiB"

mkdir -p "$WORK/results" "$WORK/logs"
secs() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms/1000}'; }
mib() { awk -v kb="$1" 'BEGIN {printf "%.0f", kb/1024}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
file_mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.0f", b/1048576}'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
met() { if awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; then echo yes; else echo "**no**"; fi; }

echo "## Machine"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average at start: $(loadavg)"
echo "- cpus (nproc): $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); kernel: $(uname -sr)"
echo "- filesystem of work dir: $(df -PT "$WORK" | awk 'NR==2 {print $2 " on " $1}')"
echo "- $(zstd --version | sed 's/^\*\*\* //; s/ \*\*\*$//'); age $(age --version); sqlite3 $(sqlite3 --version | awk '{print $1}')"
echo "- java: $(java -version 2>&1 | head -n1)"
echo "- zstd-jni $(sed -n 's:.*<zstd-jni.version>\(.*\)</zstd-jni.version>.*:\1:p' "$REPO_ROOT/pom.xml"), jagged $(sed -n 's:.*<jagged.version>\(.*\)</jagged.version>.*:\1:p' "$REPO_ROOT/pom.xml") (pom)"
echo "- uploading JVM options: ${JVM_OPTS:-(none)}"
echo "- code: $(git -C "$REPO_ROOT" rev-parse --short HEAD)$(git -C "$REPO_ROOT" diff --quiet HEAD || echo ' + uncommitted changes')"
echo

# ---------------------------------------------------------------- the harness
echo "Building the harness (mvn -pl backup-app -am test-compile dependency:build-classpath) ..."
(cd "$REPO_ROOT" && mvn -B -q -o -pl backup-app -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/deps.txt" -Dmdep.includeScope=test) >"$WORK/logs/harness-build" 2>&1 \
  || { tail -n 30 "$WORK/logs/harness-build" >&2; die "building the harness failed"; }
mkdir -p "$WORK/harness"
HARNESS_CP=""
n=0
for entry in "$REPO_ROOT/backup-app/target/test-classes" "$REPO_ROOT/backup-app/target/classes" \
    $(tr ':' ' ' <"$WORK/deps.txt"); do
  n=$((n + 1))
  # module outputs (target/classes of the reactor) are copied: a rebuild by someone else cannot change them
  if [[ -d "$entry" ]]; then cp -r "$entry" "$WORK/harness/$n"; else cp "$entry" "$WORK/harness/$n.jar"; fi
  HARNESS_CP="$HARNESS_CP${HARNESS_CP:+:}$WORK/harness/$n$([[ -d "$entry" ]] || echo .jar)"
done

# ---------------------------------------------------------------- the key
age-keygen -o "$WORK/key.txt" 2>/dev/null
RECIPIENT=$(age-keygen -y "$WORK/key.txt")

# ---------------------------------------------------------------- the database
# generate DB SIZE_MB: chat messages, up to 250,000 rows (~34 MiB) per transaction until the file reaches the size.
# A body is up to 24 words cut at 12-161 characters; a word is one of VOCAB's, drawn with a skew towards the first
# ones (the product of two uniform draws), or one time in 12 a number below 10,000.
VOCAB_WORDS="the be to of and a in that have i it for not on with he as you do at this but his by from they we say
her she or an will my one all would there their what so up out if about who get which go me when make can like time
no just him know take people into year your good some could them see other than then now look only come its over
think also back after use two how our work first well way even new want because any these give day most us is are
was were been has had did said going yes ok okay lol thanks thank please sorry tomorrow today tonight morning evening
later meeting call phone message send sent home office train bus car coffee lunch dinner breakfast weekend monday
tuesday wednesday thursday friday saturday sunday week month price order invoice payment account password email
address number photo picture video link file document report project team client customer deadline budget plan idea
question answer problem issue fix update version release backup server database table row query error log test build
deploy check list note notes remember buy milk bread eggs cheese apples doctor dentist appointment birthday party gift
family mom dad brother sister kids school teacher homework game match score win lost great nice cool awesome maybe
sure really very much more less again still already soon never always sometimes here where why something nothing
everything anyone someone let arrived leaving got sounds talk miss love happy congratulations luck care fun"
generate() {
  local db="$1" size_mb="$2" target=$(( $2 * 1048576 )) words nwords vocab pick word body t0
  t0=$(date +%s)
  words=$(tr ' ' '\n' <<<"$VOCAB_WORDS" | grep -v '^$' | awk '!seen[$0]++')
  nwords=$(wc -l <<<"$words")
  vocab=$(awk '{printf "%-16s", $0} END {printf "|"}' <<<"$words")   # fixed width: a word is a substr
  pick="rtrim(substr(v, 1 + 16 * (((abs(random()) % $nwords) * (abs(random()) % $nwords)) / $nwords), 16))"
  word="(CASE WHEN abs(random()) % 12 = 0 THEN abs(random()) % 10000 ELSE $pick END)"
  body=""
  for _ in $(seq 24); do body="$body${body:+ || ' ' || }$word"; done
  sqlite3 "$db" >/dev/null <<'SQL'
PRAGMA page_size=4096;
PRAGMA journal_mode=WAL;
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  chat_id INTEGER NOT NULL,
  sender TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX messages_chat ON messages(chat_id, sent_at);
SQL
  local batch
  while (( $(stat -c %s "$db") < target )); do
    batch=$(( (target - $(stat -c %s "$db")) / 130 + 100 ))
    if (( batch > 250000 )); then batch=250000; fi
    sqlite3 "$db" >/dev/null <<SQL
PRAGMA synchronous=OFF;
PRAGMA cache_size=-262144;
BEGIN;
WITH RECURSIVE n(x) AS (SELECT (SELECT coalesce(max(id), 0) FROM messages) + 1
                        UNION ALL SELECT x + 1 FROM n WHERE x < (SELECT coalesce(max(id), 0) FROM messages) + $batch),
vv(v) AS (SELECT '$vocab')
INSERT INTO messages (chat_id, sender, sent_at, body)
SELECT abs(random()) % 500, 'user' || (abs(random()) % 2000) || '@example.org',
       1600000000 + x * 37 + abs(random()) % 30, rtrim(substr($body, 1, 12 + abs(random()) % 150))
FROM n, vv;
COMMIT;
SQL
  done
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  echo "Generated $db: $(file_mib "$db") MiB, $(sqlite3 "$db" 'SELECT count(*) FROM messages') messages," \
       "in $(( $(date +%s) - t0 )) s"
}

# copies SRC's rows into a new DB until it reaches SIZE_MB (timestamps moved on, so every row is a new message)
grow_from() {
  local src="$1" db="$2" size_mb="$3" target=$(( $3 * 1048576 )) t0 pass=0
  t0=$(date +%s)
  sqlite3 "$db" "PRAGMA page_size=4096; PRAGMA journal_mode=WAL;
    CREATE TABLE messages (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, sender TEXT NOT NULL,
      sent_at INTEGER NOT NULL, body TEXT NOT NULL);
    CREATE INDEX messages_chat ON messages(chat_id, sent_at);" >/dev/null
  while (( $(stat -c %s "$db") < target )); do
    pass=$((pass + 1))
    local left=$(( ( target - $(stat -c %s "$db") ) / 130 + 1000 ))
    sqlite3 "$db" "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; ATTACH '$src' AS src;
      INSERT INTO messages (chat_id, sender, sent_at, body)
      SELECT chat_id, sender, sent_at + $pass * 400000000, body FROM src.messages ORDER BY id LIMIT $left;" >/dev/null
  done
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  echo "Made $db from $(basename "$src")'s rows: $(file_mib "$db") MiB, $(sqlite3 "$db" 'SELECT count(*) FROM messages')" \
       "messages, in $(( $(date +%s) - t0 )) s"
}

# the sidecar the tool writes at publish: the off-site copy takes the plain SHA-256 from it, as the tool does
sidecar() { (cd "$(dirname "$1")" && sha256sum "$(basename "$1")" >"$(basename "$1").sha256"); }

if [[ -n "$GIVEN_DB" ]]; then
  DB="$GIVEN_DB"
  echo "Using $DB: $(file_mib "$DB") MiB"
  [[ -f "$DB.sha256" ]] || sidecar "$DB"
else
  DB="$WORK/text-$SIZE_MB.db"
  generate "$DB" "$SIZE_MB"
  sidecar "$DB"
fi
DB_BYTES=$(stat -c %s "$DB")
cat "$DB" >/dev/null   # warm

# ---------------------------------------------------------------- FakeDrive
mkfifo "$WORK/fake.fifo"
java -Xmx1g -cp "$HARNESS_CP" dev.sqlitebackup.app.bench.Benchmarks fake-drive "$WORK/fake.info" \
  <"$WORK/fake.fifo" >"$WORK/logs/fake" 2>&1 &
FAKE_PID=$!
exec 4>"$WORK/fake.fifo"   # the fake serves until this closes
for _ in $(seq 300); do [[ -f "$WORK/fake.info" ]] && break; sleep 0.1; done
[[ -f "$WORK/fake.info" ]] || { cat "$WORK/logs/fake" >&2; die "FakeDrive did not start"; }

# CPU seconds (user + system) the fake has used so far
fake_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$FAKE_PID/stat"; }
# offsite LABEL FILE [JVM FLAGS...]: one off-site copy in a fresh JVM; appends "seconds MB/s stored_bytes rss_kib
# jvm_cpu_s fake_cpu_s" to results/LABEL (CPU of the whole JVM, start and warm-up copy included)
offsite() {
  local label="$1" file="$2" log="$WORK/logs/offsite.$1" rc=0 f0 f1; shift 2
  f0=$(fake_cpu)
  # shellcheck disable=SC2086  # JVM_OPTS is a list of options, split at white space on purpose
  /usr/bin/time -v -o "$WORK/logs/time.$label" java $JVM_OPTS "$@" -cp "$HARNESS_CP" dev.sqlitebackup.app.bench.Benchmarks \
    offsite "$file" "$WORK/fake.info" "$RECIPIENT" "$LEVEL" >"$log" 2>&1 || rc=$?
  f1=$(fake_cpu)
  [[ $rc -eq 0 ]] || { tail -n 30 "$log" >&2; die "the off-site copy failed ($rc)"; }
  echo "$(awk '/^offsite_s/ {print $2}' "$log") $(awk '/^offsite_mb_s/ {print $2}' "$log")" \
       "$(awk '/^stored_bytes/ {print $2}' "$log")" \
       "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/logs/time.$label")" \
       "$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$WORK/logs/time.$label")" \
       "$(awk -v a="$f0" -v b="$f1" 'BEGIN {printf "%.2f", b - a}')" >>"$WORK/results/$label"
}
# pipeline FILE: `zstd -N -T1 FILE | age -r KEY > /dev/null`, timed around the pipeline; appends "seconds MB/s
# cpu_s" (CPU of both processes, from bash's times)
pipeline() {
  local t0 t1 c0 c1
  times >"$WORK/logs/times0"   # a builtin in this shell: $(times) would be a fresh subshell's, children none
  t0=$(date +%s%N)
  zstd "-$LEVEL" -T1 -q -c "$1" | age -r "$RECIPIENT" >/dev/null
  t1=$(date +%s%N)
  times >"$WORK/logs/times1"
  c0=$(tail -n1 "$WORK/logs/times0"); c1=$(tail -n1 "$WORK/logs/times1")
  awk -v ns=$((t1 - t0)) -v b="$DB_BYTES" -v c0="$c0" -v c1="$c1" '
    function s(t) { split(t, p, "m"); sub(/s$/, "", p[2]); return p[1] * 60 + p[2] }
    BEGIN { split(c0, a, " "); split(c1, z, " ")
            printf "%.3f %.1f %.2f\n", ns / 1e9, b / 1e6 / (ns / 1e9), s(z[1]) + s(z[2]) - s(a[1]) - s(a[2]) }' \
    >>"$WORK/results/pipeline"
}

# ---------------------------------------------------------------- 1. stored bytes
echo
echo "Stored bytes (untimed) ..."
zstd "-$LEVEL" -q -f -o "$WORK/cli.zst" "$DB"
ZSTD_BYTES=$(stat -c %s "$WORK/cli.zst")
rm -f "$WORK/cli.zst"
PIPE_BYTES=$(zstd "-$LEVEL" -T1 -q -c "$DB" | age -r "$RECIPIENT" | wc -c)

# ---------------------------------------------------------------- 2. throughput, interleaved
echo "Throughput: $RUNS interleaved runs of the pipeline and the off-site copy (load before: $(loadavg)) ..."
LOADS=""
for ((i = 1; i <= RUNS; i++)); do
  sync
  pipeline "$DB"
  sync
  offsite "main" "$DB"
  LOADS="$LOADS${LOADS:+; }$(loadavg)"
  echo "  run $i/$RUNS done (load $(loadavg))"
done
TOOL_BYTES=$(awk '{print $3}' "$WORK/results/main" | sort -u)
[[ $(wc -l <<<"$TOOL_BYTES") -eq 1 ]] || echo "(stored sizes differ between runs: $TOOL_BYTES)"
TOOL_BYTES=$(head -n1 <<<"$TOOL_BYTES")
PIPE_S=$(awk '{print $1}' "$WORK/results/pipeline" | median)
PIPE_RATE=$(awk '{print $2}' "$WORK/results/pipeline" | median)
TOOL_S=$(awk '{print $1}' "$WORK/results/main" | median)
TOOL_RATE=$(awk '{print $2}' "$WORK/results/main" | median)
MAIN_RSS=$(awk '{print $4}' "$WORK/results/main" | sort -n | tail -n1)

# ---------------------------------------------------------------- where the time goes
echo "The off-site copy's parts alone, one pass each after a warm-up pass (load before: $(loadavg)) ..."
java -cp "$HARNESS_CP" dev.sqlitebackup.app.bench.Benchmarks offsite-parts "$DB" "$RECIPIENT" "$LEVEL" \
  >"$WORK/logs/parts" 2>&1 || { cat "$WORK/logs/parts" >&2; die "offsite-parts failed"; }

# ---------------------------------------------------------------- 3. memory by size
echo "Peak RSS by database size: $RSS_SIZES MiB ..."
RSS_ROWS=()
for s in $RSS_SIZES; do
  if [[ "$s" -eq "$SIZE_MB" ]]; then
    sync; offsite "main-xmx$FIXED_HEAP_MB" "$DB" "-Xmx${FIXED_HEAP_MB}m"
    RSS_ROWS+=("| $s | $(file_mib "$DB") | $(mib "$MAIN_RSS") | $RUNS (the throughput runs above) | $TOOL_S | $(mib "$(awk '{print $4}' "$WORK/results/main-xmx$FIXED_HEAP_MB")") |")
    continue
  fi
  other="$WORK/text-$s.db"
  if [[ -n "$RSS_DB_DIR" && -f "$RSS_DB_DIR/text-$s.db" ]]; then
    other="$RSS_DB_DIR/text-$s.db"
    echo "Using $other: $(file_mib "$other") MiB"
    [[ -f "$other.sha256" ]] || sidecar "$other"
  else
    if (( s > SIZE_MB )); then grow_from "$DB" "$other" "$s"; else generate "$other" "$s"; fi
    sidecar "$other"
  fi
  cat "$other" >/dev/null
  rm -f "$WORK/results/rss-$s"
  for ((i = 1; i <= RUNS; i++)); do sync; offsite "rss-$s" "$other"; done
  sync; offsite "rss-$s-xmx$FIXED_HEAP_MB" "$other" "-Xmx${FIXED_HEAP_MB}m"
  RSS_ROWS+=("| $s | $(file_mib "$other") | $(mib "$(awk '{print $4}' "$WORK/results/rss-$s" | sort -n | tail -n1)") | $RUNS | $(awk '{print $1}' "$WORK/results/rss-$s" | median) | $(mib "$(awk '{print $4}' "$WORK/results/rss-$s-xmx$FIXED_HEAP_MB")") |")
  if [[ "$KEEP" -ne 1 && "$other" == "$WORK"/* ]]; then rm -f -- "$other" "$other.sha256"; fi
done

# ---------------------------------------------------------------- report
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.2f", (a - b) * 100 / b}'; }
RATE_RATIO=$(awk -v a="$TOOL_RATE" -v b="$PIPE_RATE" 'BEGIN {printf "%.2f", a / b}')
BYTES_PCT=$(pct "$TOOL_BYTES" "$ZSTD_BYTES")
ABS_PCT=${BYTES_PCT#[+-]}
echo
echo "## Results: $(file_mib "$DB") MiB mostly-text database ($DB_BYTES bytes), zstd level $LEVEL, one age recipient"
echo
echo "| measure | result | target | met |"
echo "|---|---:|---:|---|"
echo "| stored bytes: off-site copy (zstd+age) vs \`zstd -$LEVEL FILE\` | $TOOL_BYTES vs $ZSTD_BYTES ($BYTES_PCT %) | within 2 % | $(met "$ABS_PCT" 2) |"
echo "| throughput: off-site copy vs \`zstd -$LEVEL -T1 FILE \\| age -r KEY > /dev/null\` (median of $RUNS) | $TOOL_RATE vs $PIPE_RATE MB/s (${RATE_RATIO}x; $TOOL_S s vs $PIPE_S s) | >= 0.8x | $(met 0.8 "$RATE_RATIO") |"
echo
echo "Also: \`zstd -$LEVEL -T1 FILE | age -r KEY\` stores $PIPE_BYTES bytes ($(pct "$PIPE_BYTES" "$ZSTD_BYTES") % vs zstd alone;" \
     "the tool $(pct "$TOOL_BYTES" "$PIPE_BYTES") % vs this pipeline); the database compresses to" \
     "$(awk -v a="$ZSTD_BYTES" -v b="$DB_BYTES" 'BEGIN {printf "%.1f", a * 100 / b}') % with zstd -$LEVEL."
echo "Load average after each interleaved run (1, 5, 15 min): $LOADS."
echo
echo "Peak RSS of the uploading JVM (default heap settings) by database size:"
echo
echo "| database (requested MiB) | database (actual MiB) | peak RSS MiB (max of runs) | runs | median copy s | peak RSS MiB with -Xmx${FIXED_HEAP_MB}m (1 run) |"
echo "|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${RSS_ROWS[@]}"
echo
echo "CPU seconds (user + system), median of the interleaved runs: pipeline $(awk '{print $3}' "$WORK/results/pipeline" | median)," \
     "uploading JVM $(awk '{print $5}' "$WORK/results/main" | median) (JVM start and a 1 MiB warm-up copy included)," \
     "FakeDrive's JVM during a copy $(awk '{print $6}' "$WORK/results/main" | median)."
echo
echo "The off-site copy's parts alone, each one pass over the database in one JVM (best of 2, warm):"
echo
echo '```'
sed -n 's/^part //p' "$WORK/logs/parts"
echo '```'
echo
echo "Raw runs (pipeline: s MB/s cpu_s; off-site: s MB/s stored_bytes rss_kib jvm_cpu_s fake_cpu_s):"
for f in "$WORK"/results/*; do echo "  $(basename "$f"): $(tr '\n' ';' <"$f" | sed 's/;$//; s/;/; /g')"; done
echo "Load average at the end: $(loadavg)"
