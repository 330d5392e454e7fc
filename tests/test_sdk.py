"""The pack SDK: one decorated typed function becomes a full action spec."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from intents.sdk import ActionContext, Pack, Render, Result, Risk, Slot


def make_pack():
    pack = Pack(id="demo", name="Demo", version="1.0.0", description="d", vertical="demo",
                sensitive=["PII"], disclaimers=["Not advice."])

    class Out(Result):
        total: float
        rows: list[dict]

    @pack.action(samples=["add 2 and 3"], templates=["add {a} and {b}"], risk="writes-files",
                 render=Render(kind="headline", headline="total"))
    def add(ctx: ActionContext, a: float = Slot("First", kind="number", gt=0),
            b: float = Slot("Second", default=1.0, kind="number", question="And the other?")) -> Out:
        """Add two numbers.

        More words."""
        return {"total": a + b, "rows": [], "basis": "a+b"}

    return pack


def test_spec_from_signature():
    pack = make_pack()
    action = pack.actions["demo.add"]
    spec = action.spec
    assert spec.title == "Add two numbers"
    assert spec.description.startswith("Add two numbers.")
    assert [s.name for s in spec.slots] == ["a", "b"]
    assert spec.required == ["a"]
    b = spec.slot("b")
    assert b.default == 1.0 and b.kind == "number" and b.ask() == "And the other?"
    assert spec.slot("a").minimum == 0
    assert spec.risk is Risk.WRITES_FILES
    assert spec.result_fields == ["total", "rows"]
    assert "ctx" not in spec.params_schema["properties"]
    assert pack.manifest.feature_key == "pack.demo"


def test_params_model_validates_and_forbids_unknown():
    action = make_pack().actions["demo.add"]
    assert action.params_model.model_validate({"a": "2"}).a == 2.0
    with pytest.raises(ValidationError):
        action.params_model.model_validate({"a": -1})
    with pytest.raises(ValidationError):
        action.params_model.model_validate({"a": 1, "c": 2})


def test_call_passes_context_and_validates_result(tmp_path):
    action = make_pack().actions["demo.add"]
    ctx = ActionContext(home=tmp_path)
    out = action.call(action.params_model.model_validate({"a": 2, "b": 3}), ctx)
    assert out.total == 5 and out.basis == "a+b"


def test_output_path_never_overwrites(tmp_path):
    ctx = ActionContext(home=tmp_path, out_dir=tmp_path / "out")
    first = ctx.output_path("nda.docx")
    first.write_text("x")
    second = ctx.output_path("nda.docx")
    assert second != first and second.name == "nda-2.docx"


def test_spec_roundtrips_as_json():
    import json

    from intents.specs import pack_from_dict, to_dict, validate_pack

    spec = make_pack().spec()
    raw = json.loads(json.dumps(to_dict(spec)))
    assert pack_from_dict(raw) == spec
    assert validate_pack(raw) == spec


def test_bad_render_and_manifest_are_refused():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Pack(id="x", name="X", version="1", sensitive="PHI-not-a-list")
    pack = Pack(id="x", name="X", version="1")
    with pytest.raises(ValidationError):
        @pack.action(render={"kind": "hologram"})
        def thing() -> Result:
            """A thing."""


def test_return_annotation_required():
    pack = Pack(id="x", name="X", version="1", vertical="x")
    with pytest.raises(TypeError):
        @pack.action()
        def nothing(a: int = Slot("a")):
            """No result model."""
