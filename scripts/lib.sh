# shellcheck shell=bash
# Common helpers for the kmalloc_obj scripts. Sourced, not run.
#
# Facts about bases, arches and compilers are not here: they are records in
# cells.toml, and a step gets them from the resolver (scripts/cell.py) with
# resolve_cell BASE/ARCH/COMPILER or resolve_base BASE.

set -euo pipefail
# chroot, debootstrap and mount live in sbin, which a minimal PATH lacks.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything expensive (source trees, toolchain root, build dirs, ccache)
# lives under CACHE; override it to keep several caches side by side.
CACHE=${CACHE:-/var/cache/kmalloc-obj}
JOBS=${JOBS:-$(nproc)}
# ccache, when asked for (KOBJ_CCACHE=1), keeps its files in the cache too.
export TOP CACHE CCACHE_DIR="$CACHE/ccache"

_script_args="$*"
say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_root() {
	[ "$(id -u)" = 0 ] || die "$1 needs root (apt-get, debootstrap, chroot)"
}

# The resolver (scripts/cell.py) and the judges are Python: a fresh
# machine gets python3 before anything else (host-deps.sh installs the rest).
if ! command -v python3 >/dev/null; then
	need_root "installing python3 (the resolver, scripts/cell.py, is Python)"
	say "installing python3 first: the resolver, scripts/cell.py, is Python"
	{ apt-get update && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends python3; } >/dev/null 2>&1 ||
		die "apt-get install python3 failed"
fi

# cellpy ARGS: the resolver; its "error: ..." already names what is wrong.
cellpy() { python3 "$TOP/scripts/cell.py" "$@"; }

# resolve_cell BASE/ARCH/COMPILER: set every variable of the cell (see
# "scripts/cell.py env"): BASE ARCH COMPILER CELL CELL_ID SRC BDIR CELL_LOGS
# KMAKE RUNNER OBJDUMP COUNTED_BY QEMU IMAGE KERNEL_CMDLINE BUSYBOX ...
resolve_cell() {
	local out
	out=$(cellpy env "$@") || exit 2
	eval "$out"
	mkdir -p "$LOGS" "$CELL_LOGS"
}

# resolve_base BASE: the variables of one base and its tree.
resolve_base() {
	local out
	out=$(cellpy base-env "$@") || exit 2
	eval "$out"
	mkdir -p "$LOGS"
}

# Paths that do not depend on a cell (ROOTFS, LOGS, RESULTS).
_paths=$(cellpy paths) || exit 2
eval "$_paths"

# run_logged LOG CMD...: run CMD with all output in LOG; on failure print
# the tail of the log and its path.
run_logged() {
	local log=$1; shift
	mkdir -p "$(dirname "$log")"
	if ! "$@" >"$log" 2>&1; then
		tail -n 25 "$log" >&2
		say "failed: $* (log: $log)"
		return 1
	fi
}

# take_lock: one run per cache at a time. The first script of a run takes
# an exclusive lock on $CACHE/.lock; the scripts it starts inherit it (and
# the lock descriptor). A second run refuses at once and names the first.
take_lock() {
	[ "${KMO_LOCK_HELD:-}" = "$CACHE" ] && return 0
	mkdir -p "$CACHE"
	exec 9>>"$CACHE/.lock"
	if ! flock -n 9; then
		die "another run is using $CACHE ($(cat "$CACHE/.lock.owner" 2>/dev/null || echo unknown)); wait for it to end, or use another CACHE="
	fi
	echo "pid $$, $(basename "$0") $_script_args, since $(date '+%F %T')" >"$CACHE/.lock.owner"
	export KMO_LOCK_HELD=$CACHE
}

