"""Graph + config -> Atom feeds: `feed.xml` (the newest briefings) and `actors/<slug>/feed.xml` (the newest
briefings naming that actor). Ids and dates come from the project, never from the address or the clock.

Ids are `urn:uuid:` names derived from the site title and the entry's path: they stay the same when the
site moves to another address or is built without a base URL. (`tag:` URIs would need a domain and a
date the publisher owned it, which a project does not have.) Undated briefings are left out: an entry
must say when it was updated, and inventing a date would reorder readers' lists.
"""
from __future__ import annotations

import datetime
import re
import uuid
import xml.etree.ElementTree as ET

from markupsafe import escape

from .. import urls
from ..config import SiteConfig
from ..model import Actor, AnnotatedDocument, Page
from ..stages.crosslink import Graph

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_ENTRIES = 50
SUMMARY_LENGTH = 280
# A feed with no entry still needs an `updated`; with nothing dated in the project this is the only
# value that does not come from the clock.
EPOCH = datetime.date(1970, 1, 1)
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render_feeds(graph: Graph, config: SiteConfig) -> list[Page]:
    newest = next((doc.date for doc in graph.documents if doc.date), EPOCH)
    pages = [Page(urls.feed_path(), site_feed(graph, config, newest))]
    for actor in graph.actors:
        pages.append(Page(urls.actor_feed_path(actor.slug), actor_feed(graph, config, actor, newest)))
    return pages


def site_feed(graph: Graph, config: SiteConfig, newest: datetime.date) -> bytes:
    path = urls.feed_path()
    link = _linker(config, path)
    documents = [doc for doc in graph.documents if doc.date][:FEED_ENTRIES]
    feed = _feed_element(config, path, config.title, config.description, urls.index_path(), newest)
    for doc in documents:
        entry = _entry_element(feed, config, urls.document_path(doc.slug), doc, link(urls.document_path(doc.slug)))
        _add(entry, "summary", doc.meta.summary or excerpt(doc))
        for slug, _count in graph.actor_counts_by_document[doc.slug]:
            ET.SubElement(entry, "category", term=slug, label=_xml_text(graph.actor_by_slug[slug].name))
    return _serialize(feed)


def actor_feed(graph: Graph, config: SiteConfig, actor: Actor, newest: datetime.date) -> bytes:
    """One entry per briefing naming the actor, newest first, with the sentences that name it."""
    path = urls.actor_feed_path(actor.slug)
    link = _linker(config, path)
    appearances = [a for a in graph.appearances_by_actor.get(actor.slug, ()) if graph.document_by_slug[a.document].date]
    appearances = appearances[:FEED_ENTRIES]
    latest = graph.document_by_slug[appearances[0].document].date if appearances else newest
    feed = _feed_element(config, path, f"{actor.name} · {config.title}", f"Briefings naming {actor.name}", urls.actor_path(actor.slug), latest)
    for appearance in appearances:
        doc = graph.document_by_slug[appearance.document]
        first = appearance.quotes[0]
        entry = _entry_element(feed, config, f"{path}#{doc.slug}", doc, link(urls.document_path(doc.slug) + f"#{first.anchor}"))
        _add(entry, "summary", first.text)
        paragraphs = [
            f'<p><a href="{escape(link(urls.document_path(doc.slug) + f"#{quote.anchor}"))}">{escape(_xml_text(quote.text))}</a></p>'
            for quote in appearance.quotes
        ]
        _add(entry, "content", "\n".join(paragraphs), type="html")
    return _serialize(feed)


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
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"briefing:{config.title}:{path}"))


def timestamp(date: datetime.date) -> str:
    """An RFC 3339 date-time at the start of the day, in UTC."""
    return f"{date.isoformat()}T00:00:00Z"


def _linker(config: SiteConfig, feed_path: str):
    """target -> its address as the feed gives it: absolute under the base URL, else relative to the
    feed file itself (the base a reader resolves it against)."""
    if config.base_url:
        return lambda target: urls.absolute_url(config.base_url, target)
    return lambda target: urls.relative_url(target, feed_path)


def _feed_element(config: SiteConfig, path: str, title: str, subtitle: str, page: str, updated: datetime.date) -> ET.Element:
    link = _linker(config, path)
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, XML_LANG: config.language})
    _add(feed, "id", atom_id(config, path))
    _add(feed, "title", title)
    if subtitle:
        _add(feed, "subtitle", subtitle)
    _add(feed, "updated", timestamp(updated))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=link(path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=link(page))
    author = ET.SubElement(feed, "author")
    _add(author, "name", config.title)
    _add(feed, "generator", "briefing")
    return feed


def _entry_element(feed: ET.Element, config: SiteConfig, id_path: str, doc: AnnotatedDocument, href: str) -> ET.Element:
    entry = ET.SubElement(feed, "entry")
    _add(entry, "id", atom_id(config, id_path))
    _add(entry, "title", doc.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=href)
    _add(entry, "published", timestamp(doc.date))
    _add(entry, "updated", timestamp(doc.date))
    if doc.meta.author:
        author = ET.SubElement(entry, "author")
        _add(author, "name", doc.meta.author)
    return entry


def _add(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _xml_text(text)
    return element


def _xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def _serialize(feed: ET.Element) -> bytes:
    ET.indent(feed, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode").encode("utf-8") + b"\n"
