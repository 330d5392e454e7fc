"""Builds a realistic 50-page brief (about 3,000 characters and 4 case citations a page) for the speed test.

A page of a double-spaced brief holds ~250-300 words; real briefs cite a few cases a page, more in the
argument sections. The citations are real (U.S. Reports and F.3d/F.4th), with pin cites and string cites.
"""
from __future__ import annotations

PROSE = [
    "Plaintiff's complaint rests on conclusory allegations that do not permit the Court to infer more than "
    "the mere possibility of misconduct, and the Court need not accept legal conclusions couched as facts.",
    "The record shows that Defendant complied with every notice requirement in the agreement, and Plaintiff "
    "identifies no provision that required more than the written notice it admits receiving on time.",
    "Even read in the light most favourable to Plaintiff, the declarations describe ordinary business "
    "disagreements, not the kind of deliberate deception that the statute was enacted to remedy.",
    "Because the contract contains an integration clause, extrinsic evidence of earlier negotiations cannot "
    "vary its unambiguous terms, and the parol evidence on which Plaintiff relies is inadmissible.",
    "The balance of hardships also favours Defendant: an injunction would halt a lawful product line, while "
    "any injury Plaintiff might suffer is compensable in damages if Plaintiff ultimately prevails.",
    "Plaintiff waited more than two years after learning the relevant facts before filing suit, so the claim "
    "is barred by the applicable statute of limitations regardless of how the discovery rule is applied.",
]
CITES = [
    "Bell Atlantic Corp. v. Twombly, 550 U.S. 544, {pin} (2007)",
    "Ashcroft v. Iqbal, 556 U.S. 662, {pin} (2009)",
    "Celotex Corp. v. Catrett, 477 U.S. 317, {pin} (1986)",
    "Anderson v. Liberty Lobby, Inc., 477 U.S. 242, {pin} (1986)",
    "Matsushita Elec. Indus. Co. v. Zenith Radio Corp., 475 U.S. 574, {pin} (1986)",
    "Erie R.R. Co. v. Tompkins, 304 U.S. 64, {pin} (1938)",
    "Winter v. Natural Res. Def. Council, Inc., 555 U.S. 7, {pin} (2008)",
    "eBay Inc. v. MercExchange, L.L.C., 547 U.S. 388, {pin} (2006)",
    "Lujan v. Defenders of Wildlife, 504 U.S. 555, {pin} (1992)",
    "Spokeo, Inc. v. Robins, 578 U.S. 330, {pin} (2016)",
    "Conley v. Gibson, 355 U.S. 41, {pin} (1957)",
    "Lissner v. Saad, 1 F.4th 1, {pin} (1st Cir. 2021)",
]


def fifty_page_brief(pages: int = 50) -> tuple[str, int]:
    """(text, number of full case citations in it)."""
    out, n = [], 0
    for page in range(pages):
        paras = []
        for k in range(4):
            prose = " ".join(PROSE[(page + k + j) % len(PROSE)] for j in range(3))
            cite = CITES[(page * 4 + k) % len(CITES)].format(pin=100 + page + k)
            paras.append(f"{prose} See {cite}. {PROSE[(page + k) % len(PROSE)]}")
            n += 1
        out.append("\n\n".join(paras) + f"\n\n{page + 1}\n\f")
    return "".join(out), n