# base_lock shared|exclusive: take the resolved base's tree lock, held until
# base_unlock or the end of the script. Builds of kernels and modules and
# the patch check read the tree (shared); whatever changes it -- tree.sh,
# sync-suite -- holds it exclusively (make export is yours to run when
# nothing else does; header variants never change it: header_overlay), so
# that no build ever compiles from a tree that is being changed. A script
# that holds it exclusively exports KMO_BASE_LOCKED, and the steps it calls
# (sync-suite's tree.sh) do not ask again.
base_lock() {
	# A caller holds it exclusively already (and its descriptor is ours).
	[ "${KMO_BASE_LOCKED:-}" = "$BASE" ] && return 0
	local mode
	case $1 in shared) mode=-s ;; exclusive) mode=-x ;; *) die "base_lock: shared or exclusive, not '$1'" ;; esac
	mkdir -p "$CACHE/src"
	exec 8>>"$CACHE/src/.$BASE.lock"
	if ! flock -n "$mode" 8; then
		say "waiting for the $BASE tree ($1): a build or a check of $BASE holds it"
		flock "$mode" 8
	fi
	if [ "$1" = exclusive ]; then export KMO_BASE_LOCKED=$BASE; _base_lock_mine=1; fi
}

base_unlock() {
	# Never drop a lock that a calling script holds: the descriptor is
	# shared with it.
	[ -z "${KMO_BASE_LOCKED:-}" ] || [ -n "${_base_lock_mine:-}" ] || return 0
	unset KMO_BASE_LOCKED _base_lock_mine
	flock -u 8 2>/dev/null || true
}

# in_root CMD...: run CMD inside the testing root, with CACHE, the project
# checkout, /proc and /dev visible at the same paths as on the host. The
# mounts are made in a private mount namespace of this one command: they
# exist for it alone, and vanish with it however it ends (error, SIGINT,
# SIGTERM, SIGKILL), so nothing can stay mounted under $CACHE and no
# "rm -rf $CACHE" can reach the host's /dev or the checkout through them.
in_root() {
	[ -x "$ROOTFS/usr/bin/apt-get" ] || {
		[ -z "${DEB_ROOT:-}" ] ||
			die "the $DEB_ROOT root $ROOTFS is missing or incomplete: run scripts/debian-root.sh $DEB_ROOT"
		die "toolchain root $ROOTFS is missing or incomplete: run scripts/toolchain.sh"
	}
	unshare --mount --propagation private -- /bin/sh -ec '
		r=$1; shift
		for m in "$CACHE" "$TOP" /dev; do
			mkdir -p "$r$m"
			mount --bind "$m" "$r$m"
		done
		mkdir -p "$r/proc"
		mount -t proc proc "$r/proc"
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 CCACHE_DIR="$CACHE/ccache" "$@"' \
		in_root "$ROOTFS" "$@"
}

# run_group CMD...: run CMD (a command or a function) as a process group of
# its own and wait for it. SIGINT or SIGTERM to this script stops the whole
# group -- make, every compiler under it, in_root's namespace, QEMU --
# before the script exits, so an interrupted step leaves nothing running.
run_group() {
	local pid rc=0
	set -m
	"$@" </dev/null &
	pid=$!
	set +m
	# After stopping the group, die of the same signal, so that the
	# calling scripts see an interrupted child and stop too.
	# shellcheck disable=SC2064
	trap "kill -TERM -- -$pid 2>/dev/null; wait $pid; trap - TERM; kill -TERM \$\$" TERM
	# shellcheck disable=SC2064
	trap "kill -INT -- -$pid 2>/dev/null; wait $pid; trap - INT; kill -INT \$\$" INT
	wait "$pid" || rc=$?
	trap - INT TERM
	return $rc
}

# no_kvm CMD...: run CMD with /dev/kvm out of reach, so that QEMU runs
# under TCG, as everywhere in this project. kunit.py of 6.12 and later asks
# for "-accel kvm" first; where the host has a /dev/kvm that cannot run
# these guests (nested, seen: "KVM internal error ... emulation failure"),
# that would fail the run for a reason that is not the kernel's.
no_kvm() {
	if [ -e /dev/kvm ]; then
		unshare --mount --propagation private -- /bin/sh -ec \
			'mount --bind /dev/null /dev/kvm; exec "$@"' no_kvm "$@"
	else
		"$@"
	fi
}

