"""Builds one golden record per customer from its cluster, by explicit survivorship rules.

Rules, per field: the value from the most recent record (by last contact, order or
creation date; ties by source order) that has one. A valid phone or e-mail beats an
invalid one. Other distinct valid phones and e-mails are kept as alternates
(``phone_2``, ``email_2``), never dropped. Order fields belong to transactions, not
to the customer.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from .. import columns as C
from .dedupe import Duplicates, fingerprints

ORDER_FIELDS = [C.ORDER_ID, C.ORDER_DATE, C.AMOUNT, C.AMOUNT_CURRENCY]
_DATE_FIELDS = [C.LAST_CONTACT_ON, C.ORDER_DATE, C.CREATED_ON]
_VALID_PHONE = r"^\+\d{7,15}$"
_VALID_EMAIL = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def source_ref(records: pd.DataFrame) -> pd.Series:
    """"file › sheet › row N" for each record, as people find it in Excel."""
    return (records[C.SOURCE_FILE].astype(str) + " › " + records[C.SOURCE_SHEET].astype(str)
            + " › row " + records[C.SOURCE_ROW].astype(str))


def record_recency(records: pd.DataFrame) -> pd.Series:
    """The latest date a record carries (last contact, order, creation), NaT if none."""
    dates = [pd.to_datetime(records[c], format="%Y-%m-%d", errors="coerce")
             for c in _DATE_FIELDS if c in records.columns]
    if not dates:
        return pd.Series(pd.NaT, index=records.index, dtype="datetime64[ns]")
    return pd.concat(dates, axis=1).max(axis=1)


def customer_ids(records: pd.DataFrame, cluster: pd.Series) -> pd.Series:
    """A stable ID per cluster: made from its members' identifiers, not from row order.

    The ID hashes the smallest name key and the smallest phone or e-mail in the
    cluster, so reordering rows or files gives the same IDs.
    """
    clusters = pd.Index(pd.unique(cluster.to_numpy()))

    def smallest(col: str, pattern: str | None = None) -> pd.Series:
        if col not in records.columns:
            return pd.Series("", index=clusters)
        s = records[col].astype("string")
        if pattern:
            s = s.where(s.str.match(pattern))
        return _first_per_cluster(s, cluster, ascending=True).reindex(clusters).fillna("")

    name = smallest(C.NAME_KEY).to_numpy(dtype=object)
    phone = smallest(C.PHONE, _VALID_PHONE).to_numpy(dtype=object)
    email = smallest(C.EMAIL, _VALID_EMAIL).to_numpy(dtype=object)
    contact = np.where((phone != "") & ((email == "") | (phone < email)), phone, email)
    company = smallest(C.COMPANY_KEY).to_numpy(dtype=object)
    keys = pd.Series(name + "|" + contact + "|" + company, index=clusters, dtype=object)
    ids = keys.map(lambda k: "C" + hashlib.sha1(k.encode("utf-8")).hexdigest()[:8].upper())
    # Clusters with identical keys (the same name and no valid contact): numbered in the
    # order of their content, so the numbering does not follow row order either.
    dup = ids.duplicated(keep=False)
    if dup.any():
        content = pd.Series(fingerprints(records), index=records.index).groupby(cluster.to_numpy()).min()
        order = pd.DataFrame({"key": keys[dup], "content": content.reindex(keys[dup].index)}) \
            .sort_values(["key", "content"], kind="stable").index
        ids.loc[order] = ids.loc[order] + "-" + ids.loc[order].groupby(ids.loc[order]).cumcount().add(1).astype(str)
    return cluster.map(ids)


def _first_per_cluster(values: pd.Series, cluster: pd.Series, ascending: bool = True) -> pd.Series:
    """The smallest (or largest) non-empty value per cluster: a sort, not a per-group Python call."""
    frame = pd.DataFrame({"c": cluster.to_numpy(), "v": values.to_numpy()}).dropna()
    frame = frame.sort_values(["c", "v"], ascending=[True, ascending], kind="stable").drop_duplicates("c")
    return frame.set_index("c")["v"]


def _join_per_cluster(values: pd.Series, cluster: pd.Series, sep: str = "; ") -> pd.Series:
    """Distinct values per cluster, in order, joined; only clusters with several pay for a join."""
    frame = pd.DataFrame({"c": cluster.to_numpy(), "v": values.astype(object).to_numpy()}).dropna().drop_duplicates()
    several = frame["c"].duplicated(keep=False)
    single = frame.loc[~several].set_index("c")["v"]
    joined = frame.loc[several].groupby("c", sort=False)["v"].agg(sep.join)
    return pd.concat([single, joined])


def _pick(members: pd.DataFrame, cols: list[str], valid: str) -> pd.DataFrame:
    """Per cluster, ``cols`` from the first member whose ``cols[0]`` is valid (else non-empty)."""
    main = members[cols[0]].astype("string")
    rank = np.where(main.str.match(valid).fillna(False).astype(bool), 0, np.where(main.notna(), 1, 2))
    best = members.assign(_rank=rank).sort_values(["cluster", "_rank"], kind="stable").drop_duplicates("cluster")
    return best.set_index("cluster")[[c for c in cols if c in members.columns]]


def _alternates(members: pd.DataFrame, cols: list[str], primary: pd.Series, valid: str) -> pd.Series:
    """Per cluster, its other distinct valid values, in survivorship order, joined with "; "."""
    frames = []
    for c in cols:
        if c in members.columns:
            s = members[c].astype("string").str.split("; ").explode()
            frames.append(pd.DataFrame({"v": s.to_numpy(), "cluster": members.loc[s.index, "cluster"].to_numpy()}))
    values = pd.concat(frames, ignore_index=True)
    if values.empty:
        return pd.Series(dtype=object)
    values = values.dropna()
    values = values[values["v"].str.match(valid)]
    values = values[values["v"].to_numpy() != primary.reindex(values["cluster"]).to_numpy()]
    return _join_per_cluster(values["v"], values["cluster"])


def build_customers(records: pd.DataFrame, dups: Duplicates) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Golden records and, per input record, its customer, outcome and reason.

    Args:
        records: validated records indexed 0..n-1.
        dups: the dedupe result for them.

    Returns:
        (customers, outcomes). ``customers`` has one row per cluster: customer_id, the
        surviving fields, alternates, ``source_rows`` and ``sources``. ``outcomes`` is
        indexed like ``records`` with customer_id, outcome (kept/merged/review), reason.
    """
    recency = record_recency(records)
    ids = customer_ids(records, dups.cluster)
    members = records.assign(cluster=dups.cluster.to_numpy(), customer_id=ids.to_numpy(),
                             _recency=recency.to_numpy(), _pos=np.arange(len(records)))
    members = members.sort_values(["cluster", "_recency", "_pos"], ascending=[True, False, True],
                                  na_position="last", kind="stable")
    fields = [c for c in records.columns
              if c not in ORDER_FIELDS + C.PROVENANCE + [C.PHONE, C.PHONE_DISPLAY, C.PHONE_TYPE, C.PHONE_ALT,
                                                           C.EMAIL, C.EMAIL_ALT, "issue_codes"]]
    golden = members.groupby("cluster", sort=True)[fields + ["customer_id"]].first()
    # Dates are facts about the customer, not about one record: the latest contact, the
    # earliest creation; a valid gender or birthday beats an unreadable one.
    for col, latest in ((C.LAST_CONTACT_ON, True), (C.CREATED_ON, False)):
        if col in members.columns:
            valid = members[col].where(members[col].astype("string").str.match(_ISO_DATE).fillna(False).astype(bool))
            best = _first_per_cluster(valid, members["cluster"], ascending=not latest)
            golden[col] = best.reindex(golden.index).where(lambda v: v.notna(), golden[col])
    for col, valid in ((C.GENDER, r"^(male|female)$"), (C.BIRTH_ON, _ISO_DATE)):
        if col in members.columns:
            golden[col] = _pick(members, [col], valid)[col].reindex(golden.index)
    if C.PHONE in members.columns:
        phone = _pick(members, [C.PHONE, C.PHONE_DISPLAY, C.PHONE_TYPE], _VALID_PHONE)
        golden = golden.join(phone)
        golden[C.PHONE_ALT] = _alternates(members, [C.PHONE, C.PHONE_ALT], golden[C.PHONE], _VALID_PHONE)
    if C.EMAIL in members.columns:
        golden = golden.join(_pick(members, [C.EMAIL], _VALID_EMAIL))
        golden[C.EMAIL_ALT] = _alternates(members, [C.EMAIL, C.EMAIL_ALT], golden[C.EMAIL], _VALID_EMAIL)
    golden["source_rows"] = members.groupby("cluster").size()
    golden["sources"] = _join_per_cluster(
        members[C.SOURCE_FILE].astype(str) + " › " + members[C.SOURCE_SHEET].astype(str), members["cluster"])
    if "issue_codes" in members:
        codes = members["issue_codes"].dropna().str.split(", ").explode().sort_values(kind="stable")
        golden["issue_codes"] = _join_per_cluster(codes, members.loc[codes.index, "cluster"], ", ")
    customers = golden.reset_index(drop=True)
    customers = customers[["customer_id"] + [c for c in customers.columns if c != "customer_id"]]
    outcomes = _outcomes(records, members, dups)
    return customers, outcomes


