#!/bin/bash
# sync-suite.sh [BASE...]: put kunit/kmalloc_obj_kunit.c, the one copy of
# the suites, into each base's series (default: every base of cells.toml).
# In the base's tree (made and patched by tree.sh if it is not there) the
# commit that adds the in-tree test (cells.toml: test) is amended to carry
# kunit/'s file, the commits after it are replayed unchanged, the branch
# moves to the result, and the series is exported to patches/BASE. Commits
# made by hand in the tree (the headers' own work) are kept and exported
# with it. If the later commits do not replay, the branch is left where it
# was. Nothing is committed when the file is already the same.
. "$(dirname "$0")/lib.sh"

suite=$TOP/kunit/kmalloc_obj_kunit.c
# The committer is tree.sh's, as for the commits git am made; the authors
# and dates of the amended and replayed commits stay as they are, so the
# export differs only in the test.
gitc() {
	GIT_COMMITTER_NAME="kmalloc_obj scripts" GIT_COMMITTER_EMAIL="kmalloc-obj@localhost" \
	GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" git "$@"
}
bases=$*
[ -n "$bases" ] || bases=$(cellpy bases) || exit 2
for b in $bases; do
	resolve_base "$b"
	[ -e "$SRC/.git" ] || "$TOP/scripts/tree.sh" "$BASE"
	base_lock exclusive
	cd "$SRC"
	[ -z "$(git status --porcelain --untracked-files=no)" ] ||
		die "tree $SRC has uncommitted changes; commit or drop them first"
	branch=$(git symbolic-ref -q --short HEAD) ||
		die "tree $SRC is not on a branch (detached HEAD); check out the branch to sync"
	if git show "HEAD:$BASE_TEST" 2>/dev/null | cmp -s - "$suite"; then
		say "sync $BASE: $BASE_TEST already equals kunit/"
		base_unlock
		continue
	fi
	adds=$(git log --format=%H --diff-filter=A base..HEAD -- "$BASE_TEST" | tail -n 1)
	[ -n "$adds" ] || die "no commit on top of base in $SRC adds $BASE_TEST"
	head=$(git rev-parse HEAD)
	tmp=$(mktemp -d)
	note_times "$tmp/times"
	git checkout -q --detach "$adds"
	cp "$suite" "$BASE_TEST"
	gitc commit -q --amend --no-edit -- "$BASE_TEST"
	if [ "$adds" != "$head" ] &&
	   ! gitc cherry-pick --allow-empty "$adds..$head" >"$tmp/log" 2>&1; then
		git cherry-pick --abort >/dev/null 2>&1 || true
		git checkout -q -f "$branch"
		restore_times "$tmp/times"
		cat "$tmp/log" >&2
		die "the commits after $(git log -1 --format='%h %s' "$adds") do not replay on the new test in $SRC; branch $branch left as it was"
	fi
	git branch -q -f "$branch" HEAD
	git checkout -q "$branch"
	restore_times "$tmp/times"
	rm -rf "$tmp"
	say "sync $BASE: $BASE_TEST now equals kunit/ (commit $(git log -1 --format=%h "$adds") amended on $branch)"
	"$TOP/scripts/export-series.sh" "$BASE"
	base_unlock
done
