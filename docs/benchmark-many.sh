#!/usr/bin/env bash
# Benchmark one `run` of many small databases (issue 13) against a shell loop of the sqlite3 CLI.
#
# Usage:
#   docs/benchmark-many.sh [--count N] [--size-mb N] [--work DIR] [--runs N] [--parallelism N] [--keep]
#
#   --count N         how many databases (default 1000)
#   --size-mb N       size of each, in MiB (default 1)
#   --work DIR        scratch folder, must not exist yet or be empty (default: mktemp -d under ${TMPDIR:-/tmp})
#   --runs N          measured runs of each command; the median wall time is reported (default 3)
#   --parallelism N   the config's `parallelism:` (BACKUP_PARALLELISM) for the tool (default: unset, i.e. the
#                     number of cores)
#   --keep            keep the work folder
#
# What it measures, the commands interleaved (loop, tool, loop, tool, ...), `sync` untimed between them, each run
# writing into a fresh folder that is deleted afterwards:
#   loop) for every database: sqlite3 DB ".backup OUT" && sqlite3 OUT "PRAGMA quick_check"
#   tool) bin/sqlite-backup run --config many.yml --no-vacuum    (one glob over every database: raw copy,
#         quick_check, SHA-256, sidecar, fsyncs and the history row of each, BACKUP_PARALLELISM at a time)
#   tool-vacuum) the same without --no-vacuum (VACUUM INTO), one run, for comparison
# The tool runs as users of the distribution run it: bin/sqlite-backup from
# backup-app/target/sqlite-backup-*.tar.gz (built with `mvn -B -q package -DskipTests` when missing), its cache in
# the work folder, trained by one untimed start. Wall time from `date +%s%N`, peak RSS from GNU time.
# Targets (issue 13): tool <= 0.5x loop; the tool's peak RSS <= 256 MiB. Per-database overhead = wall / count.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

COUNT=1000
SIZE_MB=1
WORK=""
RUNS=3
PARALLELISM=""
KEEP=0

die() { echo "benchmark-many.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) COUNT="${2:?--count needs a value}"; shift 2 ;;
    --size-mb) SIZE_MB="${2:?--size-mb needs a value}"; shift 2 ;;
    --work) WORK="${2:?--work needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --parallelism) PARALLELISM="${2:?--parallelism needs a value}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || die "--count must be a positive whole number, got '$COUNT'"
[[ "$SIZE_MB" =~ ^[1-9][0-9]*$ ]] || die "--size-mb must be a positive whole number, got '$SIZE_MB'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive whole number, got '$RUNS'"
command -v sqlite3 >/dev/null || die "sqlite3 is not installed (apt-get install sqlite3)"
[[ -x /usr/bin/time ]] || die "GNU time is not installed (apt-get install time)"

if [[ -z "$WORK" ]]; then
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/sqlite-backup-many.XXXXXX")"
else
  mkdir -p "$WORK"
  [[ -z "$(ls -A "$WORK")" ]] || die "--work $WORK is not empty"
fi
WORK="$(cd "$WORK" && pwd)"
cleanup() { if [[ $KEEP -eq 0 ]]; then rm -rf "$WORK"; fi; }
trap cleanup EXIT

archive="$(ls "$REPO_ROOT"/backup-app/target/sqlite-backup-*.tar.gz 2>/dev/null | head -1 || true)"
if [[ -z "$archive" ]]; then
  (cd "$REPO_ROOT" && mvn -B -q package -DskipTests)
  archive="$(ls "$REPO_ROOT"/backup-app/target/sqlite-backup-*.tar.gz | head -1)"
fi
mkdir -p "$WORK/dist"
tar -xzf "$archive" -C "$WORK/dist"
TOOL="$(ls -d "$WORK"/dist/*/)bin/sqlite-backup"
export XDG_CACHE_HOME="$WORK/cache"

echo "## Machine"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- cpus (nproc): $(nproc)"
echo "- cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "- java: $(java -version 2>&1 | head -1)"
echo "- sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
echo "- work folder: $WORK ($(df -T "$WORK" | awk 'NR==2 {print $2}'))"
echo "- load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "Generating $COUNT databases of $SIZE_MB MiB (WAL mode) ..." >&2
template="$WORK/template.db"
rows=$(( SIZE_MB * 1024 * 1024 / 600 ))
sqlite3 "$template" "PRAGMA journal_mode=WAL; CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
  INSERT INTO notes (body) SELECT hex(randomblob(256)) FROM n; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
for i in $(seq -f '%04g' 1 "$COUNT"); do
  mkdir -p "$WORK/tenants/t$i"
  cp "$template" "$WORK/tenants/t$i/data.db"
done
total_bytes=$(du -cb "$WORK"/tenants/*/data.db | tail -1 | cut -f1)

config() { # $1: backup root
  cat > "$WORK/many.yml" <<EOF
defaults:
  backup_root: $1
databases:
  - glob: $WORK/tenants/*/data.db
    name_from: parent_dir
EOF
  # a config file takes its settings from itself only (BACKUP_PARALLELISM in the environment is not applied)
  if [[ -n "$PARALLELISM" ]]; then echo "parallelism: $PARALLELISM" >> "$WORK/many.yml"; fi
}

