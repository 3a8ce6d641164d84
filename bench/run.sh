#!/usr/bin/env bash
# bench/run.sh: how fast is `axc vet`, against the real `cue vet -c`?
#
# It builds axc and the cue CLI at go.mod's version, generates three author
# repositories (1, 100 and 1000 valid hosts, 10 hosts a file, the schema
# vendored under cue.mod/pkg), and in each one times `axc vet hosts` and
# `cue vet -c ./hosts`: median wall time, highest peak RSS and median CPU
# time (user + system) over several runs, after one untimed run that also
# checks that the set is valid. It also times the cases users feel: the
# same 1000 hosts as 1000 JSON files, `axc vet` of one file (10 hosts) of
# the 1000-host package, a one-file commit of it as the pre-commit hook
# checks it (`axc vet --staged FILE` in a git work tree), one JSON host,
# and `axc --version` as the floor; and axc lsp driven by bench/lspbench
# (open and change latency of the one-host file and of the 10-host file,
# memory after 100 and 1000 changes), beside `axc vet` of the same file,
# beside bench/cuefloor on the same hosts: what CUE alone costs (parse the
# schema and the hosts, evaluate, validate), which no CUE-based vet can go
# below.
# Then it prints tables and PASS/MISS against the performance targets. Wall time is what the targets are about; CPU time
# is there to tell a slow program from a busy machine (see the load average
# printed with the results).
#
# Run from anywhere, in one command:
#
#	bash bench/run.sh            # vet only
#	bash bench/run.sh --build    # also time `axc build` on 1000 hosts
#	bash bench/run.sh --fleet    # also 10,000 hosts, and fleets that all fail
#
# axc rows are cold (AXC_CACHE_DIR=off) except those that say "warm": vet
# with its cache of what it found of each host, after a first run.
#
# Environment: RUNS (timed runs per size, default 5), RUNS_1000 (for 1000
# hosts, default 3), PAIRS_10000 (--fleet: runs of 10,000 hosts, each
# beside one of 1000, default 3), BENCH_KEEP=1 keeps the temporary
# directory.
#
# A MISS does not fail the script (it measures, it does not gate); a failing
# command or an invalid generated set does (exit 1).
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "bench: $*" >&2; exit 1; }

build=0 fleet=0
for arg in "$@"; do
	case $arg in
	--build) build=1 ;;
	--fleet) fleet=1 build=1 ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument $arg (want --build or --fleet)" ;;
	esac
done

RUNS=${RUNS:-5}
RUNS_1000=${RUNS_1000:-3}
PAIRS_10000=${PAIRS_10000:-3}
SIZES=(1 100 1000)

cd "$(dirname "${BASH_SOURCE[0]}")/.." # the repository root
[[ -f go.mod && -d schema && -d cmd/axc ]] || die "not in the axc repository"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/axc-bench.XXXXXX")
if [[ ${BENCH_KEEP:-} == 1 ]]; then
	echo "keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi

echo "building axc, cue, cuefloor and peakrss..."
go build -o "$tmp/axc" ./cmd/axc
go build -o "$tmp/cue" cuelang.org/go/cmd/cue # go.mod's version of cuelang.org/go
go build -o "$tmp/peakrss" ./bench/peakrss
go build -o "$tmp/genhosts" ./bench/genhosts
go build -o "$tmp/cuefloor" ./bench/cuefloor
go build -o "$tmp/lspbench" ./bench/lspbench
axc=$tmp/axc cue=$tmp/cue peakrss=$tmp/peakrss genhosts=$tmp/genhosts cuefloor=$tmp/cuefloor lspbench=$tmp/lspbench
# Every axc row is a cold run: vet's cache of what it found of each host
# is off, but for the rows that say "warm", which give it a directory of
# their own (the untimed run fills it, the timed ones take every host from
# it, as a second vet of an unchanged fleet does).
export AXC_CACHE_DIR=off

# --- generating the author repositories --------------------------------------

