"""The job vocabulary tables (jobos.pages.words): whole words in spaced languages, CJK as written."""
from __future__ import annotations

from jobos.pages import words


def test_every_language_row_is_matched():
    for table, pattern in ((words.POSTING_SECTIONS, words.POSTING_SECTION_WORDS),
                           (words.APPLY, words.APPLY_WORDS), (words.ROLES, words.ROLE_WORDS)):
        for lang, row in table.items():
            plain = [w for w in row if w.isalpha() or " " in w]
            assert plain, lang
            assert pattern.search(f"xx {plain[0].upper()} yy"), (lang, plain[0])


def test_sections_in_many_languages_and_whole_words_only():
    text = "Analista de Dados. O que você vai fazer: painéis. Quem você é: curioso. Candidate-se!"
    assert {m.group(0).lower() for m in words.POSTING_SECTION_WORDS.finditer(text)} == {"o que você vai fazer", "quem você é"}
    assert words.APPLY_WORDS.search(text)
    assert words.POSTING_SECTION_WORDS.search("Zakres obowiązków i wymagania")
    assert words.POSTING_SECTION_WORDS.search("仕事内容：ソフトウェア開発")  # no spaces around CJK words
    assert not words.POSTING_SECTION_WORDS.search("overexperienced")  # "experience" inside a word
    assert not words.APPLY_WORDS.search("reapplying")


def test_careers_words():
    for text in ("Kariéra", "Açık pozisyonlar", "Oferty pracy", "採用情報", "Trabalhe conosco", "Lediga jobb"):
        assert words.CAREERS_WORDS.search(text), text
    assert not words.CAREERS_WORDS.search("Our products")
