from collections.abc import Iterator
from typing import IO

from PIL import Image

class PdfBitmap:
    def to_pil(self) -> Image.Image: ...

class PdfPage:
    def render(self, scale: float = 1) -> PdfBitmap: ...

class PdfDocument:
    def __init__(self, input: IO[bytes] | bytes | str, password: str | None = None) -> None: ...
    def __iter__(self) -> Iterator[PdfPage]: ...
