"""MS-OVBA compression: exact round trips, and oletools reads what we write."""
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from addin.office.ovba import CHUNK, compress, decompress


def _vba_like_text(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    words = ["Sub", "End", "Dim", "As", "String", "RunPython", "If", "Then", "    ", "\r\n", "'", "x", "=", "1"]
    out = []
    while sum(map(len, out)) < n:
        out.append(rng.choice(words) + " ")
    return "".join(out).encode("ascii")[:n]


CASES = [
    b"",
    b"a",
    b"abc" * 2,
    b"\x00" * 10_000,
    _vba_like_text(CHUNK - 1, 1),
    _vba_like_text(CHUNK, 2),
    _vba_like_text(CHUNK + 1, 3),
    _vba_like_text(3 * CHUNK + 517, 4),
    os.urandom(2 * CHUNK),  # incompressible full chunks -> raw chunks
    os.urandom(3000),  # incompressible short chunk still fits a compressed chunk
]


@pytest.mark.parametrize("data", CASES, ids=lambda d: f"{len(d)}B")
def test_round_trip_and_oletools_agree(data):
    packed = compress(data)
    assert packed[0] == 1
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data


def test_compresses_text_and_uses_several_chunks():
    data = _vba_like_text(5 * CHUNK, 7)
    packed = compress(data)
    assert len(packed) < len(data) // 2
    # each chunk header carries the 0b011 signature; walking them must cover the data
    pos, chunks = 1, 0
    while pos < len(packed):
        header = int.from_bytes(packed[pos:pos + 2], "little")
        assert (header >> 12) & 7 == 0b011
        pos += (header & 0xFFF) + 3
        chunks += 1
    assert pos == len(packed) and chunks == 5


def test_decompresses_what_office_wrote():
    """The template's streams were written by Excel: both decoders agree on them."""
    import olefile

    from addin.office.xlam import template_path

    import zipfile
    with zipfile.ZipFile(template_path()) as z:
        ole = olefile.OleFileIO(z.read("xl/vbaProject.bin"))
    for stream in (["VBA", "dir"], ["VBA", "xlwings"]):
        raw = ole.openstream(stream).read()
        assert decompress(raw) == bytes(decompress_stream(bytearray(raw)))


def test_rejects_garbage():
    with pytest.raises(ValueError):
        decompress(b"\x02abc")
    with pytest.raises(ValueError):
        decompress(b"\x01\x00\x00")  # bad chunk signature


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3 * CHUNK))
def test_round_trip_property(data):
    packed = compress(data)
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([b"Sub ", b"End Sub\r\n", b"RunPython ", b"\"", b"a", b"  "]), max_size=2500))
def test_round_trip_property_repetitive(parts):
    data = b"".join(parts)
    assert bytes(decompress_stream(bytearray(compress(data)))) == data
