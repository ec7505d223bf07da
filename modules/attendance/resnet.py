"""dlib's face descriptor network, run on numpy's BLAS instead of the dlib wheel's own loops.

Why: the prebuilt wheel (`dlib-bin`; the project never compiles dlib) is built without BLAS,
so its descriptor took about two thirds of a check-in (155 ms of 236 ms, docs/benchmarks.md).
The same network, with the same weights read from the same model file
(`dlib_face_recognition_resnet_model_v1.dat`), computes its convolutions here as matrix
products in the OpenBLAS that numpy ships: the 128 numbers agree with dlib's own to about
1e-6 (tests/test_face_resnet.py compares them on every test photo and on generated chips).
dlib still finds the face, its five landmarks and the aligned 150-pixel chip.

The model file is dlib's serialisation of the network of dlib's `dnn_face_recognition_ex.cpp`
(a 29-layer ResNet): read back here layer by layer, and refused with `ModelFormatError` unless
it is exactly that network, so another file can never be run half-understood.

numpy releases the GIL inside the matrix products, so a server's event loop keeps answering
while a face is encoded; BLAS runs on one thread (`threadpoolctl`), since requests, not one
product, are what a server runs side by side (two threads on two busy cores ran 10x slower).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

CHIP_SIZE = 150  # dlib's input_rgb_image_sized<150>
CHIP_PADDING = 0.25  # dlib's compute_face_descriptor extracts its chips with this padding


class ModelFormatError(ValueError):
    """The model file is not the network this reader knows."""


class _Reader:
    """dlib's portable serialisation (dlib/serialize.h): the few types the network uses."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def integer(self) -> int:
        head = self.data[self.at]
        size, negative = head & 0x0F, head & 0x80
        value = int.from_bytes(self.data[self.at + 1 : self.at + 1 + size], "little")
        self.at += 1 + size
        return -value if negative else value

    def real(self) -> float:  # mantissa and binary exponent, both as integers
        mantissa = self.integer()
        return mantissa * 2.0 ** self.integer()

    def text(self) -> str:
        size = self.integer()
        value = self.data[self.at : self.at + size].decode("ascii", "replace")
        self.at += size
        return value

    def flag(self) -> bool:
        value = self.data[self.at : self.at + 1]
        self.at += 1
        if value not in (b"0", b"1"):
            raise ModelFormatError(f"a boolean was expected at byte {self.at - 1}")
        return value == b"1"

    def tensor(self) -> np.ndarray:
        self.expect(self.integer(), 2, "tensor version")
        shape = tuple(self.integer() for _ in range(4))
        count = int(np.prod(shape))
        if self.at + 4 * count > len(self.data):
            raise ModelFormatError("the file ends inside a tensor")
        values = np.frombuffer(self.data, "<f4", count, self.at).astype(np.float32)
        self.at += 4 * count
        return values

    def alias(self) -> tuple[int, ...]:
        self.expect(self.integer(), 1, "alias version")
        return tuple(self.integer() for _ in range(4))

    @staticmethod
    def expect(found: object, wanted: object, what: str) -> None:
        if found != wanted:
            raise ModelFormatError(f"{what}: {found!r} where {wanted!r} was expected")


@dataclass(frozen=True)
class Conv:
    weights: np.ndarray  # (kernel rows * kernel cols * channels in, filters), for windows in HWC order
    bias: np.ndarray
    size: int
    stride: int
    padding: int

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.padding:
            p = self.padding
            x = np.pad(x, ((p, p), (p, p), (0, 0)))
        windows = sliding_window_view(x, (self.size, self.size), axis=(0, 1))[:: self.stride, :: self.stride]
        rows, cols = windows.shape[:2]
        columns = windows.transpose(0, 1, 3, 4, 2).reshape(rows * cols, -1)
        out = columns @ self.weights
        out += self.bias
        return out.reshape(rows, cols, -1)


@dataclass(frozen=True)
class Affine:  # batch normalisation folded into a scale and a shift per channel
    gamma: np.ndarray
    beta: np.ndarray

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x *= self.gamma
        x += self.beta
        return x


@dataclass(frozen=True)
class Block:
    """conv, affine, relu, conv, affine; added to the block's input (pooled 2x2 when `down`)."""

    first: Conv
    first_affine: Affine
    second: Conv
    second_affine: Affine
    down: bool

    def __call__(self, x: np.ndarray) -> np.ndarray:
        y = np.maximum(self.first_affine(self.first(x)), 0)
        y = self.second_affine(self.second(y))
        shortcut = _pool(x, 2, 2, np.mean) if self.down else x
        if shortcut.shape != y.shape:  # dlib's add_prev: the smaller is zero-padded at the end
            out = np.zeros(tuple(map(max, shortcut.shape, y.shape)), np.float32)
            out[: y.shape[0], : y.shape[1], : y.shape[2]] += y
            out[: shortcut.shape[0], : shortcut.shape[1], : shortcut.shape[2]] += shortcut
            y = out
        else:
            y += shortcut
        return np.maximum(y, 0, out=y)


def _pool(x: np.ndarray, size: int, stride: int, reduce: Callable[..., np.ndarray]) -> np.ndarray:
    """dlib's max_pool / avg_pool with no padding: `reduce` (np.max, np.mean) over each window."""
    windows = sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]
    return reduce(windows, axis=(3, 4)).astype(np.float32)


