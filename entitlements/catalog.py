"""The plan catalog: which features exist (boolean, metered, config) and what each plan grants.

Shipped as plans.json next to this module; a vendor changes the catalog by shipping another file there.
There is deliberately no environment override: the free plan comes from here, so a user-chosen catalog
would be a way to grant oneself features.
The catalog says what a plan *means* when a licence is issued and what the free plan holds; a verified
licence carries its own feature snapshot, so changing the catalog never changes an issued licence.

Feature values in a plan: boolean -> true; metered -> a limit per period (null = unlimited);
config -> any JSON value (e.g. max_file_mb).
"""
# No `from __future__ import annotations` in the modules of the gate's pydantic models: pydantic would
# evaluate every annotation string again when it builds the class, in every process (issue 20).
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_PATH = Path(__file__).with_name("plans.json")
FREE = "free"


# Default factories for the models' dict and list fields: pydantic reads a factory's signature, and for the
# builtins `dict` and `list` that means tokenizing their text signatures (compiling the tokenizer's pattern,
# ~3 ms of every licensed `intent do`; issue 20). A Python function's signature is read directly.
def new_dict() -> dict:
    return {}


def new_list() -> list:
    return []


# Feature and Plan are validated as parts of a Catalog, whose schema includes theirs: deferred, they are
# not built on their own as well (issue 20).
class Feature(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    kind: Literal["boolean", "metered", "config"]
    title: str = ""
    period: Literal["calendar_month", "day"] | None = None  # metered only


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    title: str
    rank: int
    all_features: bool = False  # every boolean feature, including ones added after the licence was issued
    features: dict[str, Any] = Field(default_factory=new_dict)
    pooled: list[str] = Field(default_factory=new_list)  # metered features shared across a licence's seats


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    vendor: str = ""
    upgrade_how: str
    unlisted_pack_features: Literal["allow", "deny"] = "allow"  # third-party packs the vendor does not sell
    features: dict[str, Feature]
    plans: dict[str, Plan]

    @model_validator(mode="after")
    def _consistent(self) -> "Catalog":
        if FREE not in self.plans:
            raise ValueError("the catalog needs a 'free' plan (what a fresh install gets)")
        for name, plan in self.plans.items():
            for key, value in plan.features.items():
                feature = self.features.get(key)
                if feature is None:
                    raise ValueError(f"plan {name!r} names unknown feature {key!r}")
                if feature.kind == "boolean" and value is not True:
                    raise ValueError(f"plan {name!r}: boolean feature {key!r} must be true (or left out)")
                if feature.kind == "metered" and value is not None and (not isinstance(value, int) or value < 0):
                    raise ValueError(f"plan {name!r}: metered feature {key!r} needs a limit >= 0 or null")
            for key in plan.pooled:
                if self.kind(key) != "metered" or key not in plan.features:
                    raise ValueError(f"plan {name!r} pools {key!r}, which is not one of its metered features")
        return self

    def plan(self, name: str) -> Plan:
        try:
            return self.plans[name]
        except KeyError:
            raise KeyError(f"unknown plan {name!r}; the catalog has {', '.join(self.plans)}") from None

    def by_rank(self) -> list[tuple[str, Plan]]:
        return sorted(self.plans.items(), key=lambda item: item[1].rank)

    def kind(self, feature: str) -> str | None:
        spec = self.features.get(feature)
        return spec.kind if spec else None

    def upgrade_for(self, feature: str, current_rank: int, need: int = 1) -> tuple[str, str] | None:
        """The cheapest plan above `current_rank` that grants `feature` (with a higher limit when metered)."""
        for name, plan in self.by_rank():
            if plan.rank <= current_rank:
                continue
            if feature in plan.features:
                value = plan.features[feature]
                if self.kind(feature) == "metered" and value is not None and value < need:
                    continue
                return name, self.upgrade_how.format(plan=name)
            if plan.all_features and self.kind(feature) != "metered":
                return name, self.upgrade_how.format(plan=name)
        return None


def catalog_path() -> Path:
    return DEFAULT_PATH


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Catalog:
    try:
        return Catalog.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ValueError(f"plan catalog {path} is not usable: {exc}") from None


def load_catalog(path: Path | None = None) -> Catalog:
    path = Path(path or catalog_path())
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ValueError(f"plan catalog {path} cannot be read: {exc}") from None
    return _load(str(path), mtime)
