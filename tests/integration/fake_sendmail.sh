#!/bin/sh
# A stand-in for sendmail in tests (no mail leaves the machine): the first argument is a
# directory; the message on stdin is kept there as NNN.eml and the other arguments as NNN.args.
dir="$1"
shift
n="$(date +%s%N).$$"
printf '%s\n' "$@" > "$dir/$n.args"
cat > "$dir/$n.eml"
