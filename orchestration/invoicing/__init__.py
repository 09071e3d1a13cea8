"""Invoicing: the invoice lifecycle after rating (finalization, voids, late adjustments)."""
