#!/bin/sh
# Times modistill and the PyTorch reference on the same workload, alternating
# them ROUNDS times so that all see the same machine noise. PyTorch runs with
# 1 and with 2 intra-op threads (torch_ref.py's --threads; OpenBLAS held to
# one thread, OpenMP waiting passively), and modistill is compared with the
# faster of the two on each figure, as issue 15 asks. Prints the CPU, every
# round, the medians and the ratios. The README's performance figures come
# from this script.
#
#   bench/side_by_side.sh [ROUNDS] [MODEL]      (defaults: 5 lmf; MODEL lmf or ours)
#
# Needs Debian's torch (apt-get install -y python3-torch python3-numpy
# libopenblas0-pthread) and ../shared/bench/torch_ref.py beside the checkout
# (or TORCH_REF=path).
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-5}
model=${2:-lmf}
ref=${TORCH_REF:-../shared/bench/torch_ref.py}
if [ ! -f "$ref" ]; then
	echo "side_by_side.sh: no PyTorch reference at $ref (set TORCH_REF to torch_ref.py's path)" >&2
	exit 2
fi
grep -m1 "model name" /proc/cpuinfo || true
echo "cores: $(nproc); CPU flags: $(grep -m1 -o -w -E 'avx2|fma|avx512f|amx_tile' /proc/cpuinfo | sort -u | tr '\n' ' ')"
go build -o /tmp/modistill-bench ./cmd/modistill
out=$(mktemp)
i=0
while [ "$i" -lt "$rounds" ]; do
	/usr/bin/python3 "$ref" bench --model "$model" --threads 1 --json | sed 's/^/torch1 /' >>"$out"
	/usr/bin/python3 "$ref" bench --model "$model" --threads 2 --json | sed 's/^/torch2 /' >>"$out"
	/tmp/modistill-bench bench --model "$model" --json | sed 's/^/go /' >>"$out"
	i=$((i + 1))
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = {"torch1": [], "torch2": [], "go": []}
for line in open(sys.argv[1]):
    who, js = line.split(" ", 1)
    d = json.loads(js)
    rows[who].append((d.get("train_steps_per_s", d.get("steps_per_s")), d["infer_samples_per_s"], d["peak_rss_mib"]))
for who, r in rows.items():
    print(f"{who:6s} train steps/s {[round(x[0], 1) for x in r]}  infer samples/s {[round(x[1]) for x in r]}  peak RSS MiB {[round(x[2]) for x in r]}")
med = {w: [statistics.median(x[i] for x in r) for i in range(3)] for w, r in rows.items()}
for w, m in med.items():
    print(f"median {w:6s}: train {m[0]:.1f} steps/s, inference {m[1]:.0f} samples/s, peak RSS {m[2]:.0f} MiB")
best_train = max(("torch1", "torch2"), key=lambda w: med[w][0])
best_infer = max(("torch1", "torch2"), key=lambda w: med[w][1])
print(f"ratio go / faster torch: train {med['go'][0] / med[best_train][0]:.2f}x (vs {best_train}), "
      f"inference {med['go'][1] / med[best_infer][1]:.2f}x (vs {best_infer}), "
      f"peak RSS {med['go'][2] / min(med['torch1'][2], med['torch2'][2]):.2f}x")
PY
rm -f "$out"
