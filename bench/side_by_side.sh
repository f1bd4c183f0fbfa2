#!/bin/sh
# Times modistill and the PyTorch reference on the same workload, alternating
# them ROUNDS times so that both see the same machine noise, then prints the
# median of each and their ratio. The README's performance figures come from
# this script.
#
#   bench/side_by_side.sh [ROUNDS] [MODEL]      (defaults: 5 lmf)
#
# Needs Debian's torch (apt-get install -y python3-torch python3-numpy
# libopenblas0-pthread) and ../shared/bench/torch_ref.py beside the checkout
# (or TORCH_REF=path).
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-5}
model=${2:-lmf}
ref=${TORCH_REF:-../shared/bench/torch_ref.py}
go build -o /tmp/modistill-bench ./cmd/modistill
out=$(mktemp)
i=0
while [ "$i" -lt "$rounds" ]; do
	/usr/bin/python3 "$ref" bench --model "$model" --json | sed 's/^/torch /' >>"$out"
	/tmp/modistill-bench bench --model "$model" --json | sed 's/^/go /' >>"$out"
	i=$((i + 1))
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = {"torch": [], "go": []}
for line in open(sys.argv[1]):
    who, js = line.split(" ", 1)
    d = json.loads(js)
    rows[who].append((d.get("train_steps_per_s", d.get("steps_per_s")), d["infer_samples_per_s"], d["peak_rss_mib"]))
for who, r in rows.items():
    print(f"{who:5s} train steps/s {[x[0] for x in r]}  infer samples/s {[x[1] for x in r]}  peak RSS MiB {[x[2] for x in r]}")
med = {w: [statistics.median(x[i] for x in r) for i in range(3)] for w, r in rows.items()}
for w, m in med.items():
    print(f"median {w:5s}: train {m[0]:.1f} steps/s, inference {m[1]:.0f} samples/s, peak RSS {m[2]:.0f} MiB")
print(f"ratio go/torch: train {med['go'][0] / med['torch'][0]:.2f}x, inference {med['go'][1] / med['torch'][1]:.2f}x")
PY
rm -f "$out"
