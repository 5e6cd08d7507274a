"""MS-OVBA compression (MS-OVBA §2.4.1), used to write VBA module and ``dir`` streams.

Written here because the PyPI packages for it either only build projects from
scratch or corrupt data over 4096 bytes; every stream this writes is checked
against oletools' decompressor in the tests.
"""
from __future__ import annotations

import struct

CHUNK = 4096
_MIN_MATCH = 3
_MAX_CANDIDATES = 256  # bounds the search on long runs; a shorter match is still valid output


def _copy_token_help(difference: int) -> tuple[int, int]:
    """Bit count of the offset part and the maximum match length (§2.4.1.3.19.1)."""
    bit_count = max((difference - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions in this chunk, oldest first
    pos = start

    def remember(at: int) -> None:
        if at + _MIN_MATCH <= end:
            heads.setdefault(data[at:at + _MIN_MATCH], []).append(at)

    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            bit_count, max_len = _copy_token_help(pos - start)
            best_len, best_at = 0, 0
            limit = min(max_len, end - pos)
            if limit >= _MIN_MATCH:
                for cand in reversed(heads.get(data[pos:pos + _MIN_MATCH], [])[-_MAX_CANDIDATES:]):
                    n = _MIN_MATCH
                    while n < limit and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_at = n, cand
                        if n == limit:
                            break
            if best_len >= _MIN_MATCH:
                token = ((pos - best_at - 1) << (16 - bit_count)) | (best_len - _MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                for at in range(pos, pos + best_len):
                    remember(at)
                pos += best_len
            else:
                out.append(data[pos])
                remember(pos)
                pos += 1
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer holding ``data``."""
    data = bytes(data)
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        end = min(start + CHUNK, len(data))
        body = _compress_chunk(data, start, end)
        if len(body) <= CHUNK:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
        else:
            # Incompressible: a raw chunk. The spec pads a short last chunk to
            # 4096 bytes with zeros; oletools and this decoder accept it unpadded,
            # which keeps the round trip exact (VBA text never gets here).
            out += struct.pack("<H", 0x3FFF) + data[start:end]
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The bytes a CompressedContainer holds (§2.4.1.3.1)."""
    container = bytes(container)
    if not container or container[0] != 0x01:
        raise ValueError("不是 MS-OVBA 压缩数据（首字节应为 0x01）")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise ValueError(f"MS-OVBA 数据在偏移 {pos} 处截断")
        (header,) = struct.unpack_from("<H", container, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0x7 != 0b011:
            raise ValueError(f"MS-OVBA 块头签名错误（偏移 {pos}）")
        chunk_end = min(pos + size, len(container))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[pos:pos + CHUNK]
            pos += CHUNK
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(container[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                bit_count, _ = _copy_token_help(len(out) - chunk_start)
                length = (token & (0xFFFF >> bit_count)) + _MIN_MATCH
                offset = (token >> (16 - bit_count)) + 1
                src = len(out) - offset
                if src < chunk_start:
                    raise ValueError("MS-OVBA 复制标记越过块起点")
                for i in range(length):
                    out.append(out[src + i])
    return bytes(out)
