"""The month's verification gate (`verify_month`) and the Great Expectations suite on the marts."""

from orchestration.quality.report import CheckOutcome, VerificationReport
from orchestration.quality.verify import verify_month

__all__ = ["CheckOutcome", "VerificationReport", "verify_month"]
