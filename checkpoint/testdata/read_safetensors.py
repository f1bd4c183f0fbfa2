#!/usr/bin/python3
"""Reads a model.safetensors with numpy alone, following the format's
published layout (8-byte little-endian header length, JSON header with
dtype, shape and data_offsets, raw little-endian data), as an independent
check of package checkpoint's writer where Python's safetensors library is
not installable. Usage: /usr/bin/python3 read_safetensors.py MODEL_DIR
Prints each tensor's name, shape and first values, and the metadata."""
import json
import struct
import sys
import numpy as np

path = sys.argv[1].rstrip("/") + "/model.safetensors"
with open(path, "rb") as f:
    buf = f.read()
(n,) = struct.unpack("<Q", buf[:8])
header = json.loads(buf[8:8 + n])
data = buf[8 + n:]
meta = header.pop("__metadata__", {})
end = 0
for name, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
    assert e["dtype"] == "F32", e
    lo, hi = e["data_offsets"]
    assert lo == end, (name, lo, end)  # contiguous, in order, no gaps
    end = hi
    t = np.frombuffer(data[lo:hi], dtype="<f4").reshape(e["shape"])
    print(f"{name:32s} {str(tuple(t.shape)):16s} {t.reshape(-1)[:3]}")
assert end == len(data), (end, len(data))
print("metadata", meta, "| tensors", len(header), "| data bytes", len(data))
