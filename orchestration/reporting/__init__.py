"""What a data engineer sees of each closed month in the Dagster UI (the `month_report` asset)."""
