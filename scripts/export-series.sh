#!/bin/bash
# export-series.sh BASE [OUTDIR] [--src TREE]: export the commits on top of
# "base" in the tree $CACHE/src/BASE (or TREE) as a git-am-able series: numbered patches, a cover
# letter and a series file, into OUTDIR (default patches/BASE). The cover
# letter's subject and text are taken from the existing cover letter in
# patches/BASE (or from $COVER, a file whose first line is the subject);
# everything else is generated, so the output is reproducible. The cover
# letter ends in "base-commit:", the commit tree.sh makes of the Debian
# package (fixed author, committer and dates: the same id on every machine).
. "$(dirname "$0")/lib.sh"

resolve_base "${1:?usage: export-series.sh BASE [OUTDIR] [--src TREE]}"
OUT=$SERIES src=$SRC other_src=
[ $# -ge 2 ] && [ "$2" != --src ] && OUT=$2 && shift
[ "${2:-}" = --src ] && src=${3:?--src needs a tree} other_src=1
[ -e "$src/.git" ] || die "no tree for $BASE at $src"
cover_src=${COVER:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$cover_src" ]; then
	old=$SERIES/0000-cover-letter.patch
	[ -f "$old" ] || die "no cover letter text: set COVER=file (first line: subject)"
	# Subject (after the [PATCH 0/N] tag) and the text up to the shortlog.
	python3 - "$old" >"$tmp/cover" <<'PY' || die "cannot read the cover letter $old"
import email, re, sys
msg = email.message_from_file(open(sys.argv[1]))
subject = re.sub(r'\s+', ' ', msg['Subject'])
subject = re.sub(r'^\[PATCH[^]]*\] ', '', subject)
body = msg.get_payload()
body = re.split(r'^\S.* \(\d+\):$', body, maxsplit=1, flags=re.M)[0]
print(subject + '\n\n' + body.strip('\n'))
PY
	cover_src=$tmp/cover
fi

n=$(git -C "$src" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "no commits on top of base in $src"
git -C "$src" config "branch.$(git -C "$src" rev-parse --abbrev-ref HEAD).description" "$(cat "$cover_src")"
# The cover letter carries the date of the newest commit, not the time of
# the export, and no commit ids appear, so the same tree exports the same
# bytes on every run.
date=$(git -C "$src" log -1 --format=%aI)
rm -rf "$tmp/out"
GIT_COMMITTER_DATE=$date git -C "$src" -c core.abbrev=12 format-patch -q \
	--zero-commit --no-signature --cover-letter \
	--cover-from-description=subject --subject-prefix="$BASE_SUBJECT_PREFIX" \
	--base=base -o "$tmp/out" base..HEAD
(cd "$tmp/out" && for f in [0-9]*.patch; do [ "${f#0000-}" = "$f" ] && echo "$f"; done) >"$tmp/series"
mv "$tmp/series" "$tmp/out/series"
rm -rf "$OUT.new" && mkdir -p "$(dirname "$OUT")" && mv "$tmp/out" "$OUT.new"
rm -rf "$OUT" && mv "$OUT.new" "$OUT"
if [ "$OUT" = "$SERIES" ] && [ -z "$other_src" ]; then
	# The tree now holds exactly the exported series: tell tree.sh so.
	series_hash "$OUT" >"$src/.git/kobj-applied"
	git -C "$src" rev-parse HEAD >"$src/.git/kobj-head"
fi
say "exported $n patches of $BASE to $OUT"
