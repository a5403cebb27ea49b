"""Graph + config -> Atom feeds: `feed.xml` (the newest briefings) and `actors/<slug>/feed.xml` (the newest
briefings naming that actor). Ids and dates come from the project, never from the address or the clock.

Ids are `urn:uuid:` names derived from the site title and the entry's path: they stay the same when the
site moves to another address or is built without a base URL. (`tag:` URIs would need a domain and a
date the publisher owned it, which a project does not have.) Undated briefings are left out: an entry
must say when it was updated, and inventing a date would reorder readers' lists.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import re
import uuid
from typing import Callable

from markupsafe import escape

from .. import urls
from ..config import SiteConfig
from ..model import Actor, AnnotatedDocument, Page
from ..stages.crosslink import Graph

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
SUMMARY_LENGTH = 280
# A feed with no entry still needs an `updated`; with nothing dated in the project this is the only
# value that does not come from the clock.
EPOCH = datetime.date(1970, 1, 1)
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render_feeds(graph: Graph, config: SiteConfig) -> list[Page]:
    return [Page(path, make()) for path, make in feed_makers(graph, config).items()]


def feed_makers(graph: Graph, config: SiteConfig) -> dict[str, Callable[[], bytes]]:
    """Each feed's output path -> a function that makes it: the site's feed, then one per actor."""
    newest = next((doc.date for doc in graph.documents if doc.date), EPOCH)
    makers = {urls.feed_path(): lambda: site_feed(graph, config, newest)}
    for actor in graph.actors:
        makers[urls.actor_feed_path(actor.slug)] = functools.partial(actor_feed, graph, config, actor, newest)
    return makers


def site_feed(graph: Graph, config: SiteConfig, newest: datetime.date) -> bytes:
    path = urls.feed_path()
    link = _linker(config, path)
    documents = [doc for doc in graph.documents if doc.date][:FEED_ENTRIES]
    lines = _feed_head(config, path, config.title, config.description, urls.index_path(), newest)
    for doc in documents:
        lines += _entry_head(config, urls.document_path(doc.slug), doc, link(urls.document_path(doc.slug)))
        lines.append(_element("  ", "summary", doc.meta.summary or excerpt(doc)))
        for slug, _count in graph.actor_counts_by_document[doc.slug]:
            lines.append(f'  <category term="{_attribute(slug)}" label="{_attribute(_xml_text(graph.actor_by_slug[slug].name))}" />')
        lines.append(" </entry>")
    return _serialize(lines)


def actor_feed(graph: Graph, config: SiteConfig, actor: Actor, newest: datetime.date) -> bytes:
    """One entry per briefing naming the actor, newest first, with the sentences that name it."""
    path = urls.actor_feed_path(actor.slug)
    link = _linker(config, path)
    appearances = [a for a in graph.appearances_by_actor.get(actor.slug, ()) if graph.document_by_slug[a.document].date]
    appearances = appearances[:FEED_ENTRIES]
    latest = graph.document_by_slug[appearances[0].document].date if appearances else newest
    lines = _feed_head(config, path, f"{actor.name} · {config.title}", f"Briefings naming {actor.name}", urls.actor_path(actor.slug), latest)
    for appearance in appearances:
        doc = graph.document_by_slug[appearance.document]
        first = appearance.quotes[0]
        document_link = link(urls.document_path(doc.slug))
        lines += _entry_head(config, f"{path}#{doc.slug}", doc, f"{document_link}#{first.anchor}")
        lines.append(_element("  ", "summary", first.text))
        paragraphs = [
            f'<p><a href="{escape(f"{document_link}#{quote.anchor}")}">{escape(_xml_text(quote.text))}</a></p>'
            for quote in appearance.quotes
        ]
        lines.append(_element("  ", "content", "\n".join(paragraphs), type="html"))
        lines.append(" </entry>")
    return _serialize(lines)


def excerpt(doc: AnnotatedDocument) -> str:
    """The opening sentences, cut at a word boundary near SUMMARY_LENGTH characters."""
    text = ""
    for sentence in doc.sentences:
        text = f"{text} {sentence.text}".strip()
        if len(text) >= SUMMARY_LENGTH // 2:
            break
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def atom_id(config: SiteConfig, path: str) -> str:
    """urn:uuid: and str(uuid.uuid5(uuid.NAMESPACE_URL, name)), made here from the SHA-1 directly: a feed
    per actor makes tens of thousands of them, and uuid.UUID's checks take most of the time."""
    digest = bytearray(hashlib.sha1(_URL_NAMESPACE + f"briefing:{config.title}:{path}".encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = digest.hex()
    return f"urn:uuid:{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


_URL_NAMESPACE = uuid.NAMESPACE_URL.bytes


def timestamp(date: datetime.date) -> str:
    """An RFC 3339 date-time at the start of the day, in UTC."""
    return f"{date.isoformat()}T00:00:00Z"


def _linker(config: SiteConfig, feed_path: str):
    """target -> its address as the feed gives it: absolute under the base URL, else relative to the
    feed file itself (the base a reader resolves it against)."""
    if config.base_url:
        return lambda target: urls.absolute_url(config.base_url, target)
    return lambda target: urls.relative_url(target, feed_path)


def _feed_head(config: SiteConfig, path: str, title: str, subtitle: str, page: str, updated: datetime.date) -> list[str]:
    """The feed's opening lines, up to its first entry. Feeds are written as text, laid out as
    xml.etree's `indent(space=" ")` and `tostring` would lay them out (five times slower)."""
    link = _linker(config, path)
    lines = [
        f'<feed xmlns="{ATOM_NAMESPACE}" xml:lang="{_attribute(config.language)}">',
        _element(" ", "id", atom_id(config, path)),
        _element(" ", "title", title),
    ]
    if subtitle:
        lines.append(_element(" ", "subtitle", subtitle))
    lines += [
        _element(" ", "updated", timestamp(updated)),
        f' <link rel="self" type="application/atom+xml" href="{_attribute(link(path))}" />',
        f' <link rel="alternate" type="text/html" href="{_attribute(link(page))}" />',
        " <author>",
        _element("  ", "name", config.title),
        " </author>",
        _element(" ", "generator", "briefing"),
    ]
    return lines


def _entry_head(config: SiteConfig, id_path: str, doc: AnnotatedDocument, href: str) -> list[str]:
    published = timestamp(doc.date)
    lines = [
        " <entry>",
        _element("  ", "id", atom_id(config, id_path)),
        _element("  ", "title", doc.title),
        f'  <link rel="alternate" type="text/html" href="{_attribute(href)}" />',
        f"  <published>{published}</published>",
        f"  <updated>{published}</updated>",
    ]
    if doc.meta.author:
        lines += ["  <author>", _element("   ", "name", doc.meta.author), "  </author>"]
    return lines


def _element(indent: str, tag: str, text: str, **attributes: str) -> str:
    """One element with text on one line; without text it closes itself, as xml.etree writes it."""
    opening = tag + "".join(f' {name}="{_attribute(value)}"' for name, value in attributes.items())
    text = _xml_text(text)
    if not text:
        return f"{indent}<{opening} />"
    return f"{indent}<{opening}>{_character_data(text)}</{tag}>"


def _character_data(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    text = _character_data(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    # Line breaks and tabs as character references, which attribute-value normalisation leaves alone.
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def _xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def _serialize(lines: list[str]) -> bytes:
    lines.append("</feed>\n")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(lines)).encode("utf-8")