@dataclass(frozen=True)
class Network:
    mean: np.ndarray  # the RGB means the input layer subtracts (then it divides by 256)
    stem: Conv
    stem_affine: Affine
    blocks: tuple[Block, ...]
    projection: np.ndarray  # (256, 128), no bias

    def descriptor(self, chip: np.ndarray) -> np.ndarray:
        """The 128 numbers of an aligned 150x150 RGB face chip (dlib's `get_face_chip`)."""
        if chip.shape != (CHIP_SIZE, CHIP_SIZE, 3):
            raise ValueError(f"a {CHIP_SIZE}x{CHIP_SIZE} RGB chip is needed, not {chip.shape}")
        x = (chip.astype(np.float32) - self.mean) / np.float32(256)
        x = np.maximum(self.stem_affine(self.stem(x)), 0)
        x = _pool(x, 3, 2, np.max)
        for block in self.blocks:
            x = block(x)
        return x.mean(axis=(0, 1), dtype=np.float32) @ self.projection


def _layer(reader: _Reader, first: bool) -> tuple[str, object]:
    """One layer's details and the training state dlib stores after them (skipped)."""
    name = reader.text()
    value: object = None
    if name in ("con_4", "con_5"):
        params = reader.tensor()
        filters, rows, cols, stride, stride_x, padding, padding_x = (reader.integer() for _ in range(7))
        shape, bias_shape = reader.alias(), reader.alias()
        for _ in range(4):
            reader.real()  # learning-rate and weight-decay multipliers
        if name == "con_5":
            reader.flag()  # use_bias
        reader.expect((rows, stride, padding), (cols, stride_x, padding_x), "a square kernel")
        count = int(np.prod(shape))
        reader.expect(shape[0], filters, "filters")
        weights = params[:count].reshape(shape).transpose(2, 3, 1, 0).reshape(-1, filters)
        bias = params[count : count + filters] if bias_shape[1] else np.zeros(filters, np.float32)
        value = Conv(np.ascontiguousarray(weights), bias.copy(), rows, stride, padding)
    elif name == "affine_":
        params = reader.tensor()
        channels = reader.alias()[1]
        reader.alias()
        reader.expect(reader.integer(), 0, "affine mode (per channel)")
        value = Affine(params[:channels].copy(), params[channels : 2 * channels].copy())
    elif name in ("max_pool_2", "avg_pool_2"):
        value = tuple(reader.integer() for _ in range(6))  # rows, cols, strides, paddings
    elif name == "fc_2":
        outputs, inputs = reader.integer(), reader.integer()
        params = reader.tensor()
        reader.alias()
        reader.alias()
        reader.expect(reader.integer(), 1, "fc without bias")
        while reader.data[reader.at : reader.at + 1] not in (b"0", b"1"):
            reader.real()  # its multipliers
        value = params.reshape(inputs, outputs).copy()
    elif name not in ("relu_", "add_prev_"):
        raise ModelFormatError(f"unknown layer {name!r}")
    for _ in range(3):
        reader.flag()
    for _ in range(3):
        reader.tensor()  # gradients and cached outputs: empty in a saved model
    if first:
        reader.integer()  # the input layer's sample expansion factor
    return name, value


def read_network(data: bytes) -> Network:
    """The network in a dlib model file, or ModelFormatError."""
    try:
        return _read(_Reader(data))
    except (IndexError, ValueError) as exc:
        if isinstance(exc, ModelFormatError):
            raise
        raise ModelFormatError(f"not dlib's face descriptor model: {exc}") from exc


def _read(reader: _Reader) -> Network:
    reader.expect(reader.integer(), 1, "loss layer version")
    reader.expect(reader.text(), "loss_metric_2", "loss layer")
    reader.real(), reader.real()  # margin and distance threshold: training only
    while (version := reader.integer()) != 3:  # the nesting of layers, outside in, to the input
        reader.expect(version in (1, 2), True, "layer version")
    reader.expect(reader.text(), "input_rgb_image_sized", "input layer")
    mean = np.array([reader.real() for _ in range(3)], np.float32)
    reader.expect((reader.integer(), reader.integer()), (CHIP_SIZE, CHIP_SIZE), "input size")
    layers = [_layer(reader, first=True)]
    while reader.at < len(reader.data):
        layers.append(_layer(reader, first=False))
    names = [name for name, _ in layers]
    reader.expect(names[:4], ["con_4", "affine_", "relu_", "max_pool_2"], "stem")
    reader.expect(layers[3][1], (3, 3, 2, 2, 0, 0), "stem pooling")
    blocks, at = [], 4
    while names[at] == "con_4":
        run = names[at : at + 5]
        reader.expect(run, ["con_4", "affine_", "relu_", "con_4", "affine_"], "a residual block")
        down = names[at + 5] == "avg_pool_2"
        if down:
            reader.expect(layers[at + 5][1], (2, 2, 2, 2, 0, 0), "the shortcut's pooling")
        tail = names[at + 5 + down : at + 7 + down]
        reader.expect(tail, ["add_prev_", "relu_"], "a residual block's end")
        (_, c1), (_, a1), _, (_, c2), (_, a2) = layers[at : at + 5]
        blocks.append(Block(c1, a1, c2, a2, down))  # type: ignore[arg-type]
        at += 7 + down
    reader.expect(names[at:], ["avg_pool_2", "fc_2"], "the head")
    reader.expect(layers[at][1][:2], (0, 0), "pooling over everything")  # type: ignore[index]
    (_, stem), (_, stem_affine) = layers[0], layers[1]
    return Network(mean, stem, stem_affine, tuple(blocks), layers[at + 1][1])  # type: ignore[arg-type]


@cache
def network(path: str) -> Network:
    """The model file's network, read once per process; BLAS is held to one thread."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    return read_network(Path(path).read_bytes())
