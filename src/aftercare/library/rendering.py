"""Markdown to safe HTML: markdown-it-py renders, nh3 (Ammonia) sanitises.

Authors may write a little raw HTML; whatever they write, only the tags, attributes and
link schemes allowed below reach a page. Scripts, styles, event handlers (onerror=...),
`javascript:` and `data:` links are removed, whatever the Markdown looked like.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # Images only from this site: a remote image would tell a third party who reads what.
    if (
        element == "img"
        and attribute == "src"
        and not (value.startswith("/") and not value.startswith("//"))
    ):
        return None
    return value


_markdown = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")


def _adjust_headings(tokens: list[Token], title: str) -> list[Token]:
    """The page's h1 is the article title: drop a leading `# Title`, turn other h1 into h2."""
    if (
        len(tokens) >= 3
        and tokens[0].type == "heading_open"
        and tokens[0].tag == "h1"
        and tokens[1].content.strip().casefold() == title.strip().casefold()
    ):
        tokens = tokens[3:]
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    return tokens


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )


def render_markdown(body: str, *, title: str = "") -> str:
    """Safe HTML for an article body; `title` is dropped if the body repeats it as `# Title`."""
    tokens = _adjust_headings(_markdown.parse(body), title)
    return sanitise(_markdown.renderer.render(tokens, _markdown.options, {}))
