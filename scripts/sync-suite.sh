#!/bin/bash
# sync-suite.sh [BASE...]: put the files that each series carries a copy
# of (the suites of kunit/, the kselftest target of kselftest/: lib.sh
# carried_files) into each base's series (default: every base of
# cells.toml). In the base's tree (made and patched by tree.sh if it is
# not there), for each file whose in-tree copy differs, the commit that
# adds that copy is amended to carry this repository's file, the commits after it are replayed unchanged, and the branch moves
# to the result; then the series is exported to patches/BASE. Commits made
# by hand in the tree (the headers' own work) are kept and exported with
# it. If the later commits do not replay, the branch is left where it was.
# Nothing is committed when the files are already the same.
. "$(dirname "$0")/lib.sh"

# The committer is tree.sh's, as for the commits git am made; the authors
# and dates of the amended and replayed commits stay as they are, so the
# export differs only in the test.
gitc() {
	GIT_COMMITTER_NAME="kmalloc_obj scripts" GIT_COMMITTER_EMAIL="kmalloc-obj@localhost" \
	GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" git "$@"
}
# sync_one FILE INTREE: amend the commit that adds INTREE (the tree is
# the current directory, on $branch) to carry $TOP/FILE, and set
# changed=1, unless the copy already equals it.
sync_one() {
	local suite=$TOP/$1 t=$2 head adds tmp
	if git show "HEAD:$t" 2>/dev/null | cmp -s - "$suite"; then
		say "sync $BASE: $t already equals $1"
		return 0
	fi
	adds=$(git log --format=%H --diff-filter=A base..HEAD -- "$t" | tail -n 1)
	[ -n "$adds" ] || die "no commit on top of base in $SRC adds $t"
	head=$(git rev-parse HEAD)
	tmp=$(mktemp -d)
	note_times "$tmp/times"
	git checkout -q --detach "$adds"
	cp "$suite" "$t"
	gitc commit -q --amend --no-edit -- "$t"
	if [ "$adds" != "$head" ] &&
	   ! gitc cherry-pick --allow-empty "$adds..$head" >"$tmp/log" 2>&1; then
		git cherry-pick --abort >/dev/null 2>&1 || true
		git checkout -q -f "$branch"
		restore_times "$tmp/times"
		cat "$tmp/log" >&2
		die "the commits after $(git log -1 --format='%h %s' "$adds") do not replay on the new $t in $SRC; branch $branch left as it was"
	fi
	git branch -q -f "$branch" HEAD
	git checkout -q "$branch"
	restore_times "$tmp/times"
	rm -rf "$tmp"
	changed=1
	say "sync $BASE: $t now equals $1 (commit $(git log -1 --format=%h "$adds") amended on $branch)"
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
	changed=0
	while read -r f t; do
		sync_one "$f" "$t"
	done < <(carried_files)
	[ $changed = 0 ] || "$TOP/scripts/export-series.sh" "$BASE"
	base_unlock
done
