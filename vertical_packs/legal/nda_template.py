"""Build the shipped NDA Word template (templates/nda.docx), a docxtpl/Jinja document.

The clause wording lives in nda.py (shared with the Markdown copy); the template only lays it out, so a firm
can restyle templates/nda.docx in Word without touching code. Regenerate with:

    python -m vertical_packs.legal.nda_template
"""
from __future__ import annotations

from pathlib import Path

TEMPLATE = Path(__file__).with_name("templates") / "nda.docx"
FIELDS = {"title", "intro", "clauses", "witness", "party_a", "party_b", "effective_date_text"}


def build(path: Path = TEMPLATE) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    core = doc.core_properties
    core.title, core.author, core.comments = "Non-Disclosure Agreement", "Intent Terminal", "docxtpl template"

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ title }}")
    run.bold, run.font.size = True, Pt(14)
    doc.add_paragraph("{{ intro }}").alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph("{%p for clause in clauses %}")
    heading = doc.add_paragraph()
    heading.paragraph_format.space_before = Pt(8)
    heading.paragraph_format.keep_with_next = True
    heading.add_run("{{ clause.number }}. {{ clause.heading }}").bold = True
    doc.add_paragraph("{{ clause.text }}").alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ witness }}").paragraph_format.space_before = Pt(12)

    table = doc.add_table(rows=5, cols=2)
    rows = [("{{ party_a }}", "{{ party_b }}"), ("By: ______________________", "By: ______________________"),
            ("Name:", "Name:"), ("Title:", "Title:"), ("Date:", "Date:")]
    for row, (left, right) in zip(table.rows, rows):
        row.cells[0].text, row.cells[1].text = left, right
    for cell in table.rows[0].cells:
        cell.paragraphs[0].runs[0].bold = True
    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "Confidential. Effective {{ effective_date_text }}."
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
