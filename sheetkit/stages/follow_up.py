"""Following customers up: the pool (公海), re-verification (定期核对) and health per owner,
computed together so the owners are read once for all three."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ..config import PipelineConfig
from .owners import owner_health
from .pool import assign_pool, owner_codes, pool_sheet
from .verify import verify_reasons, verify_sheet


class FollowUp(NamedTuple):
    customers: pd.DataFrame   # with the ``pool`` column
    pool: pd.DataFrame        # the Pool sheet
    verify: pd.DataFrame      # the Verify sheet
    owners: pd.DataFrame      # the Owners sheet


def follow_up(customers: pd.DataFrame, config: PipelineConfig, as_of: pd.Timestamp) -> FollowUp:
    """The ``pool`` column and the Pool, Verify and Owners sheets of ``customers`` (which
    need ``owner``, ``last_activity_on`` and the segment and freshness columns)."""
    owners = owner_codes(customers)
    customers = assign_pool(customers, config, as_of, owners)
    reasons = verify_reasons(customers, config, as_of)
    return FollowUp(customers, pool_sheet(customers, config, as_of, owners),
                    verify_sheet(customers, config, as_of, reasons, owners),
                    owner_health(customers, reasons.any, owners))
