"""The public event contract: the CloudEvents envelope and one versioned schema per event type."""
from shared.contracts.envelope import Envelope, make_envelope, notification_id_of
from shared.contracts.catalog import CONTRACTS, Contract, contract_for_type

__all__ = ["CONTRACTS", "Contract", "Envelope", "contract_for_type", "make_envelope", "notification_id_of"]
