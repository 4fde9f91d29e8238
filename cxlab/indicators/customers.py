"""Customer attributes (name, industry, region, segments) joined to any frame with ``customer_id``."""

from __future__ import annotations

import pandas as pd

CUSTOMER_COLUMNS = ("name", "industry", "region", "segment")


def add_customer_attributes(
    frame: pd.DataFrame, customers: pd.DataFrame | None = None, segments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``frame`` (responses, invitations or a list with ``customer_id``) with the customer's name,
    industry, region and own segment (``client_segment``) from ``customers``, and the value segment of
    :func:`cxlab.segments.segment_customers` (``value_segment``) from ``segments``, when given; columns
    the frame already has are kept as they are. Use it to group indicators by industry or segment."""
    return join_customers(frame, customers, segments)


def join_customers(
    frame: pd.DataFrame, customers: pd.DataFrame | None, segments: pd.DataFrame | None = None
) -> pd.DataFrame:
    out = frame
    if customers is not None and "customer_id" in customers.columns and "customer_id" in frame.columns:
        cols = [c for c in CUSTOMER_COLUMNS if c in customers.columns and c not in frame.columns]
        if cols:
            right = customers[["customer_id", *cols]].drop_duplicates("customer_id")
            right = right.rename(columns={"segment": "client_segment"})
            right = right.assign(customer_id=right["customer_id"].astype("str"))
            out = out.assign(customer_id=out["customer_id"].astype("str")).merge(
                right, on="customer_id", how="left", sort=False
            )
    if segments is not None and {"customer_id", "segment"} <= set(segments.columns):
        right = segments[["customer_id", "segment"]].drop_duplicates("customer_id")
        right = right.rename(columns={"segment": "value_segment"})
        right = right.assign(customer_id=right["customer_id"].astype("str"))
        out = out.assign(customer_id=out["customer_id"].astype("str")).merge(
            right, on="customer_id", how="left", sort=False
        )
    return out
