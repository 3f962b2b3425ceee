from barcode.base import Barcode

class Code128(Barcode):
    def _build(self) -> list[int]: ...
