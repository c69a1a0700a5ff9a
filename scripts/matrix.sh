#!/bin/bash
# matrix.sh [CELL...]: the full test matrix of cells.toml (or only the
# given cells). Installs what is missing, prepares the trees, checks the
# series (export, kunit/ copy, checkpatch) and the judges, shows that an
# interrupted build leaves no mount, then runs every check of every cell
# in the table's order, and prints the verdict table, which it writes to
# $LOGS/results.md with the wall time of each step. Exit status 0 only if
# all passed.
#
# matrix.sh --run CELL: the main job only (make run): what CELL needs
# installed, its tree with the series, and its "run" check (build, kunit.py
# and insmod, plain and with slub_debug; a cell that borrows its kernel
# builds its lender's and has no kunit.py runs), with the same table.
#
# Two lanes share the two cores. The build lane builds the cells' kernels
# (a cell that borrows a kernel has none of its own), two at a time (one
# build alone leaves a core idle while it links, runs objtool on vmlinux or
# compresses the image), those of cells with mutants first (see below).
# The check lane runs, while later kernels build (a QEMU guest under TCG
# keeps one core busy), the first check in the table's order whose cell's
# kernel is built; once the kernels are all built, two checks at a time,
# on different kernels. No check changes a tree (header variants are
# overlays: header_overlay), so no check waits for a build of its base or
# holds one up. Each step writes its rows to a file of its own; the table
# puts them in the table's order.
. "$(dirname "$0")/lib.sh"

main_job=
if [ "${1:-}" = --run ]; then
	resolve_cell "${2:?usage: matrix.sh --run CELL}"
	main_job=1 plan="run $CELL"
	# Debian's kernels are not built here: their check is "debian".
	[ -z "${DEB_RELEASE:-}" ] || plan="debian $CELL"
else
	plan=$(cellpy plan "$@") || exit 2
fi
cells=$(awk '!seen[$2]++ { print $2 }' <<<"$plan")
# The kernels to build: each cell's own, or the one it borrows (kernel =
# in cells.toml), once.
declare -A kernel_of=() kernel_where=() kernel_base=() kernel_num=()
out=$(cellpy kernels $cells) || exit 2
while read -r c k where b; do kernel_of[$c]=$k kernel_where[$k]=$where kernel_base[$k]=$b; done <<<"$out"
kernels=$(awk '!seen[$2]++ { print $2 }' <<<"$out")
n=0
for k in $kernels; do kernel_num[$k]=$((n += 1)); done
bases=$(awk '!seen[$4]++ { print $4 }' <<<"$out")
steps=$LOGS/steps
rm -rf "$steps" && mkdir -p "$steps"
t0=$(date +%s)

# step ID WHAT CMD...: run one step with a rows file ($steps/ID.tsv) and an
# error log of its own, and note its wall time. A step that failed without
# a FAIL row of its own (a build that broke, or a check that died after
# some passing runs) gets one, so that the table names it. Its stderr goes
# to the terminal as it comes. Always returns 0: the table decides.
step() {
	local id=$1 what=$2 s rc=0 why; shift 2
	: >"$steps/$id.tsv"
	s=$(date +%s)
	set +e
	{ KMO_RESULTS=$steps/$id.tsv "$@" 2>&1 >&3 3>&- | tee "$steps/$id.err" >&2 3>&-
	  rc=${PIPESTATUS[0]}; } 3>&1
	set -e
	echo "$what: $(( $(date +%s) - s ))s" >"$steps/$id.time"
	if [ "$rc" != 0 ] && ! awk -F'\t' '$2 != "PASS" { found = 1 } END { exit !found }' "$steps/$id.tsv"; then
		why=$(grep '^error: ' "$steps/$id.err" | tail -n 1 || true)
		judge row --label "$what" --verdict FAIL --cases - \
			--detail "${why:-step failed with exit $rc}" \
			--results "$steps/$id.tsv" || true
	fi
	return 0
}

