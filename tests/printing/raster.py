"""Test helper: pull the raster images out of ESC/POS bytes (GS v 0), as PIL images."""

from __future__ import annotations

from PIL import Image


def raster_images(payload: bytes) -> list[Image.Image]:
    images: list[Image.Image] = []
    i = 0
    while True:
        i = payload.find(b"\x1dv0", i)
        if i < 0:
            return images
        width_bytes = payload[i + 4] + 256 * payload[i + 5]
        rows = payload[i + 6] + 256 * payload[i + 7]
        data = payload[i + 8 : i + 8 + width_bytes * rows]
        image = Image.frombytes("1", (width_bytes * 8, rows), bytes(b ^ 0xFF for b in data))
        images.append(image.convert("L"))
        i += 8 + width_bytes * rows
