from escpos.escpos import Escpos

class Dummy(Escpos):
    @property
    def output(self) -> bytes: ...

class Usb(Escpos):
    def __init__(
        self,
        idVendor: int | None = None,  # noqa: N803 (the library's names)
        idProduct: int | None = None,  # noqa: N803
        usb_args: dict[str, str | int] = ...,
        timeout: float = 0,
        in_ep: int = 0x82,
        out_ep: int = 0x01,
    ) -> None: ...

class Serial(Escpos):
    def __init__(self, devfile: str = "", baudrate: int = 9600) -> None: ...

class CupsPrinter(Escpos):
    def __init__(self, printer_name: str = "") -> None: ...
