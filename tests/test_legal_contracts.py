"""legal.contract_summary on agreements of varied style (tests/data/legal/agreements): plain-English,
US commercial, English and Singapore drafting, and exhibits recreated in the style of SEC EDGAR filings
(05, 06 and 15: EXHIBIT 10.x headings, all-caps party names, WITNESSETH, "Section 6.1"). Every expected value
was read off the agreement by hand; null where the agreement has no such clause."""
from __future__ import annotations

from pathlib import Path

import pytest

AGREEMENTS = Path(__file__).parent / "data" / "legal" / "agreements"

# file: parties, effective_date, term, governing_law, renewal (words it must contain, or None),
#       termination_notice, liability_cap (words it must contain, or None)
EXPECTED = {
    "01_consulting_plain": (["Brightline Analytics LLC", "Maria Lopez"], "2025-06-01", "2 years", "Texas",
                            None, "30 days", None),
    "02_lease_short": (["Harbor View Apartments Inc.", "Kevin O'Brien"], "2025-09-01", "12 months", "Pennsylvania",
                       "month-to-month", "60 days", None),
    "03_saas_msa": (["CloudMint, Inc.", "Northwind Traders Ltd."], "2026-01-15", "3 years", "California",
                    "automatically for successive terms of 1 year, unless notice of non-renewal is given 90 days",
                    "60 days", "TOTAL FEES PAID OR PAYABLE BY CUSTOMER IN THE TWELVE (12) MONTHS"),
    "04_nda_mutual": (["Pinecrest Bio Corp.", "Helix Data GmbH"], "2025-03-03", "5 years", "England and Wales",
                      None, "1 month", None),
    "05_employment_edgar": (["ORION THERAPEUTICS, INC.", "JANE R. DOE"], "2024-02-01", "3 years", "New York",
                            "automatically for successive terms of 1 year, unless notice of non-renewal is given 90 days",
                            "60 days", None),
    "06_credit_edgar": (["MERIDIAN RETAIL HOLDINGS, INC.", "FIRST LAKESIDE BANK, N.A."], "2023-11-30", "5 years",
                        "Minnesota", None, None, None),
    "07_supply_uk": (["Thames Components Limited", "Rhine Motoren AG"], "2025-04-14", "24 months",
                     "England and Wales", "automatically for terms of 12 months, unless notice of non-renewal is "
                     "given 3 months", "6 months", "£500,000"),
    "08_license_germany": (["Foo Software GmbH", "Bar Corp"], "2024-01-15", "2 years", "Germany",
                           "option to renew for 2 years", None, "license fees paid by the Licensee in the preceding"),
    "09_services_nc": (["Piedmont Health Partners, P.C.", "Samuel Greene"], "2025-07-01", "6 months",
                       "North Carolina", "mutual agreement", "15 days", None),
    "10_distribution_ny": (["Alpine Beverages Corp.", "Gotham Food Service LLC"], "2024-10-10", "5 years", "New York",
                           "option to renew for 3 years (up to 2)", None, "the greater of (a) $2,000,000"),
    "11_loan_note": (["Riverbend Cafe LLC", "Clara Nguyen"], "2025-05-05", "36 months", "Oregon", None, None, None),
    "12_no_clauses_letter": ([], None, None, None, None, None, None),
    "13_commercial_lease": (["Lakeshore Plaza Partners, L.P.", "Bean There Coffee Co."], "2025-08-01", "10 years",
                            "Illinois", "option to renew for 5 years", None, None),
    "14_agency_canada": (["Maple Leaf Outdoor Ltd.", "Northern Lights Creative Inc."], "2026-03-01", "18 months",
                         "Ontario", "automatically for terms of 12 months", "90 calendar days", "CAD 100,000"),
    "15_ip_assignment_delaware": (["VERTEX QUANTUM LABS, INC.", "QUBITWORKS HOLDINGS LLC"], "2022-12-12", "7 years",
                                  "Delaware", None, "120 days", "ONE MILLION DOLLARS ($1,000,000)"),
    "16_franchise_words": (["Sunny Side Franchising, LLC", "Oak Street Breakfast, Inc."], "2025-03-03", "15 years",
                           "Florida", "option to renew for 10 years", "180 days", None),
    "17_joint_venture_sg": (["Lion City Logistics Pte. Ltd.", "Tokyo Freight K.K."], "2026-01-02", "4 years",
                            "Singapore", None, "6 months", "SGD 3,000,000"),
    "18_reseller_washington": (["Cascade Devices Corporation", "PixelMart Stores LLC"], "2025-04-20", "2 years",
                               "Washington", "automatically for successive terms of 2 years, unless notice of "
                               "non-renewal is given 30 days", "45 days", "the purchase price of the Products"),
}