# Both lanes and the step in the foreground run as process groups of their
# own: SIGINT (Ctrl-C) or SIGTERM to this script stops all of them, and
# then this script dies of the same signal.
order=() lane='' fetcher='' current='' toolchain=''
stop_all() {
	local g
	for g in $current $toolchain $lane $fetcher; do kill -TERM -- "-$g" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'stop_all; trap - INT; kill -INT $$' INT
trap 'stop_all; trap - TERM; kill -TERM $$' TERM
# bg CMD...: start CMD as a process group of its own; its pid is in $!.
bg() { set -m; "$@" </dev/null & set +m; }
# alive PID: whether PID is a job of this script that still runs (not
# kill -0, which a process that got the pid since would also pass).
alive() { [[ $'\n'$(jobs -rp)$'\n' == *$'\n'"$1"$'\n'* ]]; }
run_step() {
	order+=("$1")
	bg step "$@"
	current=$!
	wait $current || true
	current=
}

marks=$steps/ready
mkdir -p "$marks"
run_step 00-host "host packages" "$TOP/scripts/host-deps.sh"

# The build lane, in the background: two kernel builds at a time. It takes
# the first kernel, in this order, whose tree is there and whose compiler
# is (the host's at once, the testing root's once toolchain.sh is done):
# first the kernels of cells that run mutants, the longest checks, so that
# the checks left when the last kernel is built are short; then the rest,
# each in the table's order. Build steps keep the table's order (03-NNN).
mutant_kernels=$(awk '$1 == "mutants" { print $2 }' <<<"$plan" |
	while read -r c; do echo "${kernel_of[$c]}"; done)
built=$(for k in $kernels; do [ "${kernel_where[$k]}" = debian ] || echo "$k"; done)
build_queue=$(for k in $built; do grep -qxF "$k" <<<"$mutant_kernels" && echo "$k"; done
	for k in $built; do grep -qxF "$k" <<<"$mutant_kernels" || echo "$k"; done)
build_lane() {
	local c id i pick todo
	read -r -a todo <<<"$(echo $build_queue)"
	while [ ${#todo[@]} -gt 0 ]; do
		while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n || true; done
		pick=
		for i in "${!todo[@]}"; do
			c=${todo[$i]}
			[ -e "$marks/tree-${kernel_base[$c]}" ] || continue
			[ "${kernel_where[$c]}" = host ] || [ -e "$marks/toolchain" ] || continue
			pick=$i
			break
		done
		if [ -z "$pick" ]; then sleep 2; continue; fi
		c=${todo[$pick]}
		unset "todo[$pick]"
		todo=("${todo[@]}")
		id=$(printf '03-build-%03d' "${kernel_num[$c]}")
		{
			step "$id" "build $c" "$TOP/scripts/build.sh" "$c" 2>/dev/null || true
			say "[build lane] $(cat "$steps/$id.time" 2>/dev/null)"
			touch "$marks/kernel-${c//\//-}"
		} &
	done
	wait
}
bg build_lane
lane=$!

# Debian's kernels are fetched, not built (debian-kernel.sh: the root of
# their suite, their packages), one after the other beside the builds:
# mostly downloads and unpacking.
fetch_lane() {
	local k id
	for k in $kernels; do
		[ "${kernel_where[$k]}" = debian ] || continue
		while [ ! -e "$marks/tree-${kernel_base[$k]}" ]; do sleep 2; done
		id=$(printf '03-build-%03d' "${kernel_num[$k]}")
		step "$id" "fetch $k" "$TOP/scripts/debian-kernel.sh" "$k" 2>/dev/null || true
		say "[fetch lane] $(cat "$steps/$id.time" 2>/dev/null)"
		touch "$marks/kernel-${k//\//-}"
	done
}
bg fetch_lane
fetcher=$!

# The toolchain root downloads and unpacks while the host's bases unpack
# (and the first host-compiler kernels build).
order+=(01-toolchain)
bg step 01-toolchain "toolchain root" "$TOP/scripts/toolchain.sh"
toolchain=$!
i=0
for b in $bases; do
	resolve_base "$b"
	[ "$BASE_SOURCE" = host ] || continue
	run_step "02-tree-$((i += 1))" "tree $b" "$TOP/scripts/tree.sh" "$b"
	touch "$marks/tree-$b"
done
wait $toolchain || true
toolchain=
touch "$marks/toolchain"

# The trees of the bases that come through the root are made meanwhile.
for b in $bases; do
	resolve_base "$b"
	[ "$BASE_SOURCE" = host ] && continue
	run_step "02-tree-$((i += 1))" "tree $b" "$TOP/scripts/tree.sh" "$b"
	touch "$marks/tree-$b"
done
for k in $kernels; do order+=("$(printf '03-build-%03d' "${kernel_num[$k]}")"); done

if [ -z "$main_job" ]; then
	run_step 04-check "patch check" "$TOP/scripts/check-patches.sh"
	run_step 05-judges "judges' tests" "$TOP/scripts/test-judges.sh"
	run_step 06-interrupt "interrupt test" "$TOP/tests/interrupt.sh"
fi
declare -A script=([run]=cell.sh [conformance]=conformance.sh [compat]=compat.sh [codegen]=codegen.sh
	[mutants]=mutants.sh [bite]=bite.sh [debian]=debian.sh [dkms]=dkms.sh)
# The check lane: the checks keep their table position in their step id
# (10-NNN) and in the table, whatever order (or side by side) they run.
mapfile -t pending <<<"$plan"
for i in "${!pending[@]}"; do order+=("$(printf '10-%03d' $((i + 1)))"); done
ready() {
	local k=${kernel_of[$1]} l=$lane
	[ "${kernel_where[$k]}" = debian ] && l=$fetcher
	[ -e "$marks/kernel-${k//\//-}" ] || ! alive $l
}
# One check at a time while kernels build (two builds and a guest keep both
# cores busy); two once the build lane is done, never two on the same
# kernel (they share a cell's module and initramfs directories, and the
# kernel's build directory, which the run check brings up to date).
declare -A running=()
left=${#pending[@]}
while [ "$left" -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
	slots=1
	alive $lane || slots=2
	pick=
	if [ ${#running[@]} -lt $slots ]; then
		# The first check whose cell's kernel is built (or failed: the
		# check then says why) and has no check running on it.
		for i in "${!pending[@]}"; do
			[ -n "${pending[$i]}" ] || continue
			read -r check cell <<<"${pending[$i]}"
			[[ " ${running[*]} " == *" ${kernel_of[$cell]} "* ]] && continue
			if ready "$cell"; then pick=$i; break; fi
		done
	fi
	if [ -n "$pick" ]; then
		read -r check cell <<<"${pending[$pick]}"
		pending[$pick]='' left=$((left - 1))
		bg step "$(printf '10-%03d' $((pick + 1)))" "$check $cell" "$TOP/scripts/${script[$check]}" "$cell"
		running[$!]=${kernel_of[$cell]}
		current=${!running[*]}
	else
		sleep 2
		for pid in "${!running[@]}"; do
			alive "$pid" && continue
			wait "$pid" || true
			unset "running[$pid]"
		done
		current=${!running[*]}
	fi
done
wait $lane || true
wait $fetcher || true
lane= fetcher=

# The matrix's own rows file: runs of single steps outside the matrix
# append to results.tsv, but never to this one.
results=$LOGS/matrix.tsv
: >"$results"
for id in "${order[@]}"; do cat "$steps/$id.tsv" >>"$results" 2>/dev/null || true; done
timing=$(for id in "${order[@]}"; do cat "$steps/$id.time" 2>/dev/null; done | paste -sd ';' | sed 's/;/; /g')
{
	if [ -n "$main_job" ]; then echo "# make run $CELL"; else echo "# make test"; fi
	echo
	echo "$(date -u '+%F %T UTC'), commit $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$TOP" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes'), $(nproc) cores, CACHE=$CACHE"
	echo
	judge table --results "$results" \
		--timing "Wall time: $(( $(date +%s) - t0 ))s (steps: $timing)"
} >"$LOGS/results.md"
echo
cat "$LOGS/results.md"
pass=$(awk -F'\t' '$2 == "PASS"' "$results" | wc -l)
fail=$(awk -F'\t' '$2 != "PASS"' "$results" | wc -l)
echo "matrix: $pass passed, $fail failed"
echo "results: $LOGS/results.md"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
