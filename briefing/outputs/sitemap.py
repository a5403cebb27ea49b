"""Rendered pages + graph -> `sitemap.xml` and `robots.txt`, for search engines.

The sitemap protocol only accepts absolute addresses, so `sitemap.xml` is written only when the site has
a base URL; `robots.txt` is always written, and names the sitemap when there is one. `lastmod` comes from
document dates, never from the clock.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from .. import urls
from ..config import SiteConfig
from ..model import Page
from ..stages.crosslink import Graph

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(pages: list[Page], graph: Graph, config: SiteConfig) -> list[Page]:
    robots = "User-agent: *\nDisallow:\n"
    if not config.base_url:
        return [Page(urls.robots_path(), robots.encode("utf-8"))]
    robots += f"\nSitemap: {urls.absolute_url(config.base_url, urls.sitemap_path())}\n"
    lastmod_by_path = page_dates(graph)
    listed = sorted(
        (page.path for page in pages if page.path.endswith(".html") and page.path != urls.not_found_path()),
        key=lambda path: (path != urls.index_path(), path),
    )
    urlset = ET.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    for path in listed:
        entry = ET.SubElement(urlset, "url")
        ET.SubElement(entry, "loc").text = urls.absolute_url(config.base_url, path)
        if path in lastmod_by_path:
            ET.SubElement(entry, "lastmod").text = lastmod_by_path[path].isoformat()
    ET.indent(urlset, space=" ")
    sitemap = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="unicode").encode("utf-8") + b"\n"
    return [Page(urls.sitemap_path(), sitemap), Page(urls.robots_path(), robots.encode("utf-8"))]


def page_dates(graph: Graph) -> dict:
    """Output path -> the date its content last changed, where the project says: a briefing's date, an
    actor's last appearance, the newest briefing of a page holding part of a long list (a month of the
    briefings; a month of the timeline, by the briefings naming its days; a year or month of an actor's
    statements, appearances or dated events, by the briefings they come from; an actor's connections of one
    kind, by the newest briefing naming both), and the newest briefing for the pages that list them all.
    Pages of a list too short to be split do not exist: their entries go unused."""
    dates = {urls.document_path(doc.slug): doc.date for doc in graph.documents if doc.date}

    def newest(path: str, published) -> None:
        if published and (path not in dates or published > dates[path]):
            dates[path] = published

    def dated_part(actor: str, section: str, date, published) -> None:  # its year's page, or its month's
        if date:
            newest(urls.actor_year_path(actor, section, date.year), published)
            newest(urls.actor_year_path(actor, section, date.year, date.month), published)

    for doc in graph.documents:
        if doc.date:
            newest(urls.documents_month_path(doc.date.year, doc.date.month), doc.date)
    for event in graph.events:
        published = graph.document_by_slug[event.document].date
        newest(urls.timeline_month_path(event.date.year, event.date.month), published)
        for actor in event.actors:
            dated_part(actor, "timeline", event.date, published)
    for actor, remarks in graph.remarks_by_actor.items():
        for remark in remarks:
            dated_part(actor, "statements", remark.date, graph.document_by_slug[remark.document].date)
    for actor, appearances in graph.appearances_by_actor.items():
        for appearance in appearances:
            published = graph.document_by_slug[appearance.document].date
            dated_part(actor, "appearances", published, published)
    for actor, connections in graph.connections_by_actor.items():
        for connection in connections:
            if connection.evidence:  # newest briefing first
                kind = graph.actor_by_slug[connection.actor].kind
                newest(urls.actor_connections_path(actor, kind), graph.document_by_slug[connection.evidence[0].document].date)
    dates.update({urls.actor_path(slug): stats.last_seen for slug, stats in graph.stats_by_actor.items() if stats.last_seen})
    newest_briefing = next((doc.date for doc in graph.documents if doc.date), None)
    if newest_briefing:
        for path in (urls.index_path(), urls.documents_index_path(), urls.actors_index_path(), urls.timeline_path(), urls.network_path()):
            dates[path] = newest_briefing
    return dates
