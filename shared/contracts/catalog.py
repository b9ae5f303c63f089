"""Every public event type the system publishes, by type name, with its schema."""
from __future__ import annotations

from dataclasses import dataclass

from shared.contracts import applications, audit, notify, registry, review
from shared.contracts.base import EventData


@dataclass(frozen=True)
class Contract:
    type: str
    schema: type[EventData]


def _collect(*modules) -> dict[str, Contract]:
    found = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, EventData) and value.TYPE:
                found[value.TYPE] = Contract(value.TYPE, value)
    return found


CONTRACTS: dict[str, Contract] = _collect(applications, review, registry, notify, audit)


def contract_for_type(type_: str) -> Contract:
    try:
        return CONTRACTS[type_]
    except KeyError:
        raise KeyError(f"no public contract for event type {type_!r}") from None
