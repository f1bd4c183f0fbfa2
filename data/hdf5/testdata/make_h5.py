#!/usr/bin/python3
"""Writes the small HDF5 files the hdf5 and csd packages' tests read, with
Debian's python3-h5py (apt-get install -y python3-h5py), and expected.json
with what h5py reads back from them. Run from this folder:
    /usr/bin/python3 make_h5.py

../../csd/testdata/seq.csd
               a computational sequence laid out as CMU-MultimodalSDK's
               write_CSD does: <name>/data/<video>/{features, intervals}
               (gzip 9) and <name>/metadata/<key> vlen JSON strings
edge.h5        multi-chunk datasets (85 chunks: an internal B-tree level;
               edge chunks), shuffle+gzip, an empty (0, 5) dataset, float64
               contiguous data, a 300-link group (level-1 group B-tree), and
               a group whose header needs continuation blocks
latest.h5      libver='latest' (superblock v3): must be rejected
track.h5       track_order=True (v2 object headers): must be rejected
"""
import json
import h5py
import numpy as np

rng = np.random.default_rng(11)
expected = {}

with h5py.File("../../csd/testdata/seq.csd", "w") as f:  # the csd package reads it
    root = f.create_group("Test Labels")
    data = root.create_group("data")
    for vid, n in (("vidA", 3), ("vidB", 5), ("vid_c", 1)):
        g = data.create_group(vid)
        feats = rng.uniform(-3, 3, (n, 1)).astype(np.float32)
        iv = np.cumsum(rng.uniform(0.5, 2, (n, 2)), axis=None).reshape(n, 2).astype(np.float32)
        g.create_dataset("features", data=feats, compression="gzip", compression_opts=9)
        g.create_dataset("intervals", data=iv, compression="gzip", compression_opts=9)
        expected[vid] = {"features": feats.reshape(-1).tolist(), "intervals": iv.reshape(-1).tolist()}
    meta = root.create_group("metadata")
    dt = h5py.special_dtype(vlen=str)
    for k, v in (("root name", json.dumps("Test Labels")), ("dimension names", json.dumps(["sentiment score"])), ("md5", "null")):
        meta.create_dataset(k, (1,), dtype=dt)[0] = v
    expected["metadata"] = {"root name": json.dumps("Test Labels"), "dimension names": json.dumps(["sentiment score"]), "md5": "null"}

with h5py.File("edge.h5", "w") as f:
    big = rng.standard_normal((130, 20)).astype(np.float32)
    f.create_dataset("multichunk", data=big, chunks=(8, 4), compression="gzip")
    f.create_dataset("shuffled", data=big[:17, :7], chunks=(5, 3), shuffle=True, compression="gzip")
    f.create_dataset("empty", shape=(0, 5), dtype=np.float32, compression="gzip")
    f.create_dataset("never_written", shape=(2, 3), dtype=np.float32)
    d64 = rng.standard_normal((4, 3))
    f.create_dataset("f64", data=d64)
    many = f.create_group("many")
    for i in range(300):
        many.create_dataset(f"x{i:03d}", data=np.array([i], dtype=np.float32))
    cont = f.create_group("continued")
    cont.create_dataset("v", data=np.arange(6, dtype=np.float32).reshape(2, 3))
    for i in range(40):
        cont.attrs[f"attribute_{i:02d}"] = np.arange(8, dtype=np.float64) + i
    expected["multichunk"] = {"shape": list(big.shape), "data": big.reshape(-1).tolist()}
    expected["shuffled"] = {"shape": [17, 7], "data": big[:17, :7].reshape(-1).tolist()}
    expected["f64"] = {"shape": [4, 3], "data": d64.reshape(-1).tolist()}

with h5py.File("latest.h5", "w", libver="latest") as f:
    f.create_dataset("x", data=np.zeros(3, dtype=np.float32))
with h5py.File("track.h5", "w", track_order=True) as f:
    f.create_group("g", track_order=True).create_dataset("x", data=np.zeros(3, dtype=np.float32))

with h5py.File("edge.h5", "r") as f:  # check what the Go tests assume about the layout
    assert f["multichunk"].chunks == (8, 4) and f["shuffled"].shuffle
with open("expected.json", "w") as fh:
    json.dump({k: v for k, v in expected.items() if k in ("multichunk", "shuffled", "f64")}, fh)
with open("../../csd/testdata/expected.json", "w") as fh:
    json.dump({k: v for k, v in expected.items() if k not in ("multichunk", "shuffled", "f64")}, fh)
print("wrote ../../csd/testdata/seq.csd edge.h5 latest.h5 track.h5 expected.json")
