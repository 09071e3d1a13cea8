"""The demo world: FlowPilot, an AI workflow-automation vendor, and the six customers it bills.

Who sends which events, how many, and with which properties. The contracts in `contracts/` price
these streams; the generator turns them into a month of landing files. Volumes are events per
weekday at scale 1; a month is a few tens of thousands of events.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stream:
    event_type: str
    per_weekday: float  # mean events on a weekday at scale 1
    daily: bool = False  # one event per day (a snapshot), not a Poisson stream


@dataclass(frozen=True)
class Customer:
    id: str
    aliases: tuple[str, ...]
    alias_share: float  # share of the customer's events sent under its (first) alias
    streams: tuple[Stream, ...]


CUSTOMERS: tuple[Customer, ...] = (
    Customer("northwind", ("nw-prod",), 0.3, (Stream("workflow_run", 220), Stream("api_call", 260))),
    Customer(
        "globex",
        ("globex-eu",),
        0.35,
        (Stream("api_call", 320), Stream("llm_call", 110), Stream("workflow_run", 70)),
    ),
    # On seats: its usage is shown, not billed.
    Customer("initech", (), 0.0, (Stream("workflow_run", 60),)),
    Customer("umbrella", (), 0.0, (Stream("workflow_run", 90), Stream("api_call", 130))),
    Customer(
        "acme",
        ("acme-corp",),
        0.2,
        (Stream("workflow_run", 100), Stream("compute_usage", 30), Stream("storage_snapshot", 1, daily=True)),
    ),
    Customer("hooli", (), 0.0, (Stream("workflow_run", 70), Stream("llm_call", 90), Stream("connector_sync", 25))),
)

ALIASES: dict[str, str] = {name: customer.id for customer in CUSTOMERS for name in (customer.id, *customer.aliases)}

# The EU tenant's SDK writes local time with an offset; ingest must read it as the same instant.
OFFSET_SENDERS: dict[str, str] = {"globex-eu": "+02:00"}

UNKNOWN_CUSTOMERS = ("contoso", "initrode")

WORKFLOWS = ("invoice-processing", "claims-intake", "vendor-onboarding", "contract-review")
WORKFLOW_SHARES = (0.4, 0.25, 0.2, 0.15)
FAILED_SHARE = 0.05
ENDPOINTS = ("/v1/runs", "/v1/documents", "/v1/workflows", "/v1/extract")
MODELS = ("gpt-large", "gpt-small")
LARGE_MODEL_SHARE = 0.4
CONNECTORS = ("salesforce", "sap", "netsuite", "workday", "zendesk", "slack", "jira")
COMPUTE_HOURS = ("0.25", "0.5", "0.75", "1", "1.25", "1.5", "2")
DOCUMENTS_AT_START = 48_000
DOCUMENTS_PER_DAY = 350

# Saturday and Sunday are quiet; traffic follows European and American business hours (UTC).
WEEKDAY_FACTORS = (1.0, 1.05, 1.05, 1.0, 0.9, 0.35, 0.25)
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 9, 10, 10, 9, 7, 5, 4, 3, 2, 2, 1)
NEXT_DAY_SHARE = 0.08  # events that reach the landing folder the day after they happened

# Properties a metric sums or compares (the rate card's sum/max products): where a non-number is
# quarantined as non_numeric_value.
NUMERIC_PROPERTIES: dict[str, list[str]] = {
    "compute_usage": ["hours"],
    "llm_call": ["tokens"],
    "storage_snapshot": ["documents"],
}
