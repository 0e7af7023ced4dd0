"""Helpers for the mutation tests: global ids, tiny real media files, multipart requests.

Files are made here, byte by byte, so the tests never depend on fixtures on disk: an MP4 is
an `ftyp` box (what content sniffing looks at), a WebM an EBML header with the "webm" doctype,
and a PNG a valid 1x1 image.
"""

import json
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from strawberry.relay import to_base64

GRAPHQL_URL = "/graphql/"

# Every mutation test selects this on the payload union, as clients must.
OPERATION_INFO = "... on OperationInfo { messages { kind field message code } }"


def gid(type_name: str, pk: int) -> str:
    """The global id of a row, as the API gives it out."""
    return to_base64(type_name, pk)


def mp4_bytes(padding: int = 0) -> bytes:
    """A minimal MP4: an `ftyp` box (brand isom) and a `free` box with `padding` zero bytes."""
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 0x200) + b"isomiso2"
    free = struct.pack(">I", 8 + padding) + b"free" + bytes(padding)
    return ftyp + free


def webm_bytes() -> bytes:
    """A minimal WebM: an EBML header whose DocType is "webm"."""
    return bytes.fromhex("1A45DFA39F4286810142F7810142F2810442F381084282847765626D4287810442858102")


def png_bytes() -> bytes:
    """A valid 1x1 RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def multipart_body(
    query: str, variables: dict[str, Any], files: dict[str, Any]
) -> tuple[dict[str, str], dict[str, Any]]:
    """The GraphQL multipart request spec: `operations` (with null where the files go),
    `map` (file field -> variable paths) and one form field per file.

    `files` maps a dotted variable path ("input.file") to the file; returns the form fields
    and the file fields.
    """
    map_: dict[str, list[str]] = {}
    parts: dict[str, Any] = {}
    for index, (path, file) in enumerate(files.items()):
        map_[str(index)] = [f"variables.{path}"]
        parts[str(index)] = file
    form = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps(map_),
    }
    return form, parts


def post_multipart(
    client: Client, query: str, variables: dict[str, Any], files: dict[str, Any], **extra: Any
) -> dict:
    """Send an operation with files through Django's full stack, as a browser or app would."""
    form, parts = multipart_body(query, variables, files)
    response = client.post(GRAPHQL_URL, data={**form, **parts}, **extra)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def codes(payload: dict) -> list[str | None]:
    """The codes of an OperationInfo payload's messages."""
    return [m["code"] for m in payload.get("messages") or []]


def fields(payload: dict) -> list[str | None]:
    """The fields of an OperationInfo payload's messages."""
    return [m["field"] for m in payload.get("messages") or []]
