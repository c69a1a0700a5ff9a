#!/bin/bash
# tree.sh BASE [SERIES_DIR]: make $CACHE/src/BASE a git tree of the Debian
# kernel source for BASE (one commit, tagged "base") and apply the series
# from SERIES_DIR (default patches/BASE) with git am. With SERIES_DIR "none"
# the tree is left at base. A series that does not apply is aborted, the
# tree reset to base, and the failing patch named.
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: tree.sh BASE [SERIES_DIR|none]}
SERIES=${2:-$TOP/patches/$BASE}
pkg=$(base_package "$BASE")
src=$CACHE/src/$BASE
log=$LOGS/tree-$BASE.log
mkdir -p "$LOGS" "$CACHE/src"
say "tree $BASE: $src (log: $log)"

# The identity used for the base commit and for git am, so that a machine
# without a git configuration works and the base commit is reproducible.
export GIT_AUTHOR_NAME="kmalloc_obj scripts" GIT_AUTHOR_EMAIL="kmalloc-obj@localhost"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"

if ! git -C "$src" rev-parse -q --verify base >/dev/null 2>&1; then
	tarball=$(base_tarball "$BASE")
	rm -rf "$src.tmp" && mkdir -p "$src.tmp"
	say "unpacking $tarball"
	{
		tar -xJf "$tarball" -C "$src.tmp" --strip-components=1 &&
		cd "$src.tmp" && git init -q -b base-branch &&
		# Debian's .gitignore ends in a block that ignores /*: add by force.
		git add -f -A . &&
		git commit -q -m "$pkg $(base_version "$BASE")" &&
		git tag base
	} >"$log" 2>&1 || die "unpacking $tarball into a git tree failed (log: $log)"
	rm -rf "$src" && mv "$src.tmp" "$src"
fi

cd "$src"
if [ "$SERIES" = none ]; then
	want=none
else
	[ -f "$SERIES/series" ] || die "no series file in $SERIES"
	want=$(series_hash "$SERIES") || die "series $SERIES lists a patch that is missing"
fi
have=$(cat .git/kobj-applied 2>/dev/null || true)
head=$(git rev-parse HEAD)
if [ "$want" = "$have" ] && [ "$head" = "$(cat .git/kobj-head 2>/dev/null)" ] &&
   [ -z "$(git status --porcelain --untracked-files=no)" ]; then
	say "tree $BASE: series already applied ($(git log -1 --format=%h))"
	exit 0
fi
# Never throw away work done in the tree by hand: only a tree that is at
# base or at what this script applied last may be reset.
if [ "${FORCE:-}" != 1 ] && [ "$head" != "$(git rev-parse base)" ] &&
   [ "$head" != "$(cat .git/kobj-head 2>/dev/null)" ]; then
	die "tree $src has commits this script did not make (HEAD $(git log -1 --format='%h %s')); export them with scripts/export-series.sh or rerun with FORCE=1 to discard them"
fi
if [ "${FORCE:-}" != 1 ] && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	die "tree $src has uncommitted changes; commit or drop them, or rerun with FORCE=1"
fi

git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B kmalloc-obj base
git clean -q -fdx
rm -f .git/kobj-applied
[ "$want" = none ] && { echo none > .git/kobj-applied; git rev-parse HEAD > .git/kobj-head; say "tree $BASE: at base"; exit 0; }

n=0
while read -r p; do
	case $p in ''|'#'*) continue ;; esac
	n=$((n + 1))
	if ! git am -q --keep-cr "$SERIES/$p" >>"$log" 2>&1; then
		git am --abort >/dev/null 2>&1 || true
		git checkout -q -f -B kmalloc-obj base
		die "patch $n ($p) of $SERIES does not apply to $BASE; tree reset to base (log: $log)"
	fi
done <"$SERIES/series"
echo "$want" > .git/kobj-applied
git rev-parse HEAD > .git/kobj-head
say "tree $BASE: applied $n patches ($(git log -1 --format=%h))"
