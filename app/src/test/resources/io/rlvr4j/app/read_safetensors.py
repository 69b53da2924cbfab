"""An independent safetensors reader (Python standard library only): checks a checkpoint directory as
the format is specified (8-byte little-endian header length, JSON header, contiguous data in header
order of offsets, an index naming every shard) and prints, as JSON, each tensor's dtype, shape and the
SHA-256 of its bytes.

usage: python3 read_safetensors.py MODEL_DIR
"""
import hashlib
import json
import os
import struct
import sys

WIDTH = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}


def read_file(path, out):
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        assert 0 < n <= size - 8, f"{path}: header length {n} in a file of {size} bytes"
        header = json.loads(f.read(n).decode("utf-8"))
        header.pop("__metadata__", None)
        start = 8 + n
        end_of_previous = 0
        for name, t in sorted(header.items(), key=lambda e: e[1]["data_offsets"][0]):
            begin, end = t["data_offsets"]
            count = 1
            for d in t["shape"]:
                count *= d
            assert begin == end_of_previous, f"{path}: {name} starts at {begin}, not {end_of_previous}"
            assert end - begin == count * WIDTH[t["dtype"]], f"{path}: {name} has {end - begin} bytes for {t['shape']} {t['dtype']}"
            f.seek(start + begin)
            digest = hashlib.sha256()
            left = end - begin
            while left:
                chunk = f.read(min(left, 1 << 24))
                assert chunk, f"{path}: {name} is cut short"
                digest.update(chunk)
                left -= len(chunk)
            out[name] = {"dtype": t["dtype"], "shape": t["shape"], "sha256": digest.hexdigest(), "file": os.path.basename(path)}
            end_of_previous = end
        assert start + end_of_previous == size, f"{path}: {size - start - end_of_previous} bytes after the last tensor"


def main(model_dir):
    out = {}
    index = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.exists(os.path.join(model_dir, "model.safetensors")):
        read_file(os.path.join(model_dir, "model.safetensors"), out)
    else:
        with open(index) as f:
            weight_map = json.load(f)["weight_map"]
        for shard in sorted(set(weight_map.values())):
            read_file(os.path.join(model_dir, shard), out)
        assert set(weight_map) == set(out), "the index and the shards name different tensors"
        for name, shard in weight_map.items():
            assert out[name]["file"] == shard, f"{name} is in {out[name]['file']}, the index says {shard}"
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
