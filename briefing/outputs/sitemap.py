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
    actor's last appearance, the newest briefing naming a day of the month for a split timeline's month
    page, and the newest briefing for the pages that list them all."""
    dates = {urls.document_path(doc.slug): doc.date for doc in graph.documents if doc.date}
    for event in graph.events:  # month pages exist only for a long timeline; an entry for a missing page is unused
        published = graph.document_by_slug[event.document].date
        month = urls.timeline_month_path(event.date.year, event.date.month)
        if published and (month not in dates or published > dates[month]):
            dates[month] = published
    dates.update({urls.actor_path(slug): stats.last_seen for slug, stats in graph.stats_by_actor.items() if stats.last_seen})
    newest = next((doc.date for doc in graph.documents if doc.date), None)
    if newest:
        for path in (urls.index_path(), urls.documents_index_path(), urls.actors_index_path(), urls.timeline_path(), urls.network_path()):
            dates[path] = newest
    return dates
