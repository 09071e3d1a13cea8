"""Disputes answered from the data: `meterbook invoice explain` shows how each line of an invoice
was priced (contract and rate card versions, metric, tiers, terms) and how to list its events."""
