"""Markdown conversion, sanitizing and main-content extraction of description HTML."""
from __future__ import annotations

import re

from jobos.normalize.html import main_content, sanitize_html, to_markdown
from jobos.normalize.text import clean_text

DIRTY = (
    '<div><h2>About</h2><script>alert(1)</script><style>p{color:red}</style>'
    '<p>We <b>build</b> &amp; ship. <a href="https://x.com" onclick="evil()">link</a></p>'
    '<ul><li>One</li><li>Two</li></ul><div id="cookie-banner">Accept cookies</div>'
    '<nav>Home</nav><a href="javascript:alert(1)">bad</a><img src=x onerror=alert(1)>'
    '<form><input name=q></form><svg><text>icon</text></svg><iframe src="https://t.example"></iframe></div>'
)


def test_markdown_keeps_structure_and_drops_boilerplate():
    md = to_markdown(DIRTY)
    assert "## About" in md
    assert "- One" in md and "- Two" in md
    assert "[link](https://x.com)" in md
    assert "**build** & ship" in md
    for gone in ("alert", "color:red", "Accept cookies", "Home", "javascript:", "icon"):
        assert gone not in md


def test_markdown_of_double_encoded_greenhouse_content():
    encoded = "&lt;h3&gt;Role&lt;/h3&gt;&lt;p&gt;Hello &amp;amp; &lt;strong&gt;welcome&lt;/strong&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;a&lt;/li&gt;&lt;/ul&gt;"
    md = to_markdown(encoded)
    assert md.startswith("### Role")
    assert "Hello & **welcome**" in md
    assert "- a" in md


def test_sanitize_removes_active_content():
    safe = sanitize_html(DIRTY)
    assert "<script" not in safe and "onclick" not in safe and "onerror" not in safe
    assert "javascript:" not in safe and "<style" not in safe and "<iframe" not in safe
    assert 'rel="noopener nofollow noreferrer"' in safe
    assert "<h2>About</h2>" in safe and "<li>One</li>" in safe


def test_sanitize_double_encoded_script():
    assert "<script" not in sanitize_html("&lt;p&gt;x&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;")


def test_main_content_prefers_main_element():
    page = (
        "<html><body><header>Logo</header><nav><a href=/>Home</a></nav>"
        "<main><h1>Data Engineer</h1><p>" + "Work with data pipelines. " * 15 + "</p></main>"
        "<footer>Imprint</footer></body></html>"
    )
    md = main_content(page)
    assert md.startswith("# Data Engineer")
    assert "Logo" not in md and "Imprint" not in md and "Home" not in md


def test_main_content_falls_back_to_largest_block():
    page = (
        '<html><body><div class="menu"><a href="/a">A</a> <a href="/b">B</a></div>'
        '<div class="cookie-consent">We use cookies</div>'
        '<div class="content"><h1>Senior Engineer</h1><p>' + "Build things with us. " * 20 + "</p></div>"
        "</body></html>"
    )
    md = main_content(page)
    assert "# Senior Engineer" in md and "Build things" in md
    assert "cookies" not in md


def test_empty_inputs():
    assert to_markdown("") == "" and sanitize_html(None) == "" and main_content("  ") == ""


def test_clean_text():
    assert clean_text("  Senior&nbsp;Engineer &amp;amp; Lead\u200b\n ") == "Senior Engineer & Lead"
    assert clean_text("Cafe\u0301") == "Café"
    assert clean_text("   ") is None and clean_text(None) is None
    assert not re.search(r"\s{2}", clean_text("a \t\n b"))
