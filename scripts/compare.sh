#!/bin/sh
# Trains and evaluates variants of the systems on the synthetic MOSI
# benchmark (data seed 1) for model seeds 1..SEEDS, writing one eval JSON per
# run, OUT/LABEL-SEED.json, for `modistill summarize --in OUT`. Finished runs
# are skipped, so an interrupted comparison resumes.
#
#   scripts/compare.sh OUT SEEDS VARIANT...
#
# A VARIANT is LABEL=SYSTEM or LABEL=SYSTEM:FLAGS, FLAGS being train flags
# joined by commas, for example ours-descend=ours:--temperature-grad,descend
# DATAFLAGS (environment) adds data flags to both train and eval, for
# example DATAFLAGS="--synth-train 300".
set -eu
dataflags=${DATAFLAGS:-}
out=$1
seeds=$2
shift 2
cd "$(dirname "$0")/.."
go build -o /tmp/modistill-compare ./cmd/modistill
mkdir -p "$out"
for seed in $(seq 1 "$seeds"); do
	for variant in "$@"; do
		label=${variant%%=*}
		spec=${variant#*=}
		system=${spec%%:*}
		flags=""
		case "$spec" in *:*) flags=$(echo "${spec#*:}" | tr ',' ' ') ;; esac
		[ -f "$out/$label-$seed.json" ] && continue
		if [ -e "$out/$label-$seed" ]; then
			echo "compare.sh: $out/$label-$seed exists without $label-$seed.json (an interrupted run?); move it aside and rerun" >&2
			exit 1
		fi
		/tmp/modistill-compare train --data synth $dataflags --system "$system" $flags --seed "$seed" --quiet \
			--out "$out/$label-$seed" > "$out/$label-$seed.log"
		/tmp/modistill-compare eval --model "$out/$label-$seed" --data synth $dataflags --json > "$out/$label-$seed.json.tmp"
		mv "$out/$label-$seed.json.tmp" "$out/$label-$seed.json"
	done
done
