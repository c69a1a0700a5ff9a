#!/bin/bash
# interrupt.sh [CELL]: show that an interrupted step leaves nothing behind
# and that a second run on the same cache is refused.
#  - A kernel build of CELL (default: the first cell of cells.toml that
#    builds in the testing root) is started in a scratch build directory and
#    stopped, once compiling inside the root, with SIGINT to its process
#    group (as Ctrl-C does) and then with SIGTERM to the script alone (as
#    kill does). After each, no process of the build may be left and no
#    mount under $CACHE may exist in any mount namespace.
#  - While this run holds the cache, a second script must refuse at once
#    and say which run holds it.
# Writes one row to $RESULTS.
. "$(dirname "$0")/../scripts/lib.sh"

cell=${1:-}
if [ -z "$cell" ]; then
	cells=$(cellpy cells) || exit 2
	for c in $cells; do
		resolve_cell "$c"
		[ -n "$RUNNER" ] && cell=$c && break
	done
fi
resolve_cell "${cell:?no cell of cells.toml builds in the testing root}"
[ -n "$RUNNER" ] || die "interrupt.sh: $CELL does not build in the testing root"
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
scratch=$CACHE/interrupt
log=$CELL_LOGS/interrupt.log
: >"$log"
problems=()

# scratch_pids [--in-root]: the processes of the scratch build (their
# command line or working directory names it; seen from here, the working
# directory of a process in the root reads $ROOTFS$scratch/...), or only
# those of them that run inside the testing root.
scratch_pids() {
	local p
	for p in /proc/[0-9]*; do
		{ tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q "$scratch/" ||
		  case $(readlink "$p/cwd" 2>/dev/null) in "$scratch"/*|"$ROOTFS$scratch"/*) true ;; *) false ;; esac; } ||
			continue
		[ "${1:-}" != --in-root ] || [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOTFS" ] ||
			continue
		echo "${p#/proc/}"
	done
	return 0
}

# However this script ends, no scratch build may outlive it (it would hold
# the cache's lock).
pid=
trap '[ -z "$pid" ] || kill -KILL -- "-$pid" $(scratch_pids) 2>/dev/null || true' EXIT
for sig in INT TERM; do
	rm -rf "$scratch"
	mkdir -p "$scratch"
	# As Ctrl-C finds a foreground job: with SIGINT at its default. A
	# command started in the background by a shell without job control
	# (say "make test &" from a script) inherits SIGINT ignored, and an
	# ignored signal cannot even be trapped: that would test nothing.
	set -m
	env --default-signal=INT "$TOP/scripts/build.sh" "$CELL" --build-dir "$scratch/build" \
		--log "$scratch/build.log" >>"$log" 2>&1 &
	pid=$!
	set +m
	# Wait until the compilers run inside the root.
	for _ in $(seq 120); do
		grep -q '^  CC' "$scratch/build.log" 2>/dev/null &&
			for p in $(scratch_pids --in-root); do
				[ "$(cat "/proc/$p/comm" 2>/dev/null)" = make ] && break 2
			done
		sleep 1
	done
	# The longest-lived process in the root: make (a compiler may be gone
	# before its mounts are read).
	inside=
	for p in $(scratch_pids --in-root); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = make ] && inside=$p && break
	done
	if [ -z "$inside" ]; then
		problems+=("SIG$sig: the build never ran inside the root (log: $scratch/build.log)")
		kill -KILL -- "-$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		continue
	fi
	# Seen from inside the root, its mounts sit at the host's paths.
	seen=$(awk -v c="$CACHE" -v t="$TOP" '$2 == c || $2 == t || $2 == "/proc"' \
		"/proc/$inside/mounts" 2>/dev/null | wc -l) || seen=0
	# The build's own namespace dies with its last process (scratch_pids).
	host=$(mounts_under_cache | wc -l)
	echo "SIG$sig: building in the root (pid $inside): $seen mounts in its namespace, $host in ours" >>"$log"
	if [ "$sig" = INT ]; then
		kill -INT -- "-$pid"
	else
		kill -TERM "$pid"
	fi
	for _ in $(seq 60); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	wait "$pid" 2>/dev/null && rc=0 || rc=$?
	sleep 1
	left=$(scratch_pids | wc -l)
	mounts=$(mounts_under_cache)
	echo "SIG$sig: build.sh exited $rc; processes of the build left: $left; mounts under $CACHE: ${mounts:-none}" >>"$log"
	[ "$seen" -ge 3 ] || problems+=("SIG$sig: the build's namespace did not show the root's mounts")
	[ "$host" = 0 ] || problems+=("SIG$sig: the root's mounts were visible outside the build")
	[ "$left" = 0 ] || problems+=("SIG$sig: $left processes of the build still run")
	[ -z "$mounts" ] || problems+=("SIG$sig: left mounted: $(echo $mounts | head -c 200)")
	kill -0 "$pid" 2>/dev/null && problems+=("SIG$sig: build.sh still runs after 60 s")
	[ "$rc" != 0 ] || problems+=("SIG$sig: build.sh exited 0 although interrupted")
	# Whatever survived must not hold the cache (or its lock) any longer.
	kill -KILL -- "-$pid" $(scratch_pids) 2>/dev/null || true
done
rm -rf "$scratch"

# A second run on this cache: refused, naming the one that holds it.
out=$(env -u KMO_LOCK_HELD "$TOP/scripts/tree.sh" "$BASE" 2>&1) && second=0 || second=$?
echo "second run: exit $second: $out" >>"$log"
if [ "$second" = 0 ] || ! grep -q "another run is using $CACHE" <<<"$out"; then
	problems+=("a second run on $CACHE was not refused: $out")
fi

if [ ${#problems[@]} = 0 ]; then
	verdict=PASS detail="SIGINT and SIGTERM: no process of the build left, no mount under \$CACHE; a second run is refused"
else
	verdict=FAIL detail=$(printf '%s; ' "${problems[@]}")
fi
judge row --label "$CELL_ID interrupt" --verdict "$verdict" --cases - --detail "$detail" --results "$RESULTS"
echo "$verdict  $CELL_ID interrupt: $detail (log: $log)"
[ "$verdict" = PASS ]
