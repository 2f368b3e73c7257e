"""safetensors files of F32 and I64 tensors, read and written with numpy by the published format (the Debian python
has no safetensors package): an 8-byte little-endian header length, a JSON header {name: {dtype, shape,
data_offsets}} padded with spaces to a multiple of 8, then the raw little-endian row-major data."""
import json
import struct

import numpy as np

DTYPES = {"F32": "<f4", "I64": "<i8"}


def save(path, tensors, metadata=None):
    """Writes {name: numpy array}; float arrays as F32, integer arrays as I64, in the dict's order."""
    header = {"__metadata__": dict(metadata or {"format": "pt"})}
    blobs, offset = [], 0
    for name, value in tensors.items():
        value = np.asarray(value)
        dtype = "I64" if np.issubdtype(value.dtype, np.integer) else "F32"
        blob = np.ascontiguousarray(value, dtype=DTYPES[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(value.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load(path):
    """{name: numpy array} of every tensor in the file (F32 or I64; anything else is an error naming the tensor)."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    start, tensors = 8 + length, {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}; only {', '.join(DTYPES)} are read")
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[start + begin:start + end], dtype=DTYPES[entry["dtype"]])
        tensors[name] = array.reshape(entry["shape"]).copy()
    return tensors