# built_kernel: die unless the resolved cell's kernel is configured and built.
built_kernel() {
	[ -n "${IMAGE:-}" ] || die "no tree for $BASE at $SRC (its kunit.py record names the image): run scripts/tree.sh $BASE"
	if [ -n "${DEB_RELEASE:-}" ]; then
		[ -f "$BDIR/.config" ] && [ -f "$IMAGE" ] ||
			die "Debian's $DEB_RELEASE kernel and headers are not there: run scripts/debian-kernel.sh $CELL"
		return 0
	fi
	[ -f "$BDIR/.config" ] && [ -f "$IMAGE" ] ||
		die "kernel of ${KERNEL_CELL:-$CELL} is not built: run scripts/build.sh ${KERNEL_CELL:-$CELL}"
}

# The suites' sources: every kunit/*.c, the one copy of each. A series
# carries each of them in-tree, in the directory of BASE_TEST (cells.toml,
# the main suite), under the same name (resolve_base first).
suite_names() {
	(cd "$TOP/kunit" && ls -- *.c) || die "no suites in $TOP/kunit"
}
suite_intree() {
	echo "$(dirname "$BASE_TEST")/$1"
}
# carried_files: "FILE INTREE" for every file of this repository that each
# series carries a copy of (resolve_base first): the suites (kunit/, in
# BASE_TEST's directory) and the kselftest target (kselftest/, as
# tools/testing/selftests/kmalloc_obj/). FILE is relative to $TOP.
carried_files() {
	local n
	for n in $(suite_names); do echo "kunit/$n $(suite_intree "$n")"; done
	for n in Makefile config kmalloc_obj.sh; do
		echo "kselftest/$n tools/testing/selftests/kmalloc_obj/$n"
	done
}
# suite_sources DIR [NAME...]: SOURCES=(--source DIR/NAME ...), the
# verdict's arguments for the suites in DIR (kunit/ or the tree's test
# directory): all of them, or the NAMES given.
suite_sources() {
	local dir=$1 n names
	shift
	names=${*:-$(suite_names)}
	SOURCES=()
	for n in $names; do SOURCES+=(--source "$dir/$n"); done
}

# prepare_no_werror WT BDIR CONFIG LOG: configure the build directory BDIR
# of the checkout WT with "make CONFIG" (allmodconfig, defconfig...) for
# the resolved cell, with WERROR off (allmodconfig turns it on: a warning
# would stop the object it is in, and the scripts count warnings and
# objects instead), and "make prepare", so that single objects can be
# built. Logs to LOG.
prepare_no_werror() {
	local wt=$1 bdir=$2 config=$3 log=$4
	mkdir -p "$bdir"
	$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" "$config" >>"$log" 2>&1 ||
		die "make $config failed (log: $log)"
	"$wt/scripts/config" --file "$bdir/.config" -d WERROR
	$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" olddefconfig >>"$log" 2>&1 ||
		die "make olddefconfig failed (log: $log)"
	$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" -j"$JOBS" prepare >>"$log" 2>&1 ||
		die "make prepare failed (log: $log)"
}

# unpatched_headers FILE: write to FILE the patch that takes the headers of
# the resolved base's tree back to the base tag (the series reverted there).
unpatched_headers() {
	git -C "$SRC" diff HEAD base -- include/ >"$1"
	[ -s "$1" ] || die "the $BASE tree has no header changes over base: is the series applied?"
}

