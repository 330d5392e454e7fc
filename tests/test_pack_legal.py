"""The legal pack against its published references: FRCP 6(a) and its 2009 Committee Note, the eyecite
README, the python-stdnum doctests, and documents we write and read back (NDA drafts, redacted copies)."""
from __future__ import annotations

import importlib.util
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from intents.errors import BadParameters

DATA = Path(__file__).parent / "data" / "legal"
DISCLAIMER = "Not legal advice"


def _helper(name: str):
    spec = importlib.util.spec_from_file_location(f"legal_{name}", DATA / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(session, action: str, **values) -> dict:
    outcome = session.run_action(f"legal.{action}", values)
    assert outcome.action == f"legal.{action}"
    return outcome.result


def bad(session, action: str, **values) -> BadParameters:
    with pytest.raises(BadParameters) as info:
        session.run_action(f"legal.{action}", values)
    assert info.value.exit_code == 2
    return info.value


# ---- the catalog contract ------------------------------------------------------------------------------
CATALOG = {
    "legal.deadline": (["start_date", "days", "day_type", "jurisdiction"], ["due_date", "rule", "rolled_forward_from"]),
    "legal.extract_citations": (["source"], ["count", "citations"]),
    "legal.draft_nda": (["party_a", "party_b", "mutual", "term_years", "governing_law"], ["path", "format"]),
    "legal.redact": (["source"], ["path", "redactions"]),
    "legal.contract_summary": (["source"], ["parties", "effective_date", "term", "governing_law", "amounts"]),
}
KINDS = {"start_date": "date", "days": "days", "day_type": "choice", "jurisdiction": "jurisdiction",
         "source": "source", "party_a": "party", "party_b": "party", "mutual": "boolean", "term_years": "years",
         "governing_law": "jurisdiction"}
DEFAULTS = {"day_type": "calendar", "jurisdiction": "US-federal", "mutual": True, "term_years": 2,
            "governing_law": "Delaware"}


def test_catalog_actions_slots_and_results():
    from vertical_packs.legal import pack

    assert pack.manifest.sensitive == ["privileged", "PII"]
    assert DISCLAIMER in pack.manifest.disclaimers[0]
    for action_id, (slots, fields) in CATALOG.items():
        spec = pack.actions[action_id].spec
        names = [s.name for s in spec.slots]
        assert names[: len(slots)] == slots, action_id
        for s in spec.slots:
            if s.name in KINDS:
                assert s.kind == KINDS[s.name], (action_id, s.name)
            if s.name in DEFAULTS:
                assert not s.required and s.default == DEFAULTS[s.name]
        assert set(fields) <= set(spec.result_fields), action_id
        assert len(spec.samples) >= 12 and spec.templates, action_id
    nda = pack.actions["legal.draft_nda"].spec
    assert nda.metered and nda.feature == "legal.draft_nda" and nda.risk.value == "writes-files"
    assert pack.actions["legal.redact"].spec.risk.value == "writes-files"
    assert pack.actions["legal.deadline"].spec.slot("day_type").choices == ["calendar", "court"]


def test_importing_the_pack_loads_no_field_library():
    import subprocess
    import sys

    code = ("import sys, vertical_packs.legal\n"
            "heavy = ('eyecite', 'holidays', 'docx', 'docxtpl', 'dateparser', 'phonenumbers', 'stdnum', 'pypdf')\n"
            "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"importing the legal pack loaded {out}"


# ---- legal.deadline: FRCP 6(a) -------------------------------------------------------------------------
def test_deadline_committee_note_forward(session, unlocked):
    # FRCP 6(a)(5), 2009 Committee Note: 30 days after an event land on Saturday 2007-09-01; Monday 09-03 is
    # Labor Day, so the filing is due Tuesday 2007-09-04.
    r = run(session, "deadline", start_date="2007-08-02", days=30)
    assert r["due_date"] == "2007-09-04"
    assert r["rolled_forward_from"] == "2007-09-01"
    assert [s["why"] for s in r["skipped"]] == ["Saturday", "Sunday", "Labor Day"]
    assert "6(a)(1)(C)" in r["rule"]
    assert DISCLAIMER in r["disclaimer"]


def test_deadline_calendar_event_round_trips(session, unlocked):
    # RFC 5545: an all-day event is DTSTART;VALUE=DATE with DTEND the next day; icalendar parses it back
    from icalendar import Calendar

    r = run(session, "deadline", start_date="2007-08-02", days=30)
    assert r["ics_path"] is None and r["due_date"] == "2007-09-04"
    r = run(session, "deadline", start_date="2007-08-02", days=30, calendar=True)
    path = Path(r["ics_path"])
    assert path.suffix == ".ics" and path.name == "deadline-2007-09-04.ics"
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"DTSTART;VALUE=DATE:20070904\r\n" in raw
    cal = Calendar.from_ical(raw)
    assert str(cal["version"]) == "2.0" and "Intent Terminal" in str(cal["prodid"])
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == date(2007, 9, 4) and event.decoded("dtend") == date(2007, 9, 5)
    assert str(event["summary"]) == "Deadline: 30 calendar days after 2007-08-02"
    assert "FRCP 6(a)" in str(event["description"]) and DISCLAIMER in str(event["description"])
    assert event["uid"] and event.decoded("dtstamp").tzinfo is not None
    (alarm,) = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    again = run(session, "deadline", start_date="2007-08-02", days=30, calendar=True)
    assert Path(again["ics_path"]) != path and path.read_bytes() == raw  # never overwritten


def test_deadline_committee_note_backward(session, unlocked):
    # Same Note: 21 days *before* an event landing on Saturday 2007-09-01 -> due Friday 2007-08-31
    # (6(a)(5): the "next day" is found by counting backward).
    r = run(session, "deadline", start_date="2007-09-22", days=-21)
    assert r["due_date"] == "2007-08-31"
    assert r["rolled_forward_from"] == "2007-09-01"
    assert "backward" in r["rule"]
    same = run(session, "deadline", start_date="2007-09-22", days=21, direction="before")
    assert same["due_date"] == "2007-08-31" and same["days"] == -21
    twice = run(session, "deadline", start_date="2007-09-22", days=-21, direction="before")
    assert twice["due_date"] == "2007-08-31"


def test_deadline_new_years_day_then_weekend(session, unlocked):
    # Issue 4's vector: 21 days from 2026-12-11 end on New Year's Day 2027 (Friday), then a weekend.
    r = run(session, "deadline", start_date="2026-12-11", days=21)
    assert r["due_date"] == "2027-01-04" and r["weekday"] == "Monday"
    assert r["rolled_forward_from"] == "2027-01-01"
    assert r["skipped"][0] == {"date": "2027-01-01", "why": "New Year's Day"}


def test_deadline_that_needs_no_roll(session, unlocked):
    # "answer due 21 days after service on 3 Mar 2025" (FRCP 12(a)(1)(A)(i)): 2025-03-24 is a Monday.
    r = run(session, "deadline", start_date="2025-03-03", days=21)
    assert r["due_date"] == "2025-03-24" and r["rolled_forward_from"] is None and r["skipped"] == []


def test_deadline_observed_federal_holiday(session, unlocked):
    # 5 U.S.C. 6103(b): Independence Day 2026 falls on Saturday and is observed Friday 2026-07-03, a legal
    # holiday under 6(a)(6)(A); 21 days after 2026-06-12 is that Friday -> Monday 2026-07-06.
    r = run(session, "deadline", start_date="2026-06-12", days=21)
    assert r["due_date"] == "2026-07-06"
    assert r["skipped"][0]["why"].startswith("Independence Day")


def test_deadline_days_declared_by_the_president(session, unlocked):
    # FRCP 6(a)(6)(B): "any day declared a holiday by the President". The executive order of December 2024
    # closed the executive departments on 2025-01-09, the National Day of Mourning for President Carter:
    # 21 days after 2024-12-19 fall on that Thursday -> Friday 2025-01-10.
    r = run(session, "deadline", start_date="2024-12-19", days=21)
    assert r["due_date"] == "2025-01-10" and "Carter" in r["skipped"][0]["why"]
    # Christmas Eve 2024 was closed by executive order too: 21 days after 2024-12-03 -> 12-24, 12-25 -> 12-26
    r = run(session, "deadline", start_date="2024-12-03", days=21)
    assert r["due_date"] == "2024-12-26"
    assert [s["why"] for s in r["skipped"]] == ["Christmas Eve", "Christmas Day"]
    # and an ordinary Christmas Eve (2026, a Thursday) is a working day
    assert run(session, "deadline", start_date="2026-12-03", days=21)["due_date"] == "2026-12-24"


def test_deadline_state_holidays_count_forward_only(session, unlocked):
    # Cal. Gov. Code 6700: Cesar Chavez Day, Tuesday 2026-03-31. FRCP 6(a)(6)(C) adds state holidays only
    # "for periods that are measured after an event".
    federal = run(session, "deadline", start_date="2026-03-10", days=21)
    california = run(session, "deadline", start_date="2026-03-10", days=21, jurisdiction="US-CA")
    assert federal["due_date"] == "2026-03-31"
    assert california["due_date"] == "2026-04-01" and california["jurisdiction"] == "US-CA"
    backward = run(session, "deadline", start_date="2026-04-21", days=-21, jurisdiction="California")
    assert backward["due_date"] == "2026-03-31"
    assert "6(a)(6)(C)" in backward["basis"]


def test_deadline_court_days(session, unlocked):
    # Court days (Cal. Civ. Proc. Code 12c style): 10 court days after Thursday 2026-01-15 skip the weekends
    # and MLK Day (2026-01-19) -> Friday 2026-01-30.
    r = run(session, "deadline", start_date="2026-01-15", days=10, day_type="court")
    assert r["due_date"] == "2026-01-30"
    assert r["skipped"] == [{"date": "2026-01-19", "why": "Martin Luther King Jr. Day"}]
    # 5 court days before Tuesday 2026-12-01: Thanksgiving (11-26) skipped -> Monday 2026-11-23
    r = run(session, "deadline", start_date="2026-12-01", days=-5, day_type="court")
    assert r["due_date"] == "2026-11-23"


def test_deadline_mail_service_adds_three_days(session, unlocked):
    # FRCP 6(d): 3 days are added after the period would otherwise expire under 6(a).
    r = run(session, "deadline", start_date="2026-02-02", days=21, mail_service=True)
    assert r["due_date"] == "2026-02-26"  # 02-23 (Mon) + 3
    # 14 days after 2026-05-04 is Mon 05-18, +3 = Thu 05-21; 14 days after 2026-05-06 is Wed 05-20, +3 = Sat -> Mon 05-25
    # is Memorial Day -> Tue 2026-05-26
    r = run(session, "deadline", start_date="2026-05-06", days=14, mail_service=True)
    assert r["due_date"] == "2026-05-26"


@pytest.mark.parametrize(
    "values, param",
    [
        ({"start_date": "2026-01-01", "days": 0}, "days"),
        ({"start_date": "2026-01-01", "days": 40000}, "days"),
        ({"start_date": "2026-01-01", "days": 10, "jurisdiction": "Narnia"}, "jurisdiction"),
        ({"start_date": "2026-01-01", "days": 10, "day_type": "business"}, "day_type"),
        ({"start_date": "1066-10-14", "days": 10}, "start_date"),
        ({"start_date": "2026-02-30", "days": 10}, "start_date"),
        ({"start_date": "2026-01-01", "days": -10, "mail_service": True}, "mail_service"),
        ({"start_date": "2026-01-01", "days": 10, "direction": "sideways"}, "direction"),
    ],
)
def test_deadline_rejects_implausible_input(session, unlocked, values, param):
    assert bad(session, "deadline", **values).extra["param"] == param


@pytest.mark.parametrize("given", ["US-CA", "us-ca", "CA", "California", "State of California", "california state"])
def test_jurisdiction_spellings(given):
    from vertical_packs.legal.jurisdictions import parse_us_jurisdiction

    assert parse_us_jurisdiction(given) == ("US-CA", "CA")
    assert parse_us_jurisdiction("federal") == ("US-federal", None)


# ---- legal.extract_citations: eyecite --------------------------------------------------------------------
def test_citations_eyecite_readme_vector(session, unlocked):
    # eyecite README: "bob lissner v. test 1 U.S. 12, 347-348 (4th Cir. 1982)"
    r = run(session, "extract_citations", source="bob lissner v. test 1 U.S. 12, 347-348 (4th Cir. 1982)")
    assert r["count"] == 1
    c = r["citations"][0]
    assert (c["text"], c["volume"], c["reporter"], c["page"], c["year"]) == ("1 U.S. 12", "1", "U.S.", "12", 1982)
    assert c["pin_cite"] == "347-348" and c["court"] == "ca4"


def test_citations_reporter_normalised(session, unlocked):
    # eyecite README: "1 F. 2d 5" is normalised to "1 F.2d 5"; the matched text is kept as written.
    r = run(session, "extract_citations", source="See 1 F. 2d 5 for the point.")
    c = r["citations"][0]
    assert c["text"] == "1 F. 2d 5" and c["reporter"] == "F.2d"


def test_citations_string_cite_year_bleed_regression(session, unlocked):
    # eyecite 2.7.8 gives Bush v. Gore the year 2021 in this string cite (year bleed, cf.
    # courtlistener-api-client#125); we read the parenthetical that follows each citation instead.
    text = "Bush v. Gore, 531 U.S. 98 (2000); Lissner v. Saad, 1 F.4th 1 (1st Cir. 2021)"
    r = run(session, "extract_citations", source=text)
    bush, lissner = r["citations"]
    assert (bush["text"], bush["year"]) == ("531 U.S. 98", 2000)
    assert (lissner["text"], lissner["year"], lissner["court"]) == ("1 F.4th 1", 2021, "ca1")
    from eyecite import get_citations

    if get_citations(text)[0].metadata.year == "2021":  # the upstream bug is still there: we say so
        assert "2021" in bush["year_note"] and "year" in r["basis"]


def test_citations_in_a_brief_file(session, unlocked):
    r = run(session, "extract_citations", source=str(DATA / "brief.txt"))
    found = {c["text"]: c for c in r["citations"]}
    assert r["count"] == 10
    assert found["550 U.S. 544"]["year"] == 2007 and found["550 U.S. 544"]["pin_cite"] == "570"
    assert found["556 U.S. 662"]["case_name"] == "Ashcroft v. Iqbal"
    # a parallel cite broken over two lines: "93 S. Ct.\n705 (1973)"
    assert found["410 U.S. 113"]["year"] == 1973 and found["93 S. Ct. 705"]["parallel_to"] == "410 U.S. 113"
    assert found["531 U.S. 98"]["year"] == 2000
    assert r["other_citations"] == {"id": 1, "short_case": 1, "statute": 1}
    assert r["source"].endswith("brief.txt")


def test_citations_from_pdf_and_docx(session, unlocked, tmp_path):
    pdf = _helper("minipdf").write_pdf(
        tmp_path / "brief.pdf",
        [["The standard is settled. Bell Atlantic Corp. v. Twombly, 550 U.S. 544,"],
         ["570 (2007); Ashcroft v. Iqbal, 556 U.S. 662, 678 (2009)."]],
    )
    r = run(session, "extract_citations", source=str(pdf))
    assert [(c["text"], c["year"]) for c in r["citations"]] == [("550 U.S. 544", 2007), ("556 U.S. 662", 2009)]
    from docx import Document

    doc = Document()
    doc.add_paragraph("Summary judgment: Celotex Corp. v. Catrett, 477 U.S. 317, 322 (1986).")
    doc.save(tmp_path / "motion.docx")
    r = run(session, "extract_citations", source=str(tmp_path / "motion.docx"))
    assert r["citations"][0]["text"] == "477 U.S. 317" and r["citations"][0]["year"] == 1986


def test_citations_fifty_page_brief_under_a_second():
    from vertical_packs.legal.citations import find_citations

    text, expected = _helper("longbrief").fifty_page_brief()
    assert len(text) > 150_000
    find_citations(text[:3000])  # load eyecite's reporter tables once: the target is the warm run
    best_cpu = best_wall = float("inf")
    for _ in range(2):
        c0, w0 = time.process_time(), time.perf_counter()
        found, _ = find_citations(text)
        best_cpu, best_wall = min(best_cpu, time.process_time() - c0), min(best_wall, time.perf_counter() - w0)
    assert len(found) == expected
    # CPU time, so that other processes on a shared machine do not decide the result
    assert best_cpu < 1.0, f"50-page brief took {best_cpu:.2f} s CPU ({best_wall:.2f} s wall)"


def test_eyecite_court_lookup_patch_is_equivalent():
    from eyecite import helpers

    from vertical_packs.legal.citations import _speed_up_eyecite

    _speed_up_eyecite()
    fast, original = helpers.get_court_by_paren, helpers.get_court_by_paren.original
    samples = ["1st Cir.", "4th Cir", "S.D.N.Y.", "Pa. Super.", "Cal. Ct. App.", "N.D. Ill.", "D. Mass.", "Tex.", "",
               "Fed. Cir.", "B.A.P. 9th Cir.", "Bankr. W.D. Tex.", "nonsense court"]
    samples += [c["citation_string"] for c in helpers.courts[::400]]
    for s in samples:
        assert fast(s) == (None if original(s) is None else str(original(s))), s


# ---- sources ------------------------------------------------------------------------------------------------
def test_source_errors_name_the_parameter(session, unlocked, tmp_path):
    for action in ("extract_citations", "redact", "contract_summary"):
        err = bad(session, action, source=str(tmp_path / "missing.pdf"))
        assert err.extra["param"] == "source" and "no such file" in err.message
    err = bad(session, "contract_summary", source=str(tmp_path))
    assert "folder" in err.message
    blob = tmp_path / "scan.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary" in bad(session, "redact", source=str(blob)).message
    huge = tmp_path / "dump.txt"
    with open(huge, "wb") as f:
        f.truncate(30 * 1024 * 1024)
    assert "limit" in bad(session, "extract_citations", source=str(huge)).message
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert ".docx" in bad(session, "contract_summary", source=str(tmp_path / "old.doc")).message
    (tmp_path / "fake.docx").write_text("not a zip")
    assert "not a readable .docx" in bad(session, "contract_summary", source=str(tmp_path / "fake.docx")).message
    (tmp_path / "fake.pdf").write_text("not a pdf")
    assert bad(session, "extract_citations", source=str(tmp_path / "fake.pdf")).extra["param"] == "source"
    assert bad(session, "redact", source="   ").extra["param"] == "source"


def test_source_text_or_path():
    from vertical_packs.legal.sources import looks_like_path, read_source

    assert looks_like_path("brief.pdf") and looks_like_path("~/cases/memo.md") and looks_like_path("Exhibit A.docx")
    assert not looks_like_path("Bush v. Gore, 531 U.S. 98 (2000)")
    assert not looks_like_path("see 1 F.4th 1")
    assert not looks_like_path("line one\nline two.txt")
    assert read_source("plain words").kind == "inline"


def test_source_encodings(tmp_path):
    from vertical_packs.legal.sources import read_source

    (tmp_path / "a.txt").write_bytes("Café “quoted” § 1983".encode("cp1252"))
    assert read_source(str(tmp_path / "a.txt")).text == "Café “quoted” § 1983"
    (tmp_path / "b.txt").write_text("Zoë v. Ünal", encoding="utf-16")
    assert read_source(str(tmp_path / "b.txt")).text == "Zoë v. Ünal"


# ---- legal.draft_nda -----------------------------------------------------------------------------------
def _docx_text(path: str) -> str:
    from docx import Document

    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    parts += [p.text for s in doc.sections for p in s.footer.paragraphs]
    return "\n".join(parts)


def test_draft_mutual_nda_reads_back(session, unlocked, tmp_path):
    r = run(session, "draft_nda", party_a="Initech LLC", party_b="Globex", term_years=3, governing_law="New York")
    assert r["format"] == "docx" and r["path"].endswith(".docx")
    path = Path(r["path"])
    assert path.parent == tmp_path / "out" and path.exists()
    text = _docx_text(r["path"])
    assert "MUTUAL NON-DISCLOSURE AGREEMENT" in text
    assert "by and between Initech LLC and Globex" in text
    assert "three (3) years" in text and "the laws of the State of New York" in text
    assert "18 U.S.C. § 1833(b)" in text  # DTSA immunity notice under US law
    today = date.today()
    assert f"{today:%B} {today.day}, {today.year}" in text
    assert "{{" not in text and "{%" not in text
    md = Path(r["markdown_path"]).read_text()
    assert md.startswith("# MUTUAL NON-DISCLOSURE AGREEMENT") and "three (3) years" in md
    assert r["governing_law"] == "New York" and r["effective_date"] == today.isoformat()
    assert DISCLAIMER in r["disclaimer"]


def test_draft_one_way_nda_and_never_overwrite(session, unlocked):
    first = run(session, "draft_nda", party_a="Acme Corp", party_b="Bob Jones", mutual=False,
                governing_law="US-CA", effective_date="2026-01-15")
    second = run(session, "draft_nda", party_a="Acme Corp", party_b="Bob Jones", mutual=False,
                 governing_law="US-CA", effective_date="2026-01-15")
    assert first["path"] != second["path"] and Path(first["path"]).exists() and Path(second["path"]).exists()
    assert second["path"].endswith("-2.docx") and second["markdown_path"].endswith("-2.md")
    text = _docx_text(second["path"])
    assert text.startswith("NON-DISCLOSURE AGREEMENT")
    assert 'Acme Corp ("Discloser") and Bob Jones ("Recipient"' in text
    assert "January 15, 2026" in text and "the laws of the State of California" in text
    assert "two (2) years" in text  # the default term


def test_draft_nda_is_metered_on_pro(home, tmp_path, monkeypatch):
    # Catalog: pro includes legal.draft_nda 20 per calendar month; each draft consumes one.
    from intents.session import Session
    from tests.licensing import activate_plan

    activate_plan(home, "pro", monkeypatch)
    session = Session(home=home, out_dir=tmp_path / "out")
    run(session, "draft_nda", party_a="Acme", party_b="Bob")
    usage = {u["feature"]: u for u in session.gate.summary()["usage"]}
    assert (usage["legal.draft_nda"]["used"], usage["legal.draft_nda"]["limit"]) == (1, 20)


def test_draft_nda_escapes_names_for_word(session, unlocked):
    r = run(session, "draft_nda", party_a="Procter & Gamble <US>", party_b="AT&T Inc.")
    text = _docx_text(r["path"])
    assert "by and between Procter & Gamble <US> and AT&T Inc." in text
    assert Path(r["path"]).name == "NDA-Procter-Gamble-US-AT-T-Inc.docx"


def test_draft_nda_foreign_law_and_commonwealths():
    from vertical_packs.legal.nda import governing, term_text

    assert governing("England and Wales") == ("England and Wales", "the laws of England and Wales", False)
    assert governing("Massachusetts")[1] == "the laws of the Commonwealth of Massachusetts"
    assert governing("DC")[1] == "the laws of the District of Columbia"
    assert term_text(1.5) == "eighteen (18) months" and term_text(1) == "one (1) year"


@pytest.mark.parametrize(
    "values, param",
    [
        ({"party_a": "Acme", "party_b": "ACME"}, "party_b"),
        ({"party_a": "  ", "party_b": "Bob"}, "party_a"),
        ({"party_a": "Acme", "party_b": "Bob", "governing_law": "Narnia"}, "governing_law"),
        ({"party_a": "Acme", "party_b": "Bob", "governing_law": "US-federal"}, "governing_law"),
        ({"party_a": "Acme", "party_b": "Bob", "term_years": 0}, "term_years"),
        ({"party_a": "Acme", "party_b": "Bob", "term_years": 99}, "term_years"),
    ],
)
def test_draft_nda_rejects_implausible_input(session, unlocked, values, param):
    assert bad(session, "draft_nda", **values).extra["param"] == param


def test_nda_template_declares_exactly_our_fields():
    from docxtpl import DocxTemplate

    from vertical_packs.legal.nda_template import FIELDS, TEMPLATE

    assert TEMPLATE.exists(), "regenerate with python -m vertical_packs.legal.nda_template"
    assert DocxTemplate(str(TEMPLATE)).get_undeclared_template_variables() == FIELDS


# ---- legal.redact ----------------------------------------------------------------------------------------
def test_redact_stdnum_doctest_vectors(session, unlocked):
    # python-stdnum doctests: us.ssn 536-90-4399 is valid; 078-05-1120 (the Woolworth wallet number) and
    # 666-00-0000 are rejected; iban GB82 WEST 1234 5698 7654 32 is valid.
    r = run(session, "redact", source=str(DATA / "exhibit.txt"))
    out = Path(r["path"]).read_text()
    assert Path(r["path"]).name == "exhibit.redacted.txt"
    assert "536-90-4399" not in out and "[REDACTED SSN]" in out
    assert "078-05-1120" in out and "666-00-0000" in out
    assert "GB82 WEST" not in out and "[REDACTED IBAN] HELD AT WESTMINSTER" in out
    assert "4111 1111 1111 1111" not in out and "(415) 555-0132" not in out and "+44 20 7946 0958" not in out
    assert "jane.public@example.com" not in out
    assert "2024-CV-01234" in out and "1234567890123" in out  # docket numbers are not personal data
    assert r["redactions"] == {"ssn": 1, "phone": 2, "email": 1, "card": 1, "iban": 1}
    assert r["total"] == 6 and r["redacted_text"] is None


def test_redact_checksums_decide(session, unlocked):
    # 4111 1111 1111 1111 (Visa) and 5555 5555 5555 4444 (Mastercard) are the card networks' published test
    # numbers and pass Luhn; changing the last digit breaks it. DE89 3704 0044 0532 0130 00 is the German
    # example IBAN of the ECBS/SWIFT IBAN registry; a changed check digit must not be redacted as an IBAN.
    text = ("good 4111 1111 1111 1111 bad 4111 1111 1111 1112 mc 5555555555554444; "
            "iban ok DE89 3704 0044 0532 0130 00, bad DE89 3704 0044 0532 0130 01")
    r = run(session, "redact", source=text)
    out = r["redacted_text"]
    assert "4111 1111 1111 1112" in out and "5555555555554444" not in out
    assert "DE89 3704 0044 0532 0130 01" in out and "DE89 3704 0044 0532 0130 00" not in out
    assert r["redactions"] == {"card": 2, "iban": 1}


def test_redact_unseparated_ssn_only_when_labelled(session, unlocked):
    r = run(session, "redact", source="SSN: 536904399. Invoice 536904399 is unrelated.", kinds=["ssn"])
    assert r["redacted_text"] == "SSN: [REDACTED SSN]. Invoice 536904399 is unrelated."


def test_redact_only_the_kinds_asked_and_names(session, unlocked):
    text = "Jane Doe (jane@example.com, 415-555-0132) SSN 536-90-4399"
    r = run(session, "redact", source=text, kinds=["SSNs", "phone numbers"])
    assert r["redactions"] == {"ssn": 1, "phone": 1} and "jane@example.com" in r["redacted_text"]
    r = run(session, "redact", source=text, kinds="email", names="jane doe")
    assert r["redacted_text"].startswith("[REDACTED NAME] ([REDACTED EMAIL]")
    assert bad(session, "redact", source=text, kinds=["passport"]).extra["param"] == "kinds"
    assert bad(session, "redact", source=text, region="Atlantis").extra["param"] == "region"


def test_redact_docx_keeps_formatting(session, unlocked, tmp_path):
    from docx import Document

    doc = Document()
    p = doc.add_paragraph("Client SSN: ")
    p.add_run("536-90").bold = True
    p.add_run("-4399, phone (415) 555-0132.")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Email"
    table.rows[0].cells[1].text = "jane@example.com"
    doc.save(tmp_path / "intake.docx")
    r = run(session, "redact", source=str(tmp_path / "intake.docx"))
    assert r["path"].endswith("intake.redacted.docx")
    out = Document(r["path"])
    assert out.paragraphs[0].text == "Client SSN: [REDACTED SSN], phone [REDACTED PHONE]."
    assert out.paragraphs[0].runs[1].bold  # the token sits in the bold run where the SSN began
    assert out.tables[0].rows[0].cells[1].text == "[REDACTED EMAIL]"
    assert r["redactions"] == {"ssn": 1, "phone": 1, "email": 1}


# ---- legal.contract_summary -------------------------------------------------------------------------------
def test_contract_summary_lease(session, unlocked):
    r = run(session, "contract_summary", source=str(DATA / "lease.txt"))
    assert r["parties"] == ["Acme Properties LLC", "Robert Smith"]
    assert r["roles"] == {"Acme Properties LLC": "Landlord", "Robert Smith": "Tenant"}
    assert r["effective_date"] == "2025-03-01"
    assert r["term"] == "12 months" and r["term_text"] == "twelve (12) months"
    assert r["governing_law"] == "New York"
    assert [(a["value"], a["currency"]) for a in r["amounts"]] == [(2450.0, "USD"), (75.0, "USD"), (4900.0, "USD")]
    assert "rent" in r["amounts"][0]["context"]
    assert r["not_found"] == []


def test_contract_summary_services_agreement(session, unlocked, tmp_path):
    pdf_lines = (DATA / "services.txt").read_text().splitlines()
    pdf = _helper("minipdf").write_pdf(tmp_path / "msa.pdf", [pdf_lines[:8], pdf_lines[8:]])
    r = run(session, "contract_summary", source=str(pdf))
    assert r["parties"] == ["Globex Corporation", "Initech, Inc."]
    assert r["roles"]["Initech, Inc."] == "Service Provider"
    assert r["effective_date"] == "2024-07-15"  # "the 15th day of July, 2024"
    assert r["term"] == "3 years" and r["governing_law"] == "Massachusetts"
    assert [(a["value"], a["currency"]) for a in r["amounts"]] == [(120000.0, "USD"), (5000.0, "EUR"), (1500000.0, "USD")]


def test_contract_summary_reads_back_our_own_nda(session, unlocked):
    nda = run(session, "draft_nda", party_a="Initech LLC", party_b="Globex", term_years=3,
              governing_law="Texas", effective_date="2026-02-01")
    r = run(session, "contract_summary", source=nda["path"])
    assert r["parties"] == ["Initech LLC", "Globex"]
    assert r["effective_date"] == "2026-02-01" and r["term"] == "3 years" and r["governing_law"] == "Texas"


PREAMBLES = [
    ('This Non-Disclosure Agreement (this "Agreement") is entered into as of 2024-05-01 by and between ABC Corp., '
     'a New York corporation, with offices at 1 Main St ("ABC"), and XYZ Ltd. ("XYZ").',
     ["ABC Corp.", "XYZ Ltd."], "2024-05-01", None, None),
    ("EMPLOYMENT AGREEMENT made on 3rd June 2023 between Widget Co (the Company) and John Doe (the Employee). "
     "This agreement is governed by English law.", ["Widget Co", "John Doe"], "2023-06-03", None, "England and Wales"),
    ("THIS AGREEMENT is dated 05/01/2022 and is between: Alpha Inc. and Beta LLC. The initial term of this "
     "Agreement is 24 months. This Agreement shall be governed by the laws of Delaware.",
     ["Alpha Inc.", "Beta LLC"], "2022-05-01", "24 months", "Delaware"),
    ("Software License Agreement\nLicensor: Foo Software GmbH\nLicensee: Bar Corp\nEffective Date: January 15, "
     "2024\nThis Agreement is governed by and construed in accordance with the laws of Germany.",
     ["Foo Software GmbH", "Bar Corp"], "2024-01-15", None, "Germany"),
]


@pytest.mark.parametrize("text, parties, effective, term, law", PREAMBLES)
def test_contract_summary_preamble_styles(session, unlocked, text, parties, effective, term, law):
    r = run(session, "contract_summary", source=text)
    assert (r["parties"], r["effective_date"], r["term"], r["governing_law"]) == (parties, effective, term, law)


def test_contract_summary_says_what_it_did_not_find(session, unlocked):
    r = run(session, "contract_summary", source="Thanks for lunch yesterday, see you soon.")
    assert r["parties"] == [] and r["effective_date"] is None and r["term"] is None
    assert set(r["not_found"]) == {"parties", "effective_date", "term", "governing_law", "amounts"}


# ---- through the real CLI ---------------------------------------------------------------------------------
def test_cli_deadline_and_bad_jurisdiction(cli, unlocked):
    r = cli("do", "legal.deadline", "start_date=2026-12-11", "days=21", "--json")
    assert r.code == 0, r.err
    assert r.json["result"]["due_date"] == "2027-01-04" and DISCLAIMER in r.json["result"]["disclaimer"]
    r = cli("do", "legal.deadline", "start_date=2026-12-11", "days=21", "jurisdiction=Mars", "--json")
    assert r.code == 2 and r.json["error"]["param"] == "jurisdiction"


def test_cli_redact_relative_path_into_out_dir(cli, unlocked, tmp_path):
    shutil.copy(DATA / "exhibit.txt", tmp_path / "exhibit.txt")
    r = cli("do", "legal.redact", "source=exhibit.txt", "--out", str(tmp_path / "redacted"), "--json")
    assert r.code == 0, r.err
    assert Path(r.json["result"]["path"]) == tmp_path / "redacted" / "exhibit.redacted.txt"
    r = cli("do", "legal.redact", "source=nowhere.txt", "--json")
    assert r.code == 2 and r.json["error"]["param"] == "source"


def test_legal_pack_needs_an_entitlement(cli):
    r = cli("do", "legal.deadline", "start_date=2026-12-11", "days=21", "--json")
    assert r.code == 5 and r.json["error"]["feature"] == "pack.legal"


def test_redact_names_everywhere_in_any_case(session, unlocked, tmp_path):
    # issue 17: names the user gives are redacted wherever they occur, in any case and spacing, ' or ’
    text = ("Kevin O'Brien signed. KEVIN O’BRIEN, kevin\n o'brien and Mr. O'Brien's lawyer; Annex A lists "
            "Ann Lee. Acme Inc. paid.")
    r = run(session, "redact", source=text, names=["Kevin O'Brien", "ann lee", "ACME INC."], kinds=["email"])
    out = r["redacted_text"]
    assert out.count("[REDACTED NAME]") == 5 and "Annex A" in out and "Mr. O'Brien's" in out
    assert r["redactions"] == {"name": 5}


def test_redact_names_in_docx_metadata_and_file_name(session, unlocked, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("Client: Jane Roe")
    doc.sections[0].header.paragraphs[0].text = "Privileged - JANE ROE matter"
    doc.core_properties.author = "jane roe"
    doc.core_properties.title = "Intake for Jane Roe"
    doc.save(tmp_path / "jane_roe-intake.docx")
    r = run(session, "redact", source=str(tmp_path / "jane_roe-intake.docx"), names=["Jane Roe"])
    assert Path(r["path"]).name == "name-intake.redacted.docx"
    out = Document(r["path"])
    assert "Roe" not in out.paragraphs[0].text and "ROE" not in out.sections[0].header.paragraphs[0].text
    assert out.core_properties.author == "[REDACTED NAME]" and "Roe" not in out.core_properties.title
    assert r["redactions"] == {"name": 4}


def test_citations_short_names(session, unlocked):
    # Bluebook 10.9 short forms: the first party's name, unless it is a government (United States, People),
    # then the other party's; "In re Gault" -> Gault. eyecite gives Nixon and Anderson an earlier case's
    # name (it reads back past the sentence end); the names written right before them are used instead.
    text = ("See Bush v. Gore, 531 U.S. 98 (2000); Lissner v. Saad, 1 F.4th 1 (1st Cir. 2021). In re Gault, "
            "387 U.S. 1 (1967). United States v. Nixon, 418 U.S. 683 (1974). Roe v. Wade, 410 U.S. 113, 93 S. Ct. "
            "705 (1973). People v. Anderson, 6 Cal. 3d 628 (1972).")
    r = run(session, "extract_citations", source=text)
    got = {c["text"]: (c["case_name"], c["short_name"]) for c in r["citations"]}
    assert got == {
        "531 U.S. 98": ("Bush v. Gore", "Bush"), "1 F.4th 1": ("Lissner v. Saad", "Lissner"),
        "387 U.S. 1": ("In re Gault", "Gault"), "418 U.S. 683": ("United States v. Nixon", "Nixon"),
        "410 U.S. 113": ("Roe v. Wade", "Roe"), "93 S. Ct. 705": ("Roe v. Wade", "Roe"),
        "6 Cal. 3d 628": ("People v. Anderson", "Anderson"),
    }
    nixon = next(c for c in r["citations"] if c["text"] == "418 U.S. 683")
    assert "earlier citation" in nixon["name_note"]
