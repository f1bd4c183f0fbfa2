#!/usr/bin/python3
"""Writes the small pickles the pickle package's tests read, with Debian's
python3-numpy: the same nested dict of numpy arrays at protocols 0, 1, 2, 4
and 5 (in-band), and at protocol 0 as Python 2 wrote it (str as STRING
literals); an MMSA-shaped file with object arrays and a Fortran-order array,
at protocols 4 and 0; and plain_p0.pkl, protocol 0's text opcodes for plain
values (the Go test lists what it holds). Run from this folder:
/usr/bin/python3 make_pickles.py

expected.json records what each file holds, for the Go tests."""
import io
import json
import pickle
import numpy as np


class Py2Pickler(pickle._Pickler):
    """Protocol 0 as Python 2 wrote it: a str (bytes here) is a STRING
    opcode with its repr, which bytes' repr in Python 3 matches, b aside."""
    dispatch = dict(pickle._Pickler.dispatch)

    def save_py2_str(self, obj):
        self.write(pickle.STRING + repr(obj)[1:].encode("ascii") + b"\n")
        self.memoize(obj)

    dispatch[bytes] = save_py2_str


def py2_dumps(obj):
    f = io.BytesIO()
    Py2Pickler(f, protocol=0).dump(obj)
    return f.getvalue()


rng = np.random.default_rng(3)
a = rng.standard_normal((3, 4)).astype(np.float32)
a[0, 1] = np.nan
a[2, 3] = np.inf
text = rng.standard_normal((3, 2, 5)).astype(np.float32)
label = np.array([[1.5], [-0.25], [3.0]], dtype=np.float32)
lmf = {"train": {"covarep": a, "facet": a[:, :2].copy(), "glove": text, "label": label}}
lmf_bytes = {k.encode(): {kk.encode(): vv for kk, vv in v.items()} for k, v in lmf.items()}

for proto in (0, 1, 2, 4, 5):
    with open(f"lmf_p{proto}.pkl", "wb") as f:
        pickle.dump(lmf_bytes, f, protocol=proto)
with open("lmf_py2_p0.pkl", "wb") as f:
    f.write(py2_dumps(lmf_bytes))

fortran = np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3))
mmsa = {"train": {
    "text": rng.standard_normal((2, 3, 4)).astype(np.float32),
    "audio": rng.standard_normal((2, 5, 2)).astype(np.float32),
    "vision": rng.standard_normal((2, 5, 3)).astype(np.float32),
    "regression_labels": np.array([0.5, -1.0], dtype=np.float32),
    "audio_lengths": [5, 3],
    "vision_lengths": np.array([4, 5], dtype=np.int64),
    "id": np.array(["vid$_$1", "vid$_$2"], dtype=object),
    "raw_text": np.array(["so good", "bad"], dtype=object),
    "fortran": fortran,
    "flags": np.array([True, False]),
}}
with open("mmsa_p4.pkl", "wb") as f:
    pickle.dump(mmsa, f, protocol=4)
with open("mmsa_p0.pkl", "wb") as f:
    pickle.dump(mmsa, f, protocol=0)

# Protocol 0's text opcodes for plain values: INT, LONG, FLOAT, UNICODE with
# raw-unicode-escape (latin-1 bytes, \\u escapes for backslash, NUL, newline,
# \\r and non-latin-1), bytes through _codecs.encode and bytes(), MARK with
# LIST, DICT and TUPLE, PUT and GET (the shared list), a set and a bytearray.
shared = [1, "two"]
plain = {
    "ints": [0, -1, 2**31 - 1, -2**31, 2**40, -2**62],
    "floats": [1.5, -0.0, 1e-300, float("inf"), float("-inf"), float("nan")],
    "str": "caf\u00e9 \u20ac \U0001f600 back\\slash new\nline nul\0 cr\r z\x1a",
    "bytes": b"\x00\n\r\\\xff'\"",
    "empty_bytes": b"",
    "bytearray": bytearray(b"ab\x00\xff"),
    "nested": {"t": (1, "a", None, True, False), "empty_t": (), "l": [], "d": {}},
    "shared": [shared, shared],
    "set": {3},
    7: "int key",
}
with open("plain_p0.pkl", "wb") as f:
    pickle.dump(plain, f, protocol=0)
with open("plain_py2_p0.pkl", "wb") as f:
    f.write(py2_dumps({b"bytes": b"\x00\n\r\\\xff'\"\t\x7f", b"quote": b"it's", b"int": 5}))

expected = {
    "covarep": {"shape": list(a.shape), "data": [None if not np.isfinite(v) else float(v) for v in a.reshape(-1)],
                "nonfinite": {"1": "nan", "11": "inf"}},
    "glove": {"shape": list(text.shape), "data": [float(v) for v in text.reshape(-1)]},
    "label": [float(v) for v in label.reshape(-1)],
    "mmsa_text_first": float(mmsa["train"]["text"].reshape(-1)[0]),
    "fortran_c_order": [float(v) for v in np.ascontiguousarray(fortran).reshape(-1)],
}
with open("expected.json", "w") as f:
    json.dump(expected, f)

# A pickle written by the Go encoder in Python 2's layout, if the Go test left one here.
try:
    with open("/tmp/modistill_py2_check.pkl", "rb") as f:
        d = pickle.load(f, encoding="bytes")
    print("Go-written Python 2 style pickle reads in Python 3:", {k: {kk: vv.shape for kk, vv in v.items()} for k, v in d.items()})
except FileNotFoundError:
    pass
print("wrote lmf_p{0,1,2,4,5}.pkl lmf_py2_p0.pkl mmsa_p{4,0}.pkl plain_p0.pkl plain_py2_p0.pkl expected.json")
