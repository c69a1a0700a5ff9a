#!/bin/bash
# clean-cache.sh: delete $CACHE (trees, toolchain root, builds, logs) to
# start cold. It takes the cache's lock first (a run in progress makes it
# refuse), unmounts anything still mounted under $CACHE (the scripts of
# today mount only in private namespaces, but older ones did not), refuses
# if a mount is left, and deletes without crossing into another file system.
. "$(dirname "$0")/lib.sh"

[ -d "$CACHE" ] || { say "no cache at $CACHE"; exit 0; }
mounts_under_cache | while read -r m; do
		say "unmounting $m"
		umount "$m" 2>/dev/null || umount -l "$m"
	done
left=$(mounts_under_cache)
[ -z "$left" ] || die "still mounted under $CACHE, not deleting: $(echo $left)"
say "deleting $CACHE"
rm -rf --one-file-system "$CACHE"
