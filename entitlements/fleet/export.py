"""The usage ledger as CloudEvents (JSON, one event a line): what OpenMeter and Lago ingest.

One event per ledger row, a use (positive qty) or a refund (negative qty, its own event: the ledger is
append-only and so is the export). `id` is unique per terminal and key, so re-sending an export to a
metering service is idempotent there. Nothing but feature keys, counts, periods and ids leaves.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

EVENT_TYPE = "com.intent-terminal.usage"


def _iso(value) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def cloudevents(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {
            "specversion": "1.0",
            "type": EVENT_TYPE,
            "id": f"{row['machine']}:{row['key']}",
            "source": f"intent-terminal/{row['machine']}",
            "subject": row["account"] or "unlicensed",
            "time": _iso(row["at"]),
            "datacontenttype": "application/json",
            "data": {"feature": row["feature"], "qty": row["qty"], "period": row["period"],
                     "kind": "refund" if row["qty"] < 0 else row["source"]},
        }


def sqlite_rows(store, machine: str, account: str, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """The local store's ledger in the fleet's row shape (one home: one machine, one account)."""
    sql = "SELECT id, idempotency_key, feature, qty, period, source, at FROM usage"
    params: list[Any] = []
    if since is not None:
        sql += " WHERE at >= ?"
        params.append(since.astimezone(timezone.utc).isoformat(timespec="microseconds"))
    for i, key, feature, qty, period, source, at in store.read(sql + " ORDER BY id", params):
        yield {"id": i, "machine": machine, "key": key, "account": account, "feature": feature, "qty": int(qty),
               "period": period, "source": source, "at": at}
