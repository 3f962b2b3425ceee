"""The ORM classes for the whole domain. Importing this package registers every table."""

from app.models.base import Base, UTCDateTime, utcnow
from app.models.catalogue import Barcode, Category, Product, ProductToken
from app.models.channels import ApiKey, OrderSource
from app.models.counts import StockCount, StockCountBin, StockCountLine, StockCountScan
from app.models.fulfilment import (
    AssignmentRule,
    Carrier,
    Package,
    PackageItem,
    PickLine,
    PickList,
    ReturnLine,
    ReturnOrder,
    Shipment,
)
from app.models.inventory import (
    VIRTUAL_KINDS,
    Location,
    LocationKind,
    MoveState,
    StockLevel,
    StockMove,
    Warehouse,
)
from app.models.lots import Lot, LotLevel, PickLineLot
from app.models.misc import (
    AuditChainHead,
    AuditEntry,
    IdempotencyKey,
    NumberSequence,
    OutboxMessage,
    Setting,
)
from app.models.orders import Channel, OrderEvent, OrderLine, OrderStatus, SalesOrder
from app.models.parties import Address, Party, PartyToken
from app.models.payments import (
    CashSession,
    CreditEntry,
    GiftCard,
    GiftCardEntry,
    OfflineSale,
    ParkedSale,
    Payment,
)
from app.models.printing import Printer, PrintJob
from app.models.purchasing import (
    OPEN_PURCHASE_STATUSES,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseStatus,
    ReorderRule,
    SupplierProduct,
)
from app.models.reports import (
    ReportCustomerDay,
    ReportFold,
    ReportLeadDay,
    ReportLineDay,
    ReportOrderDay,
)
from app.models.transit import TransitLine, TransitState, TransitTransfer
from app.models.users import User

__all__ = [
    "StockCount",
    "StockCountBin",
    "StockCountLine",
    "StockCountScan",
    "AssignmentRule",
    "AuditChainHead",
    "AuditEntry",
    "Carrier",
    "Package",
    "PackageItem",
    "PickLine",
    "PickList",
    "ReturnLine",
    "ReturnOrder",
    "Shipment",
    "VIRTUAL_KINDS",
    "Address",
    "Barcode",
    "Base",
    "CashSession",
    "Category",
    "Channel",
    "CreditEntry",
    "GiftCard",
    "GiftCardEntry",
    "IdempotencyKey",
    "Location",
    "LocationKind",
    "MoveState",
    "NumberSequence",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "OfflineSale",
    "OutboxMessage",
    "ParkedSale",
    "Party",
    "PartyToken",
    "Payment",
    "PrintJob",
    "Printer",
    "Product",
    "ProductToken",
    "SalesOrder",
    "Setting",
    "StockLevel",
    "StockMove",
    "SupplierProduct",
    "Lot",
    "ApiKey",
    "OrderSource",
    "LotLevel",
    "PickLineLot",
    "OPEN_PURCHASE_STATUSES",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseStatus",
    "ReorderRule",
    "ReportCustomerDay",
    "ReportFold",
    "ReportLeadDay",
    "ReportLineDay",
    "ReportOrderDay",
    "User",
    "UTCDateTime",
    "Warehouse",
    "utcnow",
    "TransitLine",
    "TransitState",
    "TransitTransfer",
]
