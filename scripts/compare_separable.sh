#!/bin/sh
# Trains and evaluates the separable systems and LMF on the synthetic MOSI
# benchmark (data seed 1) for model seeds 1..SEEDS, writing one eval JSON per
# run under OUT. The issue-4 comparison; `modistill paper` will replace it.
#   scripts/compare_separable.sh OUT [SEEDS]
set -eu
out=$1
seeds=${2:-5}
cd "$(dirname "$0")/.."
go build -o /tmp/modistill-cmp ./cmd/modistill
mkdir -p "$out"
for seed in $(seq 1 "$seeds"); do
	for sys in ours ours-descend ours-fixed tucker-s lmf-s lmf; do
		name=$sys
		extra=""
		if [ "$sys" = ours-descend ]; then
			name=ours
			extra="--temperature-grad descend"
		fi
		dir="$out/$sys-$seed"
		[ -f "$out/$sys-$seed.json" ] && continue
		rm -rf "$dir"
		/tmp/modistill-cmp train --data synth --system "$name" $extra --seed "$seed" --quiet --out "$dir" > "$dir.log"
		/tmp/modistill-cmp eval --model "$dir" --data synth --json > "$out/$sys-$seed.json.tmp"
		mv "$out/$sys-$seed.json.tmp" "$out/$sys-$seed.json"
	done
done
