#!/usr/bin/env bash
# axc vet --nix: time per source (Nix's first run, then from the cache) and
# per host, on generated repositories of N hosts judged by a synthetic
# axios-like source (testdata/nixsrc) in the Nix store. Needs Go and Nix.
# From the repository root:
#
#     bash bench/nixvet.sh            # 1, 10, 100 hosts
#     NS="1 100 1000" bash bench/nixvet.sh
#
# Columns (median of RUNS runs, default 3; milliseconds):
#   plain    axc vet (no Nix)
#   first    axc vet --nix, empty cache: Nix judges every host (two chains
#            of nix-instantiate runs, one a core; every host accepted)
#   cached   axc vet --nix again: every verdict from the cache, no Nix
#   per-host (first - plain) / hosts
#   uncatch  axc vet --nix, empty cache, the types source, one host in ten
#            failing with an error tryEval could not catch (each failing
#            host ends a run; the next starts after it)
# Nothing is asserted: the numbers are for the README and the issue.
set -euo pipefail
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RUNS=${RUNS:-3}
NS=${NS:-"1 10 100"}
go build -o "$tmp/axc" ./cmd/axc

# lock SRC: add SRC to the store as Nix fetches it, print a flake.lock
# pinning it.
lock() {
	cp -r "$1" "$tmp/source" && nix-store --add-fixed --recursive sha256 "$tmp/source" >/dev/null && rm -rf "$tmp/source"
	local h
	h=$(nix --extra-experimental-features nix-command hash path "$1")
	printf '{"nodes":{"axios":{"locked":{"type":"github","owner":"kcalvelli","repo":"axios","rev":"96990f9dadc30a94ca18f26f901cfef98550de07","lastModified":1764181876,"narHash":"%s"}},"root":{"inputs":{"axios":"axios"}}},"root":"root","version":7}\n' "$h"
}

# repo DIR N CPU: N hosts, one in ten with cpu CPU, the others amd.
repo() {
	mkdir -p "$1/hosts"
	{
		echo 'package hosts'
		echo '[string]: {hardware: _, extraConfig: {axios: system: timeZone: "UTC", fileSystems: "/": device: "/dev/sda1"}}'
		for i in $(seq 1 "$2"); do
			cpu=amd
			[ $((i % 10)) = 0 ] && cpu=$3
			echo "h$i: hardware: cpu: \"$cpu\""
		done
	} >"$1/hosts/hosts.cue"
}

ms() { # median wall ms of RUNS runs of "$@" (exit 0 or 1), each after SETUP
	local ts=()
	for _ in $(seq 1 "$RUNS"); do
		eval "${SETUP:-true}"
		local a b
		a=$(date +%s%N)
		"$@" >/dev/null 2>&1 || [ $? = 1 ]
		b=$(date +%s%N)
		ts+=($(((b - a) / 1000000)))
	done
	printf '%s\n' "${ts[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

printf '%-6s %8s %8s %8s %9s %8s\n' hosts plain first cached per-host uncatch
for n in $NS; do
	d=$tmp/r$n u=$tmp/u$n
	repo "$d" "$n" amd
	lock "$root/testdata/nixsrc/assert" >"$d/flake.lock"
	repo "$u" "$n" intel
	lock "$root/testdata/nixsrc/types" >"$u/flake.lock"
	export XDG_CACHE_HOME=$tmp/cache
	cd "$d"
	plain=$(ms "$tmp/axc" vet)
	first=$(SETUP='rm -rf $XDG_CACHE_HOME' ms "$tmp/axc" vet --nix)
	cached=$(ms "$tmp/axc" vet --nix)
	cd "$u"
	uncatch=$(SETUP='rm -rf $XDG_CACHE_HOME' ms "$tmp/axc" vet --nix)
	cd "$root"
	printf '%-6s %8s %8s %8s %9.1f %8s\n' "$n" "$plain" "$first" "$cached" "$(echo "($first - $plain) / $n" | bc -l)" "$uncatch"
done
