"""The `contracts` asset: contract files validated and published as lake tables."""
