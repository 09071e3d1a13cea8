"""Exports of a finalized month: QuickBooks Online import files, JSON invoice documents, and the
invoice documents themselves (HTML and PDF). Everything here reads the warehouse; nothing writes it.
"""
