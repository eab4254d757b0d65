"""A hand-written safetensors reader and writer (no `safetensors` package needed).

The format: an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON
{name: {"dtype", "shape", "data_offsets": [begin, end]}, optional "__metadata__": {str: str}},
then the raw little-endian tensor bytes; offsets count from the start of the data section, and the
tensors tile it exactly. The reader validates all of that, and the per-tensor SHA-256 checksums
that UnrolledRnn records in the metadata ("unrolledrnn.sha256.<name>"; one for every tensor, or none),
as the C# reader does.
"""

import hashlib
import json
import os
import struct
import tempfile

import numpy as np
import torch

# dtype name -> (torch dtype, little-endian numpy dtype)
DTYPES = {
    "F32": (torch.float32, np.dtype("<f4")),
    "F64": (torch.float64, np.dtype("<f8")),
    "I64": (torch.int64, np.dtype("<i8")),
}
CHECKSUM_PREFIX = "unrolledrnn.sha256."


def save(path, tensors, metadata=None):
    """Writes {name: tensor} (float32/float64/int64) atomically: a temporary file, then a rename."""
    header, blobs, offset = {}, [], 0
    metadata = dict(metadata or {})
    for name, tensor in tensors.items():
        tensor = tensor.detach().contiguous().cpu()
        dtype_name = next(k for k, (t, _) in DTYPES.items() if t == tensor.dtype)
        data = tensor.numpy().astype(DTYPES[dtype_name][1], copy=False).tobytes()
        header[name] = {"dtype": dtype_name, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        metadata[CHECKSUM_PREFIX + name] = hashlib.sha256(data).hexdigest()
        blobs.append(data)
        offset += len(data)
    header = {"__metadata__": metadata, **header}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(struct.pack("<Q", len(text)))
            stream.write(text)
            for blob in blobs:
                stream.write(blob)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def load(path):
    """Reads and validates a file; returns ({name: tensor}, metadata)."""
    with open(path, "rb") as stream:
        raw = stream.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: {len(raw)} bytes, too short for the header length")
    (length,) = struct.unpack_from("<Q", raw, 0)
    if length > len(raw) - 8:
        raise ValueError(f"{path}: header length {length} exceeds the {len(raw) - 8} bytes that follow")
    header = json.loads(raw[8:8 + length].decode("utf-8"))
    data = raw[8 + length:]
    metadata = header.pop("__metadata__", {})
    tensors, position = {}, 0
    for name, entry in sorted(header.items(), key=lambda item: tuple(item[1]["data_offsets"])):
        begin, end = entry["data_offsets"]
        if begin != position:
            raise ValueError(f"{path}: tensor {name!r} begins at {begin}, expected {position}")
        torch_dtype, numpy_dtype = DTYPES[entry["dtype"]]
        count = int(np.prod(entry["shape"], dtype=np.int64))
        if end - begin != count * numpy_dtype.itemsize:
            raise ValueError(f"{path}: tensor {name!r} has {end - begin} bytes for shape {entry['shape']}")
        blob = data[begin:end]
        expected = metadata.get(CHECKSUM_PREFIX + name)
        if expected is not None and hashlib.sha256(blob).hexdigest() != expected:
            raise ValueError(f"{path}: tensor {name!r} does not match its checksum")
        array = np.frombuffer(blob, dtype=numpy_dtype, count=count).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.astype(array.dtype.newbyteorder("="), copy=True))
        position = end
    checksums = [key for key in metadata if key.startswith(CHECKSUM_PREFIX)]
    if checksums and len(checksums) != len(tensors):
        raise ValueError(f"{path}: {len(checksums)} checksums for {len(tensors)} tensors")
    if position != len(data):
        raise ValueError(f"{path}: the tensors cover {position} of {len(data)} data bytes")
    return tensors, metadata