def test_every_agreement_has_expectations():
    assert sorted(p.stem for p in AGREEMENTS.glob("*.txt")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_contract_summary_on_agreement(session, unlocked, name):
    parties, effective, term, law, renewal, notice, cap = EXPECTED[name]
    r = session.run_action("legal.contract_summary", {"source": str(AGREEMENTS / f"{name}.txt")}).result
    assert r["parties"] == parties
    assert r["effective_date"] == effective
    assert r["term"] == term
    assert r["governing_law"] == law
    assert r["termination_notice"] == notice
    if renewal is None:
        assert r["renewal"] is None
    else:
        assert renewal in r["renewal"], r["renewal"]
    if cap is None:
        assert r["liability_cap"] is None
    else:
        assert cap in r["liability_cap"], r["liability_cap"]
        assert r["liability_cap_text"] and cap.split()[0].lower() in r["liability_cap_text"].lower()


def test_liability_cap_amount_when_a_sum(session, unlocked):
    r = session.run_action("legal.contract_summary", {"source": str(AGREEMENTS / "17_joint_venture_sg.txt")}).result
    assert (r["liability_cap_amount"], r["liability_cap_currency"]) == (3_000_000.0, "SGD")
    r = session.run_action("legal.contract_summary", {"source": str(AGREEMENTS / "03_saas_msa.txt")}).result
    assert r["liability_cap_amount"] is None  # a formula, not a sum


# the failing sentences and the edges of the period grammar, each read by hand
INLINE = [
    ("The term is two (2) years. This Agreement is governed by the laws of the State of Texas. Consultant shall "
     "deliver the reports monthly.", "2 years", "Texas"),
    ("The lease term is 12 months and the rent is $900 a month.", "12 months", None),
    ("The initial term of this Agreement is twenty-four (24) months. This Agreement shall be governed by and "
     "construed in accordance with the laws of the State of New York.", "24 months", "New York"),
    ("This Agreement has a term of two (3) years.", "3 years", None),  # the digits in parentheses win
    ("The Term shall be one hundred twenty (120) days from signing.", "120 days", None),
    ("The Term shall be one (1) year. Governing Law: This Agreement is governed by Delaware law.", "1 year", "Delaware"),
    ("The Term of this Lease shall expire on the second anniversary of the Commencement Date. "
     "The laws of the State of Ohio shall govern this Lease.", "2 years", "Ohio"),
    ("Renewal terms of five years each may follow. Either party may terminate on 10 days notice.", None, None),
]


@pytest.mark.parametrize("text, term, law", INLINE)
def test_term_and_law_in_real_sentences(session, unlocked, text, term, law):
    r = session.run_action("legal.contract_summary", {"source": text}).result
    assert (r["term"], r["governing_law"]) == (term, law)


def test_cure_period_is_not_the_termination_notice(session, unlocked):
    text = ("Either party may terminate this Agreement if the other fails to cure a material breach within thirty "
            "(30) days after written notice of the breach.")
    assert session.run_action("legal.contract_summary", {"source": text}).result["termination_notice"] is None


def test_including_but_not_limited_to_is_no_cap(session, unlocked):
    text = ("Supplier shall be liable for all losses, including but not limited to the cost of replacement goods, "
            "arising from defective Products.")
    assert session.run_action("legal.contract_summary", {"source": text}).result["liability_cap"] is None
