from escpos.capabilities import BaseProfile
from PIL import Image

class Escpos:
    profile: BaseProfile
    def __init__(self, profile: str | None = None) -> None: ...
    def open(self) -> None: ...
    def close(self) -> None: ...
    def _raw(self, msg: bytes) -> None: ...
    def image(
        self,
        img_source: Image.Image | str,
        high_density_vertical: bool = True,
        high_density_horizontal: bool = True,
        impl: str = "bitImageRaster",
        fragment_height: int = 960,
        center: bool = False,
    ) -> None: ...
    def qr(
        self,
        content: str,
        ec: int = ...,
        size: int = 3,
        model: int = ...,
        native: bool = False,
        center: bool = False,
        impl: str | None = None,
        image_arguments: dict[str, object] | None = None,
    ) -> None: ...
    def set(
        self,
        align: str | None = None,
        font: str | None = None,
        bold: bool | None = None,
        underline: int | None = None,
        width: int | None = None,
        height: int | None = None,
        density: int | None = None,
        invert: bool | None = None,
        smooth: bool | None = None,
        flip: bool | None = None,
        normal_textsize: bool | None = None,
        double_width: bool | None = None,
        double_height: bool | None = None,
        custom_size: bool | None = None,
    ) -> None: ...
    def cut(self, mode: str = "FULL", feed: bool = True) -> None: ...
    def cashdraw(self, pin: int | list[int]) -> None: ...
    def hw(self, hw: str) -> None: ...
