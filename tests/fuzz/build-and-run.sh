#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the API fuzzers with clang and libFuzzer, and runs one of them for a fixed time.
# The project itself is built with gcc, so meson cannot compile these: tests/fuzz/meson.build
# calls this script for each step instead.
#
#   build-and-run.sh check CC
#       whether CC can build a libFuzzer target with ASan and UBSan (exit 0) or not
#   build-and-run.sh build CC PKG_CONFIG DEPFILE OBJDIR BUILD_ROOT API_DIR OUTPUT0 SOURCE...
#       compiles the SOURCEs (src/api/*.c and tests/fuzz/fuzz-*.c) and links one fuzzer per
#       fuzz-NAME.c next to OUTPUT0; writes a depfile for ninja
#   build-and-run.sh run FUZZER [LIBFUZZER_ARG...]
#       runs FUZZER for EXK_FUZZ_SECONDS (default 20) from its seed corpus, and fails on
#       any crash, leak, timeout or undefined behaviour it finds; new inputs go to
#       EXK_FUZZ_CORPUS if set, to a temporary folder otherwise
#   build-and-run.sh reproduce FUZZER INPUT...
#       runs FUZZER once on each INPUT in the same environment, with whole stack traces
#   build-and-run.sh skip REASON
#       tells meson that the test was skipped, and why
set -eu

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
workdir=""
pkg_modules="glib-2.0 gio-2.0 gobject-2.0 libsoup-3.0 json-glib-1.0"

# The same API level and log domain as the top-level meson.build gives gcc:
# meson passes them in EXK_PROJECT_CFLAGS, separated by spaces (none has one).
read -r -a project_cflags <<< "${EXK_PROJECT_CFLAGS:-}"
api_cflags=(
  -std=gnu11 -g -O1 -fno-omit-frame-pointer
  "${project_cflags[@]}"
  -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
)
# Undefined behaviour stops the run like a crash, so that libFuzzer saves the input.
sanitize_cflags=(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined)
sanitize_ldflags=(-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)

check () {
  local cc=$1 tmp status=0
  tmp=$(mktemp -d)
  printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);' \
    'int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) { return 0; }' \
    > "$tmp/check.c"
  "$cc" "${sanitize_ldflags[@]}" "$tmp/check.c" -o "$tmp/check" || status=$?
  rm -rf "$tmp"
  return $status
}