loop() { # $1: output folder
  mkdir -p "$1"
  for db in "$WORK"/tenants/*/data.db; do
    name="$(basename "$(dirname "$db")")"
    sqlite3 "$db" ".backup '$1/$name.db'"
    [[ "$(sqlite3 "$1/$name.db" 'PRAGMA quick_check')" == ok ]] || { echo "quick_check failed: $1/$name.db" >&2; return 1; }
  done
}

tool() { # $1: backup root, then extra flags
  local root="$1"; shift
  config "$root"
  "$TOOL" run --config "$WORK/many.yml" "$@" >"$WORK/tool.out" 2>"$WORK/tool.err"
}

export -f config loop tool die
export WORK TOOL PARALLELISM XDG_CACHE_HOME
declare -A WALL RSS
measure() { # $1: label, then the command
  local label="$1"; shift
  sync
  local start end
  start=$(date +%s%N)
  # bash -c: the commands are shell functions; GNU time's peak RSS is that of the largest process waited for
  /usr/bin/time -f '%M' -o "$WORK/time.txt" bash -c '"$@"' bash "$@" || die "$label failed (see $WORK/tool.err)"
  end=$(date +%s%N)
  WALL[$label]+="$(( (end - start) / 1000000 )) "
  RSS[$label]+="$(tail -1 "$WORK/time.txt") "
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
max() { tr ' ' '\n' | grep -v '^$' | sort -n | tail -1; }

echo "Training the launcher's cache (one untimed run of 3 databases) ..." >&2
mkdir -p "$WORK/train"
for i in 1 2 3; do mkdir -p "$WORK/train/t$i"; cp "$template" "$WORK/train/t$i/data.db"; done
cat > "$WORK/train.yml" <<EOF
defaults:
  backup_root: $WORK/train-out
databases:
  - glob: $WORK/train/*/data.db
    name_from: parent_dir
EOF
"$TOOL" run --config "$WORK/train.yml" >/dev/null 2>"$WORK/train.err" || die "training run failed: $(cat "$WORK/train.err")"

echo "Measuring, $RUNS interleaved runs each ..." >&2
for r in $(seq 1 "$RUNS"); do
  measure loop loop "$WORK/out-loop"
  rm -rf "$WORK/out-loop"
  measure tool tool "$WORK/out-tool" --no-vacuum
  made=$(find "$WORK/out-tool" -name 'backup-*.db' | wc -l)
  [[ "$made" -eq "$COUNT" ]] || die "the tool made $made backups, expected $COUNT"
  rm -rf "$WORK/out-tool"
  echo "  run $r/$RUNS done" >&2
done
measure tool-vacuum tool "$WORK/out-tool"
rm -rf "$WORK/out-tool"

loop_ms=$(echo "${WALL[loop]}" | median)
tool_ms=$(echo "${WALL[tool]}" | median)
vac_ms=$(echo "${WALL[tool-vacuum]}" | median)
tool_rss=$(echo "${RSS[tool]} ${RSS[tool-vacuum]}" | max)
ratio=$(awk -v a="$tool_ms" -v b="$loop_ms" 'BEGIN {printf "%.2f", a / b}')
met() { if awk -v x="$1" -v y="$2" 'BEGIN {exit !(x <= y)}'; then echo yes; else echo "**no**"; fi; }

echo "## Results: $COUNT databases of $SIZE_MB MiB ($(( total_bytes / 1024 / 1024 )) MiB in all), warm page cache"
echo
echo "| measure | result | target | met |"
echo "|---|---:|---:|---|"
echo "| tool (\`run --no-vacuum\`, one glob) / sqlite3 loop (\`.backup\` + \`quick_check\` per database) | $ratio ($(awk -v t="$tool_ms" 'BEGIN {printf "%.2f", t/1000}') s / $(awk -v t="$loop_ms" 'BEGIN {printf "%.2f", t/1000}') s) | <= 0.5 | $(met "$ratio" 0.5) |"
echo "| peak RSS of the tool | $(( tool_rss / 1024 )) MiB | <= 256 MiB | $(met "$(( tool_rss / 1024 ))" 256) |"
echo "| per-database time: tool / loop | $(awk -v t="$tool_ms" -v n="$COUNT" 'BEGIN {printf "%.1f", t/n}') ms / $(awk -v t="$loop_ms" -v n="$COUNT" 'BEGIN {printf "%.1f", t/n}') ms | | |"
echo "| tool with VACUUM INTO (\`run\`, one run) | $(awk -v t="$vac_ms" 'BEGIN {printf "%.2f", t/1000}') s, $(awk -v t="$vac_ms" -v n="$COUNT" 'BEGIN {printf "%.1f", t/n}') ms per database | | |"
echo
echo "Raw runs (wall ms): loop ${WALL[loop]}; tool ${WALL[tool]}; tool-vacuum ${WALL[tool-vacuum]}"
echo "Peak RSS (KiB): tool ${RSS[tool]}; tool-vacuum ${RSS[tool-vacuum]}; loop (largest sqlite3) ${RSS[loop]}"
echo "parallelism: ${PARALLELISM:-unset (cores: $(nproc))}; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Tool's last lines: $(tail -2 "$WORK/tool.out" | tr '\n' ' ')"
if [[ $KEEP -eq 1 ]]; then echo "Kept work folder: $WORK"; fi
