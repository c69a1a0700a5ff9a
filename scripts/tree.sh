#!/bin/bash
# tree.sh BASE [SERIES_DIR|none]: make $CACHE/src/BASE a git tree of the
# Debian kernel source for BASE (one commit, tagged "base") and apply the
# series from SERIES_DIR (default patches/BASE) with git am. With "none"
# the tree is left at base. A series that does not apply is aborted, the
# tree reset to base, and the failing patch named.
#
# Re-applying a changed series keeps the times of the files whose content
# did not change, so that the build directories made from the tree only
# recompile what the new series really changed (a new test file rebuilds
# one object, not every user of slab.h).
. "$(dirname "$0")/lib.sh"

resolve_base "${1:?usage: tree.sh BASE [SERIES_DIR|none]}"
want_series=${2:-$SERIES}
# The script works in the tree: a relative series directory is the caller's.
[ "$want_series" = none ] || [ ! -d "$want_series" ] || want_series=$(realpath "$want_series")
log=$LOGS/tree-$BASE.log
mkdir -p "$CACHE/src"
say "tree $BASE: $SRC (log: $log)"

# The identity used for the base commit and for git am, so that a machine
# without a git configuration works and the base commit is reproducible.
export GIT_AUTHOR_NAME="kmalloc_obj scripts" GIT_AUTHOR_EMAIL="kmalloc-obj@localhost"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"

# Changing the tree needs it to ourselves (base_lock); finding it ready
# does not, so that a run that only checks waits for no build.
# Ready means: this very series, applied by this script with git am (a
# tree whose commits were exported by hand is applied anew from the export,
# which also proves that the export applies).
applied() { applied_by_am "$SRC" "$want"; }
if [ "$want_series" = none ]; then
	want=none
else
	[ -f "$want_series/series" ] || die "no series file in $want_series"
	want=$(series_hash "$want_series") || die "series $want_series lists a patch that is missing"
fi
if [ -e "$SRC/.git" ] && (cd "$SRC" && applied); then
	say "tree $BASE: series already applied ($(git -C "$SRC" log -1 --format=%h))"
	exit 0
fi
base_lock exclusive
if ! git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1; then
	if [ "$BASE_SOURCE" = host ]; then
		have=$(dpkg-query -W -f='${Version}' "$BASE_PACKAGE" 2>/dev/null || true)
		[ -n "$have" ] || die "$BASE_PACKAGE is not installed: run scripts/host-deps.sh"
		[ "$have" = "$BASE_VERSION" ] ||
			die "$BASE_PACKAGE $have is installed, but $BASE is pinned to $BASE_VERSION in cells.toml"
	fi
	[ -f "$BASE_TARBALL" ] ||
		die "$BASE_PACKAGE $BASE_VERSION is not there ($BASE_TARBALL missing): run scripts/host-deps.sh and scripts/toolchain.sh"
	rm -rf "$SRC.tmp" && mkdir -p "$SRC.tmp"
	say "unpacking $BASE_TARBALL"
	{
		tar -xJf "$BASE_TARBALL" -C "$SRC.tmp" --strip-components=1 &&
		cd "$SRC.tmp" && git init -q -b base-branch &&
		# 80,000 loose objects would start a repack on every git am.
		git config gc.auto 0 &&
		# Debian's .gitignore ends in a block that ignores /*: add by force.
		git add -f -A . &&
		git commit -q -m "$BASE_PACKAGE $BASE_VERSION" &&
		git tag base
	} >"$log" 2>&1 || die "unpacking $BASE_TARBALL into a git tree failed (log: $log)"
	rm -rf "$SRC" && mv "$SRC.tmp" "$SRC"
fi

cd "$SRC"
if applied; then
	say "tree $BASE: series already applied ($(git log -1 --format=%h))"
	exit 0
fi
head=$(git rev-parse HEAD)
# Never throw away work done in the tree by hand: only a tree that is at
# base or at what this script applied last may be reset.
if [ "${FORCE:-}" != 1 ] && [ "$head" != "$(git rev-parse base)" ] &&
   [ "$head" != "$(cat .git/kobj-head 2>/dev/null)" ]; then
	die "tree $SRC has commits this script did not make (HEAD $(git log -1 --format='%h %s')); export them with scripts/export-series.sh or rerun with FORCE=1 to discard them"
fi
if [ "${FORCE:-}" != 1 ] && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	die "tree $SRC has uncommitted changes; commit or drop them, or rerun with FORCE=1"
fi

# The files the old series touched keep their times where the new one
# leaves them as they were.
note_times .git/kobj-times
git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B kmalloc-obj base
git clean -q -fdx
rm -f .git/kobj-applied .git/kobj-am
if [ "$want" != none ]; then
	n=0
	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		n=$((n + 1))
		if ! git am -q "$want_series/$p" >>"$log" 2>&1; then
			git am --abort >/dev/null 2>&1 || true
			git checkout -q -f -B kmalloc-obj base
			restore_times .git/kobj-times
			die "patch $n ($p) of $want_series does not apply to $BASE; tree reset to base (log: $log)"
		fi
	done <"$want_series/series"
fi
restore_times .git/kobj-times
echo "$want" >.git/kobj-applied
git rev-parse HEAD >.git/kobj-head
# What git am made of this series (see applied_by_am).
echo "$want $(git rev-parse HEAD)" >.git/kobj-am
if [ "$want" = none ]; then
	say "tree $BASE: at base"
else
	say "tree $BASE: applied $n patches ($(git log -1 --format=%h)); $_kept unchanged files keep their times"
fi