def _outcomes(records: pd.DataFrame, members: pd.DataFrame, dups: Duplicates) -> pd.DataFrame:
    """Per record: its customer, kept / merged / review, and a reason naming the row it matched."""
    ref = source_ref(records)
    survivor = members.drop_duplicates("cluster")
    out = pd.DataFrame({C.CUSTOMER_ID: members["customer_id"].reindex(records.index),
                        "outcome": "merged", "reason": ""}, index=records.index)
    out.loc[survivor.index, "outcome"] = "kept"
    out.loc[survivor.index, "reason"] = "kept as the customer's main record"

    # Each merged record names the record it matched best, and why.
    pairs = dups.pairs
    cl = dups.cluster.to_numpy()
    linked = pairs[cl[pairs["left"]] == cl[pairs["right"]]]
    both = pd.concat([linked.rename(columns={"left": "row", "right": "other"}),
                      linked.rename(columns={"right": "row", "left": "other"})])
    best = both.sort_values(["row", "score", "other"], ascending=[True, False, True]).drop_duplicates("row")
    best = best.set_index("row")
    merged = out.index[out["outcome"] == "merged"]
    b = best.reindex(merged)
    out.loc[merged, "reason"] = ("same customer as " + ref.reindex(b["other"]).fillna("?").to_numpy()
                                 + " (agreed: " + b["agreed"].fillna("").to_numpy()
                                 + "; score " + b["score"].map("{:g}".format).to_numpy() + ")")
    review = dups.review
    if len(review):
        both = pd.concat([review.rename(columns={"left": "row", "right": "other"}),
                          review.rename(columns={"right": "row", "left": "other"})])
        # The customer's main record carries the review: a merged row stays merged, so every
        # customer has exactly one row that is kept or under review.
        main = pd.Series(survivor.index, index=survivor["cluster"].to_numpy())
        both["row"] = main.reindex(dups.cluster.iloc[both["row"]].to_numpy()).to_numpy()
        both = both.sort_values(["row", "score"], ascending=[True, False]).drop_duplicates("row").set_index("row")
        rows = both.index
        out.loc[rows, "outcome"] = "review"
        out.loc[rows, "reason"] = ("may be the same customer as " + ref.reindex(both["other"]).to_numpy()
                                   + " (score " + both["score"].map("{:g}".format).to_numpy()
                                   + "); see the Review sheet")
    return out