# header_overlay PATCH DIR: the headers of the resolved base's tree as
# PATCH changes them, for a module build, without touching the tree: the
# files PATCH changes are copied to DIR/include/... and patched there, and
# DIR/flags gets the compiler options that put DIR/include before the
# tree's include/ (module.sh passes them as NOSTDINC_FLAGS, which Kbuild
# puts before LINUXINCLUDE, as the backports project does). A header that
# the build forces in with -include (compiler_types.h) is forced in from
# DIR first; its include guard then makes the tree's copy a no-op. So the
# tree stays as it is, its build directories never go stale, and a
# variant never waits for a kernel build of the same base (nor blocks one).
# PATCH may only modify existing headers under include/, not uapi ones
# (those are reached through include/uapi, which the overlay does not
# shadow). DIR must be under $CACHE, which the toolchain root sees too.
header_overlay() {
	local patch dir=$2 f flags files
	patch=$(realpath "$1") || die "no patch $1"
	case $dir in "$CACHE"/*) ;; *) die "header_overlay: $dir is not under $CACHE" ;; esac
	[ "$(grep -E '^NOSTDINC_FLAGS' "$SRC/Makefile")" = $'NOSTDINC_FLAGS :=\nNOSTDINC_FLAGS += -nostdinc' ] ||
		die "the $BASE Makefile sets NOSTDINC_FLAGS otherwise than to -nostdinc: cannot put headers in front"
	rm -rf "$dir/include" && mkdir -p "$dir/include"
	flags="-nostdinc -I$dir/include"
	files=$(git -C "$SRC" apply --numstat "$patch") || die "$patch is not a patch git can read"
	[ -n "$files" ] || die "$patch changes nothing"
	while read -r _ _ f; do
		case $f in
		include/uapi/*|include/*/uapi/*) die "$patch changes a uapi header ($f): an overlay cannot stand in for it" ;;
		include/*) ;;
		*) die "$patch changes $f, not a header under include/" ;;
		esac
		[ -f "$SRC/$f" ] || die "$patch adds $f: only changes to existing headers can be overlaid"
		mkdir -p "$dir/$(dirname "$f")"
		cp "$SRC/$f" "$dir/$f"
		case $f in
		include/linux/compiler_types.h)
			flags+=" -include $SRC/include/linux/kconfig.h -include $dir/$f" ;;
		include/linux/kconfig.h|include/linux/compiler-version.h)
			die "$patch changes $f, which the build forces in before anything" ;;
		esac
	done <<<"$files"
	if grep -q '^deleted file mode' "$patch"; then
		die "$patch deletes a header: an overlay cannot hide one"
	fi
	# Outside any repository (the ceiling stops git looking above DIR), git
	# apply patches the files under the current directory.
	(cd "$dir" && GIT_CEILING_DIRECTORIES=$(dirname "$dir") git apply "$patch") ||
		die "$patch does not apply to the $BASE headers"
	echo "$flags" >"$dir/flags"
}

# note_times FILE: in the current git tree, note the content (blob id of
# the file as it is, committed or not) and time of every file that differs
# between base and HEAD or from the index. restore_times FILE: after HEAD
# moved, give each of those files whose content is still the same its old
# time back, so that build directories recompile only what really changed.
note_times() {
	{ git diff --name-only base HEAD; git diff --name-only HEAD; } | sort -u | while read -r f; do
		[ ! -f "$f" ] || echo "$(git hash-object "$f") $(stat -c %Y "$f") $f"
	done >"$1"
}

restore_times() {
	local blob t f
	_kept=0
	while read -r blob t f; do
		if [ -f "$f" ] && [ "$(git hash-object "$f")" = "$blob" ]; then
			touch -d "@$t" "$f" && _kept=$((_kept + 1))
		fi
	done <"$1"
}

# missing_packages [--root DIR] PKG[=VERSION]...: the packages not installed
# (or not at VERSION) on the host, or in the root DIR; one line.
missing_packages() {
	local root=() p name ver missing=
	if [ "$1" = --root ]; then root=(chroot "$2"); shift 2; fi
	for p; do
		name=${p%%=*} ver=
		[ "$name" != "$p" ] && ver=${p#*=}
		"${root[@]}" dpkg-query -W -f='${Status} ${Version}\n' "$name" 2>/dev/null |
			grep -qx "install ok installed ${ver:-.*}" || missing="$missing $p"
	done
	echo "$missing"
}

# mounts_under_cache: the mount points under $CACHE in this (the host's)
# mount namespace, deepest first.
mounts_under_cache() {
	awk -v c="$CACHE" 'index($2, c) == 1 { print $2 }' /proc/self/mounts | sort -r
}

# applied_by_am TREE WANT: true if tree.sh made TREE by git am of the series
# whose series_hash is WANT ("none": left at base), and nothing changed since.
# Only tree.sh writes .git/kobj-am: an export of commits made by hand is no
# proof that the series applies.
applied_by_am() {
	[ "$(cat "$1/.git/kobj-am" 2>/dev/null)" = "$2 $(git -C "$1" rev-parse HEAD)" ] &&
	[ -z "$(git -C "$1" status --porcelain --untracked-files=no)" ]
}

# series_hash DIR: identity of the series in DIR (its series file and the
# patches it lists), recorded in a tree by whoever applied or exported it.
series_hash() {
	(cd "$1" && xargs cat series <series | sha256sum | cut -d' ' -f1)
}

# judge ARGS: the judges (verdict, codegen, expectations, result rows).
judge() { python3 "$TOP/scripts/judge.py" "$@"; }

# cell_skips: set the array SKIPS to the verdict's options for the cases
# the resolved cell cannot exercise (its sections of tests/skips.expect),
# or to nothing if it has none.
# mutation_score LABEL WHAT: print and record the score row of a mutant
# run from the callers' killed, total, survivors and absent (the mutants
# not exercisable in the cell); WHAT says what a full score means.
# Returns 0 if every mutant counted was killed.
mutation_score() {
	local verdict detail cases="$killed/$total"
	if [ "$killed" = "$total" ]; then
		verdict=PASS detail=$2
	else
		verdict=FAIL detail="not killed as expected: ${survivors[*]}"
	fi
	if [ ${#absent[@]} -gt 0 ]; then
		cases+=" (${#absent[@]} not exercisable)"
		detail+="; not exercisable here, every case of theirs skips (tests/skips.expect): ${absent[*]}"
	fi
	echo "$verdict  $1: $cases"
	judge row --label "$1" --verdict "$verdict" --cases "$cases" --detail "$detail" \
		--results "$RESULTS"
	[ "$verdict" = PASS ]
}

# devm_unbuilt FAMILY [VAR=VALUE...]: the devm_ suite against a family
# that has no devm_ members (an unpatched tree's, Debian's kernel's) must
# not build, the compiler finding a devm_ helper undeclared in that file
# (GCC: "implicit declaration of function"; Clang: "call to undeclared
# function"). Builds the companion module with it (module.sh, given the
# VAR=VALUE settings), writes the row "CELL_ID unpatched devm
# (conformance)"; returns 0 if it did not build for that reason.
devm_unbuilt() {
	local family=$1 devm=kunit/kmalloc_obj_devm_kunit.c label="$CELL_ID unpatched devm (conformance)"
	local log=$CELL_LOGS/conformance-devm.log err wording named verdict why
	shift
	case $COMPILER in
	clang*) wording="call to undeclared" ;;
	*) wording="implicit declaration of" ;;
	esac
	err=$(mktemp)
	if env "$@" KMO_DEVM=y KMO_MODLOG="$log" "$TOP/scripts/module.sh" "$CELL" >/dev/null 2>"$err"; then
		verdict=FAIL why="the module with the devm_ suite builds against $family"
	else
		named=$(grep -m1 -oE "(^|/)$devm:[0-9]+:[0-9]+: error: $wording function [‘'\"]devm_k[mz]alloc_(obj|objs|flex)[’'\"]" "$log" |
			sed 's/.*: error: //' || true)
		if [ -n "$named" ]; then
			verdict=PASS why="its $(grep -c 'KUNIT_CASE(' "$TOP/$devm") cases do not build, as expected ($named)"
		else
			cat "$err" >&2
			verdict=FAIL why="the module fails to build, but not for want of the devm_ helpers (log: $log)"
		fi
	fi
	rm -f "$err"
	echo "$verdict  $label: $why"
	judge row --label "$label" --verdict $verdict --cases "devm: no build" \
		--detail "$why" --results "$RESULTS"
	[ $verdict = PASS ]
}

cell_skips() {
	local has=0
	SKIPS=()
	judge has-section "$TOP/tests/skips.expect" "$CELL" || has=$?
	case $has in
	0) SKIPS=(--expect-section "$TOP/tests/skips.expect:$CELL") ;;
	1) ;;
	*) die "cannot read tests/skips.expect" ;;
	esac
}

take_lock