# gen DIR N [migrated]: an author repository with N hosts, 10 a file;
# with migrated, the same hosts migrated to v2026.05.01 and its schema
# vendored (vetted with --axios v2026.05.01, as the failing fleet is).
gen() {
	local dir=$1 n=$2 release=96990f9 flags=()
	if [[ ${3:-} == migrated ]]; then release=v2026.05.01 flags=(-migrated); fi
	mkdir -p "$dir/cue.mod/pkg/axc.dev/axc/schema" "$dir/hosts"
	cp "schema/releases/$release"/*.cue "$dir/cue.mod/pkg/axc.dev/axc/schema/" # the release the hosts are written for
	printf 'module: "example.com/flake@v0"\nlanguage: version: "v0.17.0"\n' >"$dir/cue.mod/module.cue"
	cp testdata/fleet-2025.11/flake.lock "$dir/flake.lock" # pins axios 96990f9
	"$genhosts" "${flags[@]}" -n "$n" "$dir/hosts" # the same hosts as the Go benchmarks'
	local got
	got=$(cat "$dir"/hosts/hosts_*.cue | grep -c '^"[a-z]*-[0-9]*": {$' || true)
	((got == n)) || die "generated $got hosts in $dir, want $n"
}

echo "generating ${SIZES[*]} hosts..."
for n in "${SIZES[@]}"; do gen "$tmp/repo-$n" "$n"; done
# The same 1000 hosts as a JSON fleet: one file each, as an inventory
# exports them.
mkdir -p "$tmp/json-1000/hosts" "$tmp/json-1/hosts"
"$genhosts" -json -n 1000 "$tmp/json-1000/hosts"
"$genhosts" -json -n 1 "$tmp/json-1/hosts"
cp testdata/fleet-2025.11/flake.lock "$tmp/json-1000/flake.lock"
cp testdata/fleet-2025.11/flake.lock "$tmp/json-1/flake.lock"

# --- measuring ----------------------------------------------------------------

# run DIR CMD...: run CMD once in DIR under peakrss; its output goes to
# $tmp/out, "WALL_MS PEAK_KIB CPU_MS" to $tmp/m; returns CMD's exit code.
run() {
	local dir=$1
	shift
	(cd "$dir" && "$peakrss" -o "$tmp/m" -- "$@") >"$tmp/out" 2>&1
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# measure RUNS DIR CMD...: one untimed run, which must succeed, then RUNS timed
# ones. Sets ms (median wall time), mib (highest peak RSS) and cpu (median
# CPU time).
measure() {
	local runs=$1 dir=$2 r walls=() cpus=() kib=0 k w c
	shift 2
	if ! run "$dir" "$@"; then
		cat "$tmp/out" >&2
		die "failed in $dir: $*"
	fi
	for ((r = 0; r < runs; r++)); do
		if ! run "$dir" "$@"; then
			cat "$tmp/out" >&2
			die "failed in $dir: $*"
		fi
		read -r w k c <"$tmp/m"
		walls+=("$w") cpus+=("$c")
		if ((k > kib)); then kib=$k; fi
	done
	ms=$(median "${walls[@]}") cpu=$(median "${cpus[@]}")
	mib=$(awk -v k="$kib" 'BEGIN {printf "%.1f", k / 1024}')
}

declare -A axc_ms axc_mib axc_cpu cue_ms cue_mib cue_cpu
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
for n in "${SIZES[@]}"; do
	dir=$tmp/repo-$n runs=$RUNS
	if ((n >= 1000)); then runs=$RUNS_1000; fi
	echo "timing $n hosts ($runs runs each)..."
	# Validity first, with a clear message: every generated host must pass.
	if ! run "$dir" "$axc" vet hosts; then
		head -n 40 "$tmp/out" >&2
		die "the generated set of $n hosts is not valid for axc vet (see above)"
	fi
	measure "$runs" "$dir" "$axc" vet hosts
	axc_ms[$n]=$ms axc_mib[$n]=$mib axc_cpu[$n]=$cpu
	measure "$runs" "$dir" "$cue" vet -c ./hosts
	cue_ms[$n]=$ms cue_mib[$n]=$mib cue_cpu[$n]=$cpu
done

echo "timing 1000 hosts, warm (vet's cache)..."
AXC_CACHE_DIR=$tmp/cache-valid measure "$RUNS_1000" "$tmp/repo-1000" "$axc" vet hosts
warm_ms=$ms warm_cpu=$cpu warm_mib=$mib

# Where users feel it: a JSON fleet, one file of a large package (what
# pre-commit and editors pass), one JSON host, and axc --version, the floor
# (process start with CUE linked in).
echo "timing the JSON fleet, one file of 1000 hosts, one JSON host, axc --version, cuefloor..."
measure "$RUNS_1000" "$tmp/json-1000" "$axc" vet hosts
json_ms=$ms json_mib=$mib json_cpu=$cpu
measure "$RUNS" "$tmp/repo-1000" "$axc" vet hosts/hosts_050.cue
file_ms=$ms file_mib=$mib file_cpu=$cpu
# A one-file commit, as the axc-vet pre-commit hook checks it: the changed
# file passed, and axc vet --staged asking git for the rest (what the file
# declared in HEAD, deletions) in the 1000-host package as a git work tree.
(
	cd "$tmp/repo-1000"
	export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
	git init -q && git add -A && git commit -q -m hosts
	printf '\n// changed\n' >>hosts/hosts_050.cue
	git add hosts/hosts_050.cue
)
measure "$RUNS" "$tmp/repo-1000" "$axc" vet --staged hosts/hosts_050.cue
commit_ms=$ms commit_mib=$mib commit_cpu=$cpu
measure "$RUNS" "$tmp/json-1" "$axc" vet hosts
json1_ms=$ms json1_mib=$mib json1_cpu=$cpu
measure "$RUNS" "$tmp/repo-1" "$axc" --version
version_ms=$ms version_mib=$mib version_cpu=$cpu
# What CUE alone costs for the same hosts: the one host, and the one file's
# 10 hosts (with the package's pattern file, in one goroutine).
measure "$RUNS" "$tmp/repo-1" "$cuefloor" hosts/hosts.cue hosts/hosts_000.cue
floor1_ms=$ms floor1_mib=$mib floor1_cpu=$cpu
measure "$RUNS" "$tmp/repo-1000" "$cuefloor" hosts/hosts.cue hosts/hosts_050.cue
floorfile_ms=$ms floorfile_mib=$mib floorfile_cpu=$cpu

# The language server, driven by bench/lspbench as an editor would: first
# diagnostics after opening the file, a change to its diagnostics (median
# and 90th percentile of 30, after 5 untimed; each change a number in one
# host, -change value: the server keeps what it found of the hosts that
# did not change, and evaluates the one that did), and for the one-host
# file the server's memory after 100 and after 1000 changes.
echo "timing axc lsp (bench/lspbench): one-host file, and one file (10 hosts) of 1000 hosts..."
lsp1=$(cd "$tmp/repo-1" && "$lspbench" -axc "$axc" -edits 30 -change value -mem hosts/hosts_000.cue)
lspfile=$(cd "$tmp/repo-1000" && "$lspbench" -axc "$axc" -edits 30 -change value hosts/hosts_050.cue)
kv() { printf '%s\n' "$1" | awk -F= -v k="$2" '$1 == k {print $2}'; }

# --- report ---------------------------------------------------------------------

# ratio A B: A/B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
# verdict OK: PASS if OK (an awk condition) holds.
verdict() { awk "BEGIN {print (($1) ? \"PASS\" : \"MISS\")}"; }

echo
echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown CPU)"
echo "$(go version); $("$cue" version | head -n 1); axc at $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN {exit !(l + 0 > n)}'; then
	echo "WARNING: the machine was busy (load average above $(nproc) CPUs): wall times are inflated; compare cpu ms"
fi
echo "wall, cpu: median of $RUNS runs ($RUNS_1000 for 1000 hosts); peak: highest RSS of those runs"
echo
row='%6s  %11s  %12s  %11s  %12s  %7s  %11s  %11s\n'
# shellcheck disable=SC2059
printf "$row" hosts "axc wall ms" "axc peak MiB" "cue wall ms" "cue peak MiB" axc/cue "axc cpu ms" "cue cpu ms"
for n in "${SIZES[@]}"; do
	# shellcheck disable=SC2059
	printf "$row" "$n" "${axc_ms[$n]}" "${axc_mib[$n]}" "${cue_ms[$n]}" "${cue_mib[$n]}" \
		"$(ratio "${axc_ms[$n]}" "${cue_ms[$n]}")" "${axc_cpu[$n]}" "${cue_cpu[$n]}"
done
scale=$(ratio "${axc_ms[1000]}" "${axc_ms[100]}")
echo
echo "scaling: axc(1000)/axc(100) = ${scale}x  (cue: $(ratio "${cue_ms[1000]}" "${cue_ms[100]}")x)"
echo
echo "targets:"
printf '  %-4s  1 host ≤ 50 ms                (%s ms)\n' "$(verdict "${axc_ms[1]} <= 50")" "${axc_ms[1]}"
printf '  %-4s  1000 hosts ≤ 2 s              (%s ms)\n' "$(verdict "${axc_ms[1000]} <= 2000")" "${axc_ms[1000]}"
printf '  %-4s  1000 hosts ≤ 300 MiB          (%s MiB)\n' "$(verdict "${axc_mib[1000]} <= 300")" "${axc_mib[1000]}"
for n in "${SIZES[@]}"; do
	printf '  %-4s  axc no slower than cue, %-4d  (%sx)\n' "$(verdict "${axc_ms[$n]} <= ${cue_ms[$n]}")" "$n" \
		"$(ratio "${axc_ms[$n]}" "${cue_ms[$n]}")"
done
printf '  %-4s  1000 hosts ≤ 11× 100 hosts    (%sx)\n' "$(verdict "$scale <= 11")" "$scale"

echo
row2='%-34s  %8s  %8s  %8s  %s\n'
# shellcheck disable=SC2059
printf "$row2" case "wall ms" "cpu ms" "peak MiB" ratio
# shellcheck disable=SC2059
printf "$row2" "axc --version (floor)" "$version_ms" "$version_cpu" "$version_mib" ""
# shellcheck disable=SC2059
printf "$row2" "1000 hosts, CUE package" "${axc_ms[1000]}" "${axc_cpu[1000]}" "${axc_mib[1000]}" ""
# shellcheck disable=SC2059
printf "$row2" "1000 hosts, CUE package, warm" "$warm_ms" "$warm_cpu" "$warm_mib" "$(ratio "$warm_ms" "${axc_ms[1000]}")x cold, $(ratio "$warm_ms" "${cue_ms[1000]}")x cue vet -c"
# shellcheck disable=SC2059
printf "$row2" "1000 hosts, 1000 JSON files" "$json_ms" "$json_cpu" "$json_mib" "$(ratio "$json_ms" "${axc_ms[1000]}")x the CUE package"
# shellcheck disable=SC2059
printf "$row2" "1 file (10 hosts) of 1000 hosts" "$file_ms" "$file_cpu" "$file_mib" "$(ratio "$file_ms" "${axc_ms[1000]}")x the package, $(ratio "$file_ms" "$version_ms")x --version"
# shellcheck disable=SC2059
printf "$row2" "one-file commit (vet --staged)" "$commit_ms" "$commit_cpu" "$commit_mib" "$(ratio "$commit_ms" "${axc_ms[1000]}")x the package"
# shellcheck disable=SC2059
printf "$row2" "1 host, CUE" "${axc_ms[1]}" "${axc_cpu[1]}" "${axc_mib[1]}" "$(ratio "${axc_ms[1]}" "$version_ms")x --version"
# shellcheck disable=SC2059
printf "$row2" "1 host, JSON" "$json1_ms" "$json1_cpu" "$json1_mib" "$(ratio "$json1_ms" "$version_ms")x --version"
# shellcheck disable=SC2059
printf "$row2" "CUE alone, 1 host (cuefloor)" "$floor1_ms" "$floor1_cpu" "$floor1_mib" "$(ratio "$floor1_ms" "$version_ms")x --version"
# shellcheck disable=SC2059
printf "$row2" "CUE alone, the file's 10 hosts" "$floorfile_ms" "$floorfile_cpu" "$floorfile_mib" "$(ratio "$floorfile_ms" "$version_ms")x --version, one core"
echo
printf '  %-4s  JSON fleet ≤ 1.3× CUE package           (%sx)\n' "$(verdict "$json_ms <= 1.3 * ${axc_ms[1000]}")" "$(ratio "$json_ms" "${axc_ms[1000]}")"
printf '  %-4s  one file ≤ 10%% of the package         (%sx)\n' "$(verdict "$file_ms <= 0.1 * ${axc_ms[1000]}")" "$(ratio "$file_ms" "${axc_ms[1000]}")"
printf '  %-4s  one-file commit ≤ 10%% of the package  (%sx)\n' "$(verdict "$commit_ms <= 0.1 * ${axc_ms[1000]}")" "$(ratio "$commit_ms" "${axc_ms[1000]}")"
printf '  %-4s  one file ≤ 2× axc --version           (%sx)\n' "$(verdict "$file_ms <= 2 * $version_ms")" "$(ratio "$file_ms" "$version_ms")"
printf '  %-4s  1 host (CUE) ≤ 1.3× axc --version     (%sx)\n' "$(verdict "${axc_ms[1]} <= 1.3 * $version_ms")" "$(ratio "${axc_ms[1]}" "$version_ms")"
printf '  %-4s  1 host (JSON) ≤ 1.3× axc --version    (%sx)\n' "$(verdict "$json1_ms <= 1.3 * $version_ms")" "$(ratio "$json1_ms" "$version_ms")"
printf '  %-4s  1 host (CUE) ≤ 1.2× cuefloor         (%sx)\n' "$(verdict "${axc_ms[1]} <= 1.2 * $floor1_ms")" "$(ratio "${axc_ms[1]}" "$floor1_ms")"

echo
echo "axc lsp (client side: includes the pipes), beside axc vet of the same file:"
row3='%-44s  %8s  %8s  %s\n'
# shellcheck disable=SC2059
printf "$row3" case "lsp ms" "vet ms" ratio
# shellcheck disable=SC2059
printf "$row3" "1-host file: open -> first diagnostics" "$(kv "$lsp1" open_ms)" "${axc_ms[1]}" "$(ratio "$(kv "$lsp1" open_ms)" "${axc_ms[1]}")x vet"
# shellcheck disable=SC2059
printf "$row3" "1-host file: change -> diagnostics (p90)" "$(kv "$lsp1" change_ms) ($(kv "$lsp1" change_p90_ms))" "${axc_ms[1]}" "$(ratio "$(kv "$lsp1" change_ms)" "${axc_ms[1]}")x vet"
printf "$row3" "  of which in the server (p90)" "$(kv "$lsp1" server_change_ms) ($(kv "$lsp1" server_change_p90_ms))" "" ""
# shellcheck disable=SC2059
printf "$row3" "10 hosts of 1000: open -> first diagnostics" "$(kv "$lspfile" open_ms)" "$file_ms" "$(ratio "$(kv "$lspfile" open_ms)" "$file_ms")x vet"
# shellcheck disable=SC2059
printf "$row3" "10 hosts of 1000: change -> diagnostics (p90)" "$(kv "$lspfile" change_ms) ($(kv "$lspfile" change_p90_ms))" "$file_ms" "$(ratio "$(kv "$lspfile" change_ms)" "$file_ms")x vet"
printf "$row3" "  of which in the server (p90)" "$(kv "$lspfile" server_change_ms) ($(kv "$lspfile" server_change_p90_ms))" "" ""
echo "  server memory (1-host file): $(kv "$lsp1" rss100_mib) MiB after 100 changes, $(kv "$lsp1" rss1000_mib) MiB after 1000"
printf '  %-4s  lsp change, 1 host ≤ 10 ms (server)           (%s ms)\n' "$(verdict "$(kv "$lsp1" server_change_ms) <= 10")" "$(kv "$lsp1" server_change_ms)"
printf '  %-4s  lsp change, 10 hosts of 1000 ≤ 10 ms (server) (%s ms)\n' "$(verdict "$(kv "$lspfile" server_change_ms) <= 10")" "$(kv "$lspfile" server_change_ms)"
printf '  %-4s  lsp open, 10 hosts of 1000 ≤ 300 ms  (%s ms)\n' "$(verdict "$(kv "$lspfile" open_ms) <= 300")" "$(kv "$lspfile" open_ms)"
printf '  %-4s  lsp memory, 1000 changes ≤ 1.2× 100  (%sx)\n' "$(verdict "$(kv "$lsp1" rss1000_mib) <= 1.2 * $(kv "$lsp1" rss100_mib)")" "$(ratio "$(kv "$lsp1" rss1000_mib)" "$(kv "$lsp1" rss100_mib)")"
# Whether a target is within reach of any CUE-based vet on this machine,
# by CPU time: a busy machine stretches wall time (of --version too, which
# can hide the floor), not CPU time.
if awk -v f="$floor1_cpu" -v v="$version_cpu" 'BEGIN {exit !(f > 1.3 * v)}'; then
	echo "  note  CUE alone takes $(ratio "$floor1_cpu" "$version_cpu")x the CPU time of --version for one host: above the 1.3x target on this machine"
fi
if awk -v f="$floorfile_cpu" -v v="$version_cpu" 'BEGIN {exit !(f > 2 * v)}'; then
	echo "  note  CUE alone takes $(ratio "$floorfile_cpu" "$version_cpu")x the CPU time of --version for the file's hosts: above the 2x target on this machine"
fi

# --- axc build (optional) -------------------------------------------------------

if ((build)); then
	echo
	dir=$tmp/repo-1000
	if ! run "$dir" "$axc" build hosts -o "$tmp/nix-out"; then
		if grep -qiE 'not implemented|unknown command|unknown flag' "$tmp/out"; then
			echo "axc build: not available ($(head -n 1 "$tmp/out"))"
			exit 0
		fi
		cat "$tmp/out" >&2
		die "axc build failed on 1000 hosts"
	fi
	measure "$RUNS_1000" "$dir" "$axc" build hosts -o "$tmp/nix-out"
	echo "axc build, 1000 hosts: $ms ms wall, $cpu ms cpu (median of $RUNS_1000), $mib MiB peak"
fi

# --- fleets (optional): 10,000 hosts, and fleets where every host fails -------
#
# The hosts are written for axios 96990f9 (their lock pins it); with the
# newest release's schema vendored (axc init --upgrade) and checked with
# --axios v2026.05.01, past the cairn rename, every host has several
# findings, as during a release migration, when users vet everything at once.
# The same hosts migrated (every finding mended: genhosts -migrated) are the
# fleet after it: valid for v2026.05.01, they tell what the newer release
# costs from what failing costs.

# failing DIR: DIR's hosts as they are, with v2026.05.01's schema vendored
# in place of theirs.
failing() {
	cp -r "$1" "$1-fail"
	rm -f "$1-fail"/cue.mod/pkg/axc.dev/axc/schema/*.cue
	cp schema/releases/v2026.05.01/*.cue "$1-fail/cue.mod/pkg/axc.dev/axc/schema/"
}

# measure_failing RUNS DIR CMD...: measure, for a command that must exit 1
# (findings): one untimed run, then RUNS timed ones.
measure_failing() {
	local runs=$1 dir=$2 r walls=() cpus=() kib=0 k w c rc
	shift 2
	for ((r = 0; r <= runs; r++)); do
		rc=0
		run "$dir" "$@" || rc=$?
		if ((rc != 1)); then
			head -n 20 "$tmp/out" >&2
			die "exit $rc, want 1 (findings), in $dir: $*"
		fi
		((r == 0)) && continue
		read -r w k c <"$tmp/m"
		walls+=("$w") cpus+=("$c")
		if ((k > kib)); then kib=$k; fi
	done
	ms=$(median "${walls[@]}") cpu=$(median "${cpus[@]}")
	mib=$(awk -v k="$kib" 'BEGIN {printf "%.1f", k / 1024}')
}

# measure_pairs RC PAIRS SMALL LARGE CMD...: CMD in SMALL, then in LARGE,
# PAIRS times after one untimed run of each; every run must exit RC. A
# ratio of two medians taken minutes apart swings with the load of this
# machine's neighbours (1000 hosts: 0.93 to 1.8 s within an hour); runs
# side by side see the same load. Sets small_ms and large_ms (median wall
# times), large_cpu (median CPU time), large_mib (highest peak RSS) and
# pair_ratio (the median of the pairs' LARGE/SMALL).
measure_pairs() {
	local want=$1 pairs=$2 small=$3 large=$4 r rc d w k c smalls=() larges=() cpus=() ratios=() kib=0
	shift 4
	for ((r = 0; r <= pairs; r++)); do
		for d in "$small" "$large"; do
			rc=0
			run "$d" "$@" || rc=$?
			if ((rc != want)); then
				head -n 20 "$tmp/out" >&2
				die "exit $rc, want $want, in $d: $*"
			fi
			((r == 0)) && continue
			read -r w k c <"$tmp/m"
			if [[ $d == "$small" ]]; then
				smalls+=("$w")
				continue
			fi
			larges+=("$w") cpus+=("$c")
			ratios+=("$(ratio "$w" "${smalls[-1]}")")
			if ((k > kib)); then kib=$k; fi
		done
	done
	small_ms=$(median "${smalls[@]}") large_ms=$(median "${larges[@]}") large_cpu=$(median "${cpus[@]}")
	pair_ratio=$(median "${ratios[@]}")
	large_mib=$(awk -v k="$kib" 'BEGIN {printf "%.1f", k / 1024}')
}

if ((fleet)); then
	echo
	echo "generating 10000 hosts..."
	gen "$tmp/repo-10000" 10000
	failing "$tmp/repo-1000"
	failing "$tmp/repo-10000"
	gen "$tmp/repo-1000-migrated" 1000 migrated
	measure_pairs 0 "$PAIRS_10000" "$tmp/repo-1000" "$tmp/repo-10000" "$axc" vet hosts
	v10k_ms=$large_ms v10k_cpu=$large_cpu v10k_mib=$large_mib v10k_ratio=$pair_ratio
	measure "$RUNS_1000" "$tmp/repo-1000-migrated" "$axc" vet --axios v2026.05.01 hosts
	m1k_ms=$ms m1k_cpu=$cpu m1k_mib=$mib
	measure_failing "$RUNS_1000" "$tmp/repo-1000-fail" "$axc" vet --axios v2026.05.01 hosts
	f1k_ms=$ms f1k_cpu=$cpu f1k_mib=$mib
	AXC_CACHE_DIR=$tmp/cache-fail measure_failing "$RUNS_1000" "$tmp/repo-1000-fail" "$axc" vet --axios v2026.05.01 hosts
	wf1k_ms=$ms wf1k_cpu=$cpu wf1k_mib=$mib
	measure_pairs 1 "$PAIRS_10000" "$tmp/repo-1000-fail" "$tmp/repo-10000-fail" "$axc" vet --axios v2026.05.01 hosts
	f10k_ms=$large_ms f10k_cpu=$large_cpu f10k_mib=$large_mib f10k_ratio=$pair_ratio
	# 1000 before 10,000: a build's fsyncs wait behind the pages another
	# build left to write back (1000 hosts right after 10,000: 1.44x vet).
	measure "$RUNS_1000" "$tmp/repo-1000" "$axc" build hosts -o "$tmp/nix-out-1000"
	b1k_ms=$ms
	measure 1 "$tmp/repo-10000" "$axc" build hosts -o "$tmp/nix-out-10000"
	b10k_ms=$ms b10k_cpu=$cpu b10k_mib=$mib
	echo
	echo "fleets (1000: median of $RUNS_1000; 10,000: median of $PAIRS_10000, each run beside one of 1000, and its ratio the median of those pairs'; build 10,000: one run):"
	# shellcheck disable=SC2059
	printf "$row2" case "wall ms" "cpu ms" "peak MiB" ratio
	# shellcheck disable=SC2059
	printf "$row2" "1000 valid hosts" "${axc_ms[1000]}" "${axc_cpu[1000]}" "${axc_mib[1000]}" "$(ratio "${axc_ms[1000]}" "${cue_ms[1000]}")x cue vet -c (cpu $(ratio "${axc_cpu[1000]}" "${cue_cpu[1000]}")x)"
	# shellcheck disable=SC2059
	printf "$row2" "1000 valid hosts, warm" "$warm_ms" "$warm_cpu" "$warm_mib" "$(ratio "$warm_ms" "${cue_ms[1000]}")x cue vet -c (cpu $(ratio "$warm_cpu" "${cue_cpu[1000]}")x)"
	# shellcheck disable=SC2059
	printf "$row2" "10,000 valid hosts" "$v10k_ms" "$v10k_cpu" "$v10k_mib" "${v10k_ratio}x 1000, side by side"
	# shellcheck disable=SC2059
	printf "$row2" "1000 migrated hosts" "$m1k_ms" "$m1k_cpu" "$m1k_mib" "$(ratio "$m1k_ms" "${axc_ms[1000]}")x 1000 valid"
	# shellcheck disable=SC2059
	printf "$row2" "1000 failing hosts" "$f1k_ms" "$f1k_cpu" "$f1k_mib" "$(ratio "$f1k_ms" "${axc_ms[1000]}")x 1000 valid, $(ratio "$f1k_ms" "$m1k_ms")x migrated"
	# shellcheck disable=SC2059
	printf "$row2" "1000 failing hosts, warm" "$wf1k_ms" "$wf1k_cpu" "$wf1k_mib" "$(ratio "$wf1k_ms" "$warm_ms")x 1000 valid, warm"
	# shellcheck disable=SC2059
	printf "$row2" "10,000 failing hosts" "$f10k_ms" "$f10k_cpu" "$f10k_mib" "${f10k_ratio}x 1000 failing, side by side"
	# shellcheck disable=SC2059
	printf "$row2" "axc build, 1000 hosts" "$b1k_ms" "" "" "$(ratio "$b1k_ms" "${axc_ms[1000]}")x vet"
	# shellcheck disable=SC2059
	printf "$row2" "axc build, 10,000 hosts" "$b10k_ms" "$b10k_cpu" "$b10k_mib" "$(ratio "$b10k_ms" "$v10k_ms")x vet"
	echo
	printf '  %-4s  1000 valid ≤ 0.30× cue vet -c wall, cold  (%sx)\n' "$(verdict "${axc_ms[1000]} <= 0.3 * ${cue_ms[1000]}")" "$(ratio "${axc_ms[1000]}" "${cue_ms[1000]}")"
	printf '  %-4s  1000 valid ≤ 0.45× cue vet -c cpu, cold   (%sx)\n' "$(verdict "${axc_cpu[1000]} <= 0.45 * ${cue_cpu[1000]}")" "$(ratio "${axc_cpu[1000]}" "${cue_cpu[1000]}")"
	printf '  %-4s  1000 valid ≤ 0.30× cue vet -c wall, warm  (%sx)\n' "$(verdict "$warm_ms <= 0.3 * ${cue_ms[1000]}")" "$(ratio "$warm_ms" "${cue_ms[1000]}")"
	printf '  %-4s  1000 valid ≤ 0.45× cue vet -c cpu, warm   (%sx)\n' "$(verdict "$warm_cpu <= 0.45 * ${cue_cpu[1000]}")" "$(ratio "$warm_cpu" "${cue_cpu[1000]}")"
	printf '  %-4s  10,000 valid ≤ 11× 1000               (%sx)\n' "$(verdict "$v10k_ratio <= 11")" "$v10k_ratio"
	printf '  %-4s  10,000 failing ≤ 11× 1000 failing     (%sx)\n' "$(verdict "$f10k_ratio <= 11")" "$f10k_ratio"
	printf '  %-4s  10,000 valid ≤ 1 GiB                  (%s MiB)\n' "$(verdict "$v10k_mib <= 1024")" "$v10k_mib"
	printf '  %-4s  10,000 failing ≤ 1 GiB                (%s MiB)\n' "$(verdict "$f10k_mib <= 1024")" "$f10k_mib"
	printf '  %-4s  1000 failing ≤ 1.5× 1000 valid, cold      (%sx)\n' "$(verdict "$f1k_ms <= 1.5 * ${axc_ms[1000]}")" "$(ratio "$f1k_ms" "${axc_ms[1000]}")"
	printf '  %-4s  1000 failing ≤ 1.5× 1000 valid, warm      (%sx)\n' "$(verdict "$wf1k_ms <= 1.5 * $warm_ms")" "$(ratio "$wf1k_ms" "$warm_ms")"
	# Not a target: the failing fleet against the same hosts valid for the
	# same release, what failing itself costs; the migrated fleet against
	# the valid one is what the release costs (BenchmarkLeanFloor gives
	# CUE's share of it).
	printf '  info  1000 failing = %sx 1000 migrated (same release); 1000 migrated = %sx 1000 valid (the release)\n' "$(ratio "$f1k_ms" "$m1k_ms")" "$(ratio "$m1k_ms" "${axc_ms[1000]}")"
	printf '  %-4s  build 1000 ≤ 1.1× vet 1000            (%sx)\n' "$(verdict "$b1k_ms <= 1.1 * ${axc_ms[1000]}")" "$(ratio "$b1k_ms" "${axc_ms[1000]}")"
fi
