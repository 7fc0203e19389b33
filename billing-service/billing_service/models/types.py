"""Column types billing needs beyond rcm_shared.db: exact money on both engines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from rcm_shared.money import to_money


class MoneyAmount(TypeDecorator[Decimal]):
    """A Decimal amount to the cent; never a float on the way in or out.

    NUMERIC(12,2) on PostgreSQL; text on SQLite, whose NUMERIC affinity would store
    "125.10" as a binary float.
    """

    impl = Numeric(12, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(16))
        return dialect.type_descriptor(Numeric(12, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("refusing a float amount: money is Decimal")
        amount = to_money(value)
        return str(amount) if dialect.name == "sqlite" else amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return to_money(Decimal(str(value)))
