#!/bin/sh
# The distillation comparison of issue 11 (README, "Does distillation
# help?"): both regimes of the synthetic MOSI benchmark, every row, model
# seeds 1..SEEDS (data seed 1), JOBS runs at a time. For each regime it
# writes OUT/REGIME/LABEL-SEED/ (the model; model.json's extra.teacher is the
# teacher's report) and OUT/REGIME/LABEL-SEED.json (eval --json on the test
# split). Finished runs are skipped, so an interrupted comparison resumes.
#
#   scripts/distill-tables.sh OUT [SEEDS [JOBS]]      (defaults 5 and 2)
#
# then, per regime: modistill summarize --in OUT/REGIME --paired-with tucker-s
set -eu
if [ "${1:-}" = "--one" ]; then # one job: REGIME DATAFLAGS LABEL SYSTEM FLAGS SEED OUT BIN
	regime=$2 dataflags=$3 label=$4 system=$5 flags=$6 seed=$7 out=$8 bin=$9
	dir="$out/$regime"
	[ -f "$dir/$label-$seed.json" ] && exit 0
	if [ -e "$dir/$label-$seed" ]; then
		echo "distill-tables.sh: $dir/$label-$seed exists without $label-$seed.json (an interrupted run?); move it aside and rerun" >&2
		exit 1
	fi
	# shellcheck disable=SC2086 # the flags are words
	"$bin" train --data synth $dataflags --system "$system" $flags --seed "$seed" --quiet \
		--out "$dir/$label-$seed" > "$dir/$label-$seed.log"
	# shellcheck disable=SC2086
	"$bin" eval --model "$dir/$label-$seed" --data synth $dataflags --json > "$dir/$label-$seed.json.tmp"
	mv "$dir/$label-$seed.json.tmp" "$dir/$label-$seed.json"
	echo "done $regime $label $seed"
	exit 0
fi
out=$(mkdir -p "$1" && cd "$1" && pwd)
seeds=${2:-5}
jobs=${3:-2}
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$self")/.."
bin=$(mktemp -d)/modistill
go build -o "$bin" ./cmd/modistill
# The positive regime, fixed before any distillation result on it was seen
# (README, "The synthetic benchmark").
positive="--synth-params sarcasm=0,audio-flag=0,visual-flag=0,label-noise=1,audio-cue=2,audio-noise=0.6,visual-cue=0.3,cue-word-rate=0.15 --synth-test 5000"
regimes="negative|--synth-test 5000
positive-300|$positive --synth-train 300
positive-1000|$positive --synth-train 1000
positive-5000|$positive --synth-train 5000"
# LABEL|SYSTEM|TRAIN FLAGS (the oracle's flag changes training labels only;
# its test split is every row's).
variants="tucker-s|tucker-s|
lmf-s|lmf-s|
ours-literal|ours-literal|
ours|ours|
ours-fixed|ours-fixed|
ours-frozen|ours|--teacher frozen
ours-crossfit|ours|--teacher cross-fitted
oracle|tucker-s|--synth-oracle"
for seed in $(seq 1 "$seeds"); do
	echo "$regimes" | while IFS='|' read -r regime dataflags; do
		mkdir -p "$out/$regime"
		echo "$variants" | while IFS='|' read -r label system flags; do
			printf '%s\0%s\0%s\0%s\0%s\0%s\0' "$regime" "$dataflags" "$label" "$system" "$flags" "$seed"
		done
	done
done | OUT=$out BIN=$bin xargs -0 -n 6 -P "$jobs" sh -c 'exec "$0" --one "$1" "$2" "$3" "$4" "$5" "$6" "$OUT" "$BIN"' "$self"