build () {
  local cc=$1 pkg_config=$2 depfile=$3 objdir=$4 build_root=$5 api_dir=$6 output0=$7
  shift 7
  local outdir pkg_cflags pkg_libs src obj targets=() api_objects=()

  outdir=$(dirname "$output0")
  read -r -a pkg_cflags <<< "$("$pkg_config" --cflags $pkg_modules)"
  read -r -a pkg_libs <<< "$("$pkg_config" --libs $pkg_modules)"
  mkdir -p "$objdir"
  rm -f "$objdir"/*.o "$objdir"/*.d "$objdir"/libexkeys-api-fuzz.a

  for src in "$@"; do
    obj="$objdir/$(basename "$src" .c).o"
    case "$(basename "$src")" in
      fuzz-*.c)
        # Only our own targets get -Werror: clang may warn about src/api where gcc does not,
        # and that must not stop the fuzzers from building.
        "$cc" -c "${api_cflags[@]}" -Werror "${sanitize_cflags[@]}" -I"$build_root" \
          -I"$api_dir" "${pkg_cflags[@]}" -MD -MF "$obj.d" "$src" -o "$obj"
        targets+=("$obj") ;;
      *.c)
        "$cc" -c "${api_cflags[@]}" "${sanitize_cflags[@]}" -I"$build_root" -I"$api_dir" \
          "${pkg_cflags[@]}" -MD -MF "$obj.d" "$src" -o "$obj"
        api_objects+=("$obj") ;;
    esac
  done

  # An archive, so that each fuzzer links only the parts of the API it calls.
  ar rcs "$objdir/libexkeys-api-fuzz.a" "${api_objects[@]}"

  for obj in "${targets[@]}"; do
    "$cc" "${sanitize_ldflags[@]}" "$obj" "$objdir/libexkeys-api-fuzz.a" "${pkg_libs[@]}" \
      -o "$outdir/$(basename "$obj" .o)"
  done

  # One rule for all the outputs: every header any source included.
  {
    printf '%s:' "$output0"
    sed -e 's/^[^:]*://' -e 's/\\$//' "$objdir"/*.d | tr '\n' ' '
    printf '\n'
  } > "$depfile"
}

set_environment () {
  # GLib 2.74 still has its slice allocator, which hides use-after-free from ASan.
  # Criticals and warnings from our code on any input are bugs, so they abort.
  export G_SLICE=always-malloc
  export G_DEBUG=fatal-warnings
  export LC_ALL=C.UTF-8
  export TZ=UTC
  # Leaks are checked after every input that allocated more than it freed. No suppression
  # is needed: GLib's and json-glib's one-time allocations stay reachable.
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export ASAN_OPTIONS="$ASAN_OPTIONS${EXK_FUZZ_ASAN_OPTIONS:+:$EXK_FUZZ_ASAN_OPTIONS}"
  unset LSAN_OPTIONS
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
}

# Distribution GLib has no frame pointers: the slow unwinder shows whole allocation stacks,
# at a tenth of the speed, which is fine for a few inputs.
reproduce () {
  local fuzzer=$1
  shift
  EXK_FUZZ_ASAN_OPTIONS=fast_unwind_on_malloc=0 set_environment
  exec "$fuzzer" "$@"
}

run () {
  local fuzzer=$1
  shift
  local name seconds outdir artifacts log corpus status=0 extra=()

  name=$(basename "$fuzzer")
  name=${name#fuzz-}
  seconds=${EXK_FUZZ_SECONDS:-20}
  outdir=$(cd "$(dirname "$fuzzer")" && pwd)
  artifacts="$outdir/artifacts/$name"
  log="$outdir/fuzz-$name.log"

  if [ ! -d "$fuzz_dir/corpus/$name" ]; then
    echo "No seed corpus in $fuzz_dir/corpus/$name" >&2
    exit 1
  fi

  # libFuzzer adds what it finds to its first corpus folder, and only reads the others:
  # EXK_FUZZ_CORPUS keeps the finds of a long run, a temporary folder the rest of the time.
  # The seeds in the source tree are only read.
  if [ -n "${EXK_FUZZ_CORPUS:-}" ]; then
    corpus=$EXK_FUZZ_CORPUS
    mkdir -p "$corpus"
  else
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/exk-fuzz-$name.XXXXXX")
    trap 'rm -rf "$workdir"' EXIT INT TERM
    corpus=$workdir
  fi
  mkdir -p "$artifacts"

  if [ -f "$fuzz_dir/$name.dict" ]; then
    extra+=("-dict=$fuzz_dir/$name.dict")
  fi

  set_environment
  echo "Fuzzing $name for $seconds s; crashing inputs go to $artifacts/"
  # The outer bound only matters if libFuzzer itself hangs; -timeout catches a slow input.
  timeout --kill-after=30 $((seconds + 300)) \
    "$fuzzer" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "${extra[@]}" "$@" \
      "$corpus" "$fuzz_dir/corpus/$name" > "$log" 2>&1 || status=$?

  # libFuzzer exits with 77 on a crash by default, which meson would count as a skip.
  if [ $status -ne 0 ]; then
    tail -n 200 "$log"
    echo "fuzz-$name FAILED (exit $status); the whole log is $log" >&2
    echo "Reproduce with: $0 reproduce $fuzzer $artifacts/<file>" >&2
    exit 1
  fi

  # The log is long; the start, the last status line and the totals say enough.
  grep -E '^INFO: (Seed|-max_len)|^#[0-9]+[[:space:]]+INITED' "$log" || true
  grep -E '^#[0-9]+' "$log" | tail -n 1
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
    "$log" || true
  echo "The whole log is $log"
}

mode=${1:-}
[ $# -gt 0 ] && shift
case "$mode" in
  check) check "$@" ;;
  build) build "$@" ;;
  run) run "$@" ;;
  reproduce) reproduce "$@" ;;
  skip) echo "SKIP: $*"; exit 77 ;;
  *) sed -n '3,18p' "$0" >&2; exit 2 ;;
esac
