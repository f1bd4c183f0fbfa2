#!/usr/bin/python3
"""Writes small computational sequences laid out as CMU-MultimodalSDK's
write_CSD does (<name>/data/<video>/{features, intervals}, gzip, and
<name>/metadata/<key> vlen JSON strings), for the tests of `modistill data
assemble`, with Debian's python3-h5py (apt-get install -y python3-h5py).
Run from this folder: /usr/bin/python3 make_csd.py

labels.csd   one sentiment value per segment, 3 segments per video
words.csd    word-level text vectors (4-d), 2 to 4 words per segment, the
             first word of v1's second segment shorter than eps (skipped)
audio.csd    audio frames (3-d) every 0.1 s, with a gap over v2's third word
visual.csd   visual frames (2-d) every 0.25 s
folds.json   train v1-v4, valid v5, test v6 (v7 in no fold; v8 only in
             labels.csd, dropped by unify)
"""
import json
import h5py
import numpy as np

rng = np.random.default_rng(5)
videos = ["v%d" % i for i in range(1, 8)]


def write(path, name, entries, dims):
    with h5py.File(path, "w") as f:
        root = f.create_group(name)
        data = root.create_group("data")
        for vid, (iv, feats) in entries.items():
            g = data.create_group(vid)
            g.create_dataset("features", data=np.asarray(feats, np.float32), compression="gzip")
            g.create_dataset("intervals", data=np.asarray(iv, np.float32), compression="gzip")
        meta = root.create_group("metadata")
        dt = h5py.special_dtype(vlen=str)
        for k, v in (("root name", json.dumps(name)), ("dimension names", json.dumps(dims)), ("md5", "null")):
            meta.create_dataset(k, (1,), dtype=dt)[0] = v


labels, words, audio, visual = {}, {}, {}, {}
for vid in videos + ["v8"]:
    seg_iv, seg_y, w_iv, w_f = [], [], [], []
    t = 0.0
    for s in range(3):
        start = t
        for k in range(rng.integers(2, 5)):
            d = 1e-6 if (vid == "v1" and s == 1 and k == 0) else float(rng.uniform(0.2, 0.6))
            w_iv.append([t, t + d])
            w_f.append(rng.standard_normal(4))
            t += d
        seg_iv.append([start, t])
        seg_y.append([float(np.clip(rng.normal(0, 1.5), -3, 3))])
        t += 0.3
    labels[vid] = (seg_iv, seg_y)
    if vid == "v8":
        continue
    words[vid] = (w_iv, w_f)
    a_iv = [[x, x + 0.1] for x in np.arange(0, t, 0.1)]
    if vid == "v2":  # a gap over the third word
        lo, hi = w_iv[2]
        a_iv = [r for r in a_iv if r[1] <= lo or r[0] >= hi]
    audio[vid] = (a_iv, rng.standard_normal((len(a_iv), 3)))
    v_iv = [[x, x + 0.25] for x in np.arange(0, t, 0.25)]
    visual[vid] = (v_iv, rng.standard_normal((len(v_iv), 2)))

write("labels.csd", "Opinion Segment Labels", labels, ["sentiment"])
write("words.csd", "glove_vectors", words, ["w%d" % i for i in range(4)])
write("audio.csd", "COVAREP", audio, ["a%d" % i for i in range(3)])
write("visual.csd", "FACET", visual, ["v0", "v1"])
with open("folds.json", "w") as f:
    json.dump({"train": ["v1", "v2", "v3", "v4"], "valid": ["v5"], "test": ["v6"]}, f, indent=1)
