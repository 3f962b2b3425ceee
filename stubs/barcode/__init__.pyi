from barcode.base import Barcode

def get(
    name: str, code: str, writer: object | None = None, options: dict[str, object] | None = None
) -> Barcode: ...
