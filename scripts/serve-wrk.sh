#!/bin/sh
# serve-wrk.sh MODEL_DIR: modistill serve's throughput and latency under wrk.
# Design: the server serves MODEL_DIR (a model with 73-d audio, 100-d visual and raw text, such as
# Ours trained on the bc-LSTM release with GloVe text) on 127.0.0.1, GOMAXPROCS as the machine;
# the client is wrk (Debian's), 1 thread, 8 connections, 15 s, on the same machine; the bodies
# are text_raw alone, and audio + visual + text_raw; three rounds, alternating. Quote medians.
set -eu
model=${1:?usage: serve-wrk.sh MODEL_DIR}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
text='{"name": "text_raw", "shape": [1], "datatype": "BYTES", "data": ["i loved this movie it was really great"]}'
vec() { awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%s%.4f", (i ? ", " : ""), rand() * 2 - 1 }'; }
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{"inputs": [%s]}]]\n' "$text" > "$dir/text.lua"
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{"inputs": [{"name": "audio", "shape": [73], "datatype": "FP32", "data": [%s]}, {"name": "visual", "shape": [100], "datatype": "FP32", "data": [%s]}, %s]}]]\n' "$(vec 73 1)" "$(vec 100 2)" "$text" > "$dir/all.lua"
grep -m1 "model name" /proc/cpuinfo || true
go build -o "$dir/modistill" ./cmd/modistill
/usr/bin/time -v "$dir/modistill" serve --model m="$model" --addr 127.0.0.1:18090 > "$dir/serve.out" 2> "$dir/serve.err" &
sleep 1
for round in 1 2 3; do
	for body in text all; do
		echo "== round $round: $body"
		wrk -t1 -c8 -d15s --latency -s "$dir/$body.lua" http://127.0.0.1:18090/v2/models/m/infer | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
	done
done
curl -s http://127.0.0.1:18090/metrics | grep requests_total
pkill -TERM -f "^$dir/modistill serve"
sleep 2
grep -E "Maximum resident|Exit status" "$dir/serve.err"
