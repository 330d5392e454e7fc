"""The core never imports the UI: intents/, entitlements/ and vertical_packs/ load without Textual or terminal/."""
from __future__ import annotations

import subprocess
import sys

CORE = [
    "intents.sdk", "intents.registry", "intents.dispatch", "intents.session", "intents.resolver",
    "intents.system_pack", "entitlements", "vertical_packs.finance", "vertical_packs.legal",
    "vertical_packs.healthcare",
]


def test_core_imports_no_ui():
    code = (
        "import sys\n"
        f"for m in {CORE!r}: __import__(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'terminal'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"core modules pulled in UI modules: {out}"


def _after_a_first_run(code: str) -> subprocess.CompletedProcess:
    """`code` run in a new process after a first run has built the pack cache (importing the packs): the
    everyday cold start, not the first one."""
    subprocess.run([sys.executable, "-m", "terminal.cli", "resolve", "--json", "warm the cache"],
                   capture_output=True, check=False)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


def test_resolve_path_imports_no_heavy_libraries(home):
    """`intent resolve` must not pay for openai, numpy, textual, the MCP SDK or the packs' field libraries."""
    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "main(['resolve', '--json', 'monthly payment on a 300k loan at 6.5% over 30 years'])\n"
        "heavy = ('openai', 'numpy', 'textual', 'simple_icd_10_cm', 'eyecite', 'dateparser', 'numpy_financial', 'pydantic', 'importlib.metadata', 'mcp', 'mcp_types')\n"
        "print('HEAVY:' + ','.join(sorted(m for m in sys.modules if m in heavy)), file=sys.stderr)\n"
    )
    proc = _after_a_first_run(code)
    assert "HEAVY:\n" in proc.stderr or proc.stderr.strip().endswith("HEAVY:"), proc.stderr


def test_do_builds_only_the_models_of_the_action_it_runs(home):
    """`intent do finance.loan_payment` imports the finance pack, which declares ten actions; pydantic builds
    the parameters and result models (and the SDK the spec) of the one it runs, not the other nine's
    (issue 20: building them all was most of the pack's import)."""
    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "rc = main(['do', 'finance.loan_payment', 'principal=300000', 'rate_pct=6.5', 'years=30', '--json'])\n"
        "from vertical_packs.finance import pack\n"
        "built = sorted(a.id for a in pack.actions.values() if a._spec is not None\n"
        "               or a._params_model is not None or a.result_model.__pydantic_complete__)\n"
        "print(f'RC:{rc} ACTIONS:{len(pack.actions)} BUILT:' + ','.join(built), file=sys.stderr)\n"
    )
    proc = _after_a_first_run(code)
    assert '"monthly_payment": 1896.2' in proc.stdout, proc.stdout + proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith("RC:0 ACTIONS:") and int(line.split("ACTIONS:")[1].split()[0]) >= 8, line
    assert line.endswith("BUILT:finance.loan_payment"), line



def test_do_builds_the_models_it_validates_with_but_no_json_schema(home):
    """A run validates with the action's parameters and result models; the spec's JSON schema of the
    parameters (slots, params_schema: what the resolver and the listings read, from the cache) is
    built where the pack is discovered or checked, not on each run (issue 20: ~2 ms a run)."""
    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "rc = main(['do', 'finance.loan_payment', 'principal=300000', 'rate_pct=6.5', 'years=30', '--json'])\n"
        "from vertical_packs.finance import pack\n"
        "a = pack.actions['finance.loan_payment']\n"
        "print(f'RC:{rc} SPEC:{a._spec is not None} PARAMS:{a._params_model is not None}'\n"
        "      f' RESULT:{a.result_model.__pydantic_complete__}', file=sys.stderr)\n"
    )
    proc = _after_a_first_run(code)
    assert '"monthly_payment": 1896.2' in proc.stdout, proc.stdout + proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "RC:0 SPEC:False PARAMS:True RESULT:True", proc.stderr


def test_do_of_an_action_without_a_context_imports_no_logging(home):
    """logging is imported for an action that takes an ActionContext (its logger) or to report a damaged
    history, not on every run (issue 20: ~2 ms); an ActionContext's default logger is made when read."""
    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "rc = main(['do', 'finance.loan_payment', 'principal=300000', 'rate_pct=6.5', 'years=30', '--json'])\n"
        "print(f'RC:{rc} LOGGING:{\"logging\" in sys.modules}', file=sys.stderr)\n"
        "from intents.sdk import ActionContext\n"
        "import logging\n"
        "print(f'DEFAULT:{ActionContext(home=\".\").log is logging.getLogger(\"intent.pack\")}', file=sys.stderr)\n"
    )
    proc = _after_a_first_run(code)
    assert '"monthly_payment": 1896.2' in proc.stdout, proc.stdout + proc.stderr
    assert proc.stderr.strip().splitlines()[-2:] == ["RC:0 LOGGING:False", "DEFAULT:True"], proc.stderr

def test_resolve_c_imports_only_what_a_follow_up_needs(home):
    """`intent resolve -c` reads one row of the history: beyond what a plain resolve imports it may load
    the follow-up reading and sqlite3, never the history's write path (logging, its patterns), the
    store or anything heavy. The `-c` cost target (issue 15) is held here by what is imported; its
    milliseconds are printed by bench/conversation.py."""
    allowed = {"intents.conversation", "intents.conversation_edits", "intents.history_last",
               "sqlite3", "sqlite3.dbapi2", "_sqlite3"}
    code = (
        "import sys\n"
        "from terminal.cli import main\n"
        "main(sys.argv[1:])\n"
        "print('MODULES:' + ','.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    cli = [sys.executable, "-m", "terminal.cli"]
    subprocess.run(cli + ["run", "--json", "monthly payment on a 300k loan at 6.5% over 30 years"],
                   capture_output=True, check=True)  # builds the pack cache and records the run -c continues

    def modules(*args):
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
        line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES:"))
        return proc.stdout, set(line[len("MODULES:"):].split(","))

    out, plain = modules("resolve", "--json", "what about at 7%?")
    out_c, follow = modules("resolve", "-c", "--json", "what about at 7%?")
    assert '"follows": null' in out and '"follows": 1' in out_c  # the follow-up really was read
    extra = follow - plain
    assert extra <= allowed, f"`resolve -c` also imports {sorted(extra - allowed)}"
    assert not {"intents.history", "logging", "entitlements"} & follow


def test_spec_dataclasses_default_their_lists_without_the_builtin():
    """pydantic reads a default factory's signature when it builds a validator for a spec dataclass (each
    pack's manifest, render and kinds are validated so when it is imported, on every run); for the builtin
    `list` that means tokenising its text signature, ~0.4 ms a field (issue 20). A list default is still
    a new empty list for each instance."""
    import dataclasses

    from intents import kinds, specs

    found = [f"{obj.__name__}.{f.name}" for mod in (kinds, specs) for obj in vars(mod).values()
             if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == mod.__name__
             for f in dataclasses.fields(obj) if f.default_factory is list]
    assert found == []
    a, b = specs.PackManifest(id="a", name="A", version="1"), specs.PackManifest(id="b", name="B", version="1")
    assert a.sensitive == [] and a.sensitive is not b.sensitive
