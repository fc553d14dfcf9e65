"""PDF postings (jobos.pages.pdf): which PDF links are job ads, their text within limits, titles."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jobos.ats.base import BoardContext
from jobos.pages import pdf

sys.path.insert(0, str(Path(__file__).resolve().parent / "web" / "handlers"))
from real_shapes import pdf_document  # noqa: E402 - the stand-in web's own PDF writer

PAGE = "https://www.kupferhammer-armaturen.de/jobs.htm"


def test_pdf_links_job_ads_by_file_name_or_text_same_site_only():
    html = """<html><body>
    <a href="files/acme_Stellenausschreibung_Schweisser_2025.pdf"><img src="a.jpg" alt=""></a>
    <a href="files/flyer-17.pdf">Elektroniker (m/w/d) – Stellenanzeige (PDF)</a>
    <a href="files/Produktkatalog_2025.pdf"><img src="b.jpg" alt=""></a>
    <a href="files/AGB.pdf">Allgemeine Geschäftsbedingungen (PDF)</a>
    <a href="https://cdn.elsewhere.example/Stellenausschreibung_Fake.pdf">Job</a>
    <a href="files/acme_Stellenausschreibung_Schweisser_2025.pdf">Download</a>
    <a href="/jobs/schlosser">Schlosser (m/w/d)</a>
    </body></html>"""
    links = pdf.pdf_links(html, PAGE)
    assert [(l.url.rsplit("/", 1)[-1], l.text) for l in links] == [
        ("acme_Stellenausschreibung_Schweisser_2025.pdf", None),  # "Download" is no title
        ("flyer-17.pdf", "Elektroniker (m/w/d) – Stellenanzeige"),
    ]


def test_read_pdf_text_and_title_from_first_line():
    body = pdf_document(["Industriemechaniker (m/w/d)", "Iserlohn - Vollzeit", "Ihre Aufgaben: Montage."])
    doc = pdf.read_pdf(body)
    assert doc.pages == 1 and "Ihre Aufgaben: Montage." in doc.text
    link = pdf.PdfLink("https://x.de/files/x_Stellenausschreibung_Mechaniker_2025.pdf")
    assert pdf.posting_title(link, doc) == "Industriemechaniker (m/w/d)"
    assert pdf.posting_title(pdf.PdfLink(link.url, "Mechaniker (m/w/d)"), doc) == "Mechaniker (m/w/d)"
    titled = pdf.read_pdf(pdf_document(["irrelevant first line"], title="Schweißer (m/w/d)"))
    assert titled.title == "Schweißer (m/w/d)" and pdf.posting_title(link, titled) == "Schweißer (m/w/d)"


def test_title_from_file_name_drops_ad_words_dates_versions_and_initials():
    assert pdf.title_from_filename(
        "https://a.de/f/4pipes_Stellenausschreibung_Vertriebsmitarbeiter-Innendienst_20251027_AH.pdf"
    ) == "Vertriebsmitarbeiter-Innendienst"
    assert pdf.title_from_filename("https://a.de/f/acme_stellenausschreibung_it-admin_v2_20251027_ah.pdf") == "it-admin"
    assert pdf.posting_title(pdf.PdfLink("https://a.de/f/acme_Stellenanzeige_Koch.pdf"), None) == "Koch"


def test_limits_and_refusals(monkeypatch):
    with pytest.raises(pdf.PdfError, match="not a PDF"):
        pdf.read_pdf(b"<html>not a pdf</html>")
    with pytest.raises(pdf.PdfError, match="more than"):
        pdf.read_pdf(b"%PDF-1.4\n" + b"0" * (pdf.MAX_PDF_BYTES + 1))
    with pytest.raises(pdf.PdfError, match="cannot be read"):
        pdf.read_pdf(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage without xref")
    monkeypatch.setattr(pdf, "MAX_PAGES", 0)
    with pytest.raises(pdf.PdfError, match="pages"):
        pdf.read_pdf(pdf_document(["one page"]))


def test_text_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_TEXT_CHARS", 30)
    doc = pdf.read_pdf(pdf_document(["A" * 40, "B" * 40]))
    assert len(doc.text) == 30


def test_pdf_posting_record():
    ctx = BoardContext(company="Kupferhammer")
    url = "https://www.kupferhammer-armaturen.de/files/Stellenausschreibung_Dreher.pdf"
    doc = pdf.read_pdf(pdf_document(["Dreher (m/w/d)", "Ihre Aufgaben: Drehen <b>&</b> Fräsen."]))
    item = pdf.pdf_posting(url, "Dreher (m/w/d)", doc, ctx)
    assert (item["title"], item["url"], item["source"], item["method"]) == ("Dreher (m/w/d)", url, "website", "html")
    assert item["board"] == "website:kupferhammer-armaturen.de"
    assert "<b>" not in item["description_html"] and "&lt;b&gt;" in item["description_html"]
    bare = pdf.pdf_posting(url, "Dreher (m/w/d)", None, ctx)
    assert "description_html" not in bare and bare["external_id"] == item["external_id"]


def test_image_links_take_their_caption_and_role_texts_count():
    html = """<html><body>
    <figure><a href="/up/ogloszenie-spawacz-2026-11-03.pdf"><img src="a.jpg" alt=""></a>
      <figcaption>Spawacz MIG/MAG (k/m)</figcaption></figure>
    <div class="flyer"><h3>Lagerist (m/w/d)</h3><a href="/up/flyer-17.pdf"><img src="b.jpg" alt=""></a></div>
    <figure><a href="/up/katalog-2026.pdf"><img src="c.jpg" alt=""></a><figcaption>Katalog 2026</figcaption></figure>
    </body></html>"""
    links = pdf.pdf_links(html, PAGE)
    assert [(l.url.rsplit("/", 1)[-1], l.text) for l in links] == [
        ("ogloszenie-spawacz-2026-11-03.pdf", "Spawacz MIG/MAG (k/m)"),
        ("flyer-17.pdf", "Lagerist (m/w/d)"),  # no ad word in the name: the role in the heading says it
    ]


def test_file_name_titles_separators_dates_and_gender_markers():
    assert pdf.title_from_filename("https://a.de/up/2026/03/stellenanzeige-elektroniker-m-w-d-2026-03-01.pdf") \
        == "elektroniker (m/w/d)"
    assert pdf.title_from_filename("https://a.pl/up/Oferta_pracy_Magazynier_2026-11-12.pdf") == "Magazynier"
    assert pdf.title_from_filename("https://a.de/up/Flyer_Mechatroniker_m_w_d_03.11.2025.pdf") == "Mechatroniker (m/w/d)"
    assert pdf.title_from_filename("https://a.de/up/Industriemechaniker%20(m-w-d)%20Montage.pdf") \
        == "Industriemechaniker (m/w/d) Montage"
    assert pdf.title_from_filename("https://a.de/up/Sachbearbeiter_Einkauf_8f3a9c21d4.pdf") == "Sachbearbeiter Einkauf"
