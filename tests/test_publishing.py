"""Publishing: Atom feeds, sitemap.xml, robots.txt, canonical and Open Graph tags, the 404 page and the
base URL, on real builds of the example projects with and without `--base-url`. Feeds and sitemaps are
read back with xml.etree, as a feed reader or crawler would."""
from __future__ import annotations

import datetime
import io
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from briefing.cli import main as briefing_main

TESTS = Path(__file__).resolve().parent
PROJECTS = {"example": TESTS.parent, "newsroom": TESTS / "sites" / "newsroom"}
BASE = "https://example.org/briefing"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
CASES = tuple(PROJECTS)


def run(args: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(args, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    """Both example projects built with --base-url: case -> output folder."""
    sites = {}
    for case in CASES:
        output = tmp_path_factory.mktemp(f"published-{case}") / "site"
        code, _, stderr = run(["build", "--project", str(PROJECTS[case]), "--output", str(output), "--base-url", BASE + "/", "--quiet"])
        assert code == 0, stderr
        sites[case] = output
    return sites


def feeds_of(site: Path) -> dict[str, ET.Element]:
    return {path.relative_to(site).as_posix(): ET.parse(path).getroot() for path in sorted(site.rglob("feed.xml"))}


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def text_of(element: ET.Element, tag: str) -> str:
    return element.find(f"{ATOM}{tag}").text


def link(element: ET.Element, rel: str) -> str:
    [found] = [item.get("href") for item in element.findall(f"{ATOM}link") if item.get("rel") == rel]
    return found


def file_of(site: Path, address: str) -> Path:
    """An absolute address under BASE -> the output file a host serves for it."""
    assert address.startswith(BASE + "/"), address
    path = address[len(BASE) + 1:].partition("#")[0]
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


class HeadAndLinks(HTMLParser):
    """Every <meta> and <link> of a page's head, and every href of its body."""

    def __init__(self):
        super().__init__()
        self.metas: list[dict] = []
        self.links: list[dict] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta":
            self.metas.append(attributes)
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "a" and "href" in attributes:
            self.hrefs.append(attributes["href"])


def parse_page(path: Path) -> HeadAndLinks:
    parser = HeadAndLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


# --- feeds ------------------------------------------------------------------------------------------

def test_site_feed_lists_dated_briefings_newest_first_and_leaves_out_undated_ones(published):
    feed = ET.parse(published["newsroom"] / "feed.xml").getroot()

    assert [(text_of(entry, "updated"), text_of(entry, "title")) for entry in entries(feed)] == [
        ("2024-03-21T00:00:00Z", "Interview: Tomas Reyl on the corridor's first month"),
        ("2024-03-15T00:00:00Z", "Storm Ilka closed Port Arlen for three days, the Kestrel Republic's weather office said…"),
        ("2024-03-09T00:00:00Z", "River pilots strike halts the first grain convoy at Port Arlen"),
        ("2024-03-02T00:00:00Z", "Vesnia and the Kestrel Republic agree a grain corridor through Port Arlen"),
    ]
    assert text_of(feed, "updated") == "2024-03-21T00:00:00Z"
    assert text_of(feed, "title") == "Newsroom Desk"
    assert link(feed, "self") == f"{BASE}/feed.xml"
    assert link(feed, "alternate") == f"{BASE}/"
    first = entries(feed)[0]
    assert link(first, "alternate") == f"{BASE}/documents/2024-03-21-reyl-interview/"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Ilse Brandt"
    assert [(c.get("term"), c.get("label")) for c in first.findall(f"{ATOM}category")][:2] == [("tomas-reyl", "Tomas Reyl"), ("harbour-ledger", "The Harbour Ledger")]


def test_actor_feed_has_one_entry_per_dated_briefing_naming_the_actor_with_its_sentences(published):
    feed = ET.parse(published["newsroom"] / "actors/mara-okonjo/feed.xml").getroot()

    assert text_of(feed, "title") == "Mara Okonjo · Newsroom Desk"
    assert link(feed, "alternate") == f"{BASE}/actors/mara-okonjo/"
    assert [(text_of(entry, "updated")[:10], link(entry, "alternate")) for entry in entries(feed)] == [
        ("2024-03-21", f"{BASE}/documents/2024-03-21-reyl-interview/#m-mara-okonjo-1"),
        ("2024-03-09", f"{BASE}/documents/port-arlen-strike/#m-mara-okonjo-1"),
        ("2024-03-02", f"{BASE}/documents/2024-03-02-grain-corridor/#m-mara-okonjo-1"),
    ]
    strike = entries(feed)[1]
    assert text_of(strike, "summary") == 'Mara Okonjo called the strike "a test of the corridor, not its end" and asked the Pilots Guild to return to work.'
    content = strike.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert content.text == (
        f'<p><a href="{BASE}/documents/port-arlen-strike/#m-mara-okonjo-1">Mara Okonjo called the strike &#34;a test of the corridor, '
        'not its end&#34; and asked the Pilots Guild to return to work.</a></p>\n'
        f'<p><a href="{BASE}/documents/port-arlen-strike/#m-mara-okonjo-2">Okonjo’s office said Vesnia would cover the fee gap for one month.</a></p>'
    )


def test_feed_of_an_unmentioned_actor_is_empty_and_dated_by_the_newest_briefing(published):
    feed = ET.parse(published["newsroom"] / "actors/anton-vell/feed.xml").getroot()

    assert (entries(feed), text_of(feed, "updated")) == ([], "2024-03-21T00:00:00Z")


@pytest.mark.parametrize("with_base_url", (False, True), ids=("relative", "base-url"))
@pytest.mark.parametrize("case", CASES)
def test_every_feed_has_the_atom_essentials(case, with_base_url, published, built_sites):
    """RFC 4287: feed and entries each carry one id, title and updated; the feed an author and a self
    link; every id an absolute URI, unique in the whole site; every date RFC 3339, newest entry first."""
    site = (published if with_base_url else built_sites)[case]
    feeds = feeds_of(site)
    ids = []
    for path, feed in feeds.items():
        assert feed.tag == f"{ATOM}feed", path
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        for element in [feed, *entries(feed)]:
            for tag in ("id", "title", "updated"):
                assert len(element.findall(f"{ATOM}{tag}")) == 1, (path, tag)
            assert RFC3339.match(text_of(element, "updated")), path
            ids.append(text_of(element, "id"))
        assert feed.find(f"{ATOM}author/{ATOM}name").text
        assert link(feed, "self").endswith(path.rpartition("/")[2])
        for entry in entries(feed):
            assert link(entry, "alternate")
            assert RFC3339.match(text_of(entry, "published"))
        dates = [text_of(entry, "updated") for entry in entries(feed)]
        assert dates == sorted(dates, reverse=True), path
        if dates:
            assert text_of(feed, "updated") == dates[0]
    assert len(feeds) == 1 + len(list((site / "actors").glob("*/index.html")))
    assert all(uuid.UUID(id_.removeprefix("urn:uuid:")) and id_.startswith("urn:uuid:") for id_ in ids)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES)
def test_feed_ids_and_dates_do_not_depend_on_the_address(case, published, built_sites):
    def identities(site):
        return {
            path: [(text_of(e, "id"), text_of(e, "updated")) for e in [feed, *entries(feed)]]
            for path, feed in feeds_of(site).items()
        }

    assert identities(published[case]) == identities(built_sites[case])


@pytest.mark.parametrize("case", CASES)
def test_feed_links_with_a_base_url_are_absolute_and_reach_pages_and_mentions(case, published):
    site = published[case]
    for path, feed in feeds_of(site).items():
        addresses = [item.get("href") for item in feed.iter(f"{ATOM}link")]
        addresses += [m for content in feed.iter(f"{ATOM}content") for m in re.findall(r'href="([^"]+)"', content.text)]
        for address in addresses:
            target = file_of(site, address)
            assert target.is_file(), (path, address)
            fragment = address.partition("#")[2]
            if fragment:
                assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), (path, address)


@pytest.mark.parametrize("case", CASES)
def test_feed_links_without_a_base_url_are_relative_to_the_feed_file(case, built_sites):
    site = built_sites[case]
    for path, feed in feeds_of(site).items():
        folder = posixpath.dirname(path)
        addresses = [item.get("href") for item in feed.iter(f"{ATOM}link")]
        addresses += [m for content in feed.iter(f"{ATOM}content") for m in re.findall(r'href="([^"]+)"', content.text)]
        for address in addresses:
            assert "://" not in address and not address.startswith("/"), (path, address)
            target = site / posixpath.normpath(posixpath.join(folder, address.partition("#")[0]))
            assert target.is_file(), (path, address)
    assert link(ET.parse(site / "feed.xml").getroot(), "self") == "feed.xml"


def write_project(root: Path, site_yaml: str, seeds: dict[str, str], actors: dict[str, str]) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "content" / "actors").mkdir(parents=True)
    (root / "briefing.yaml").write_text(site_yaml, encoding="utf-8")
    for name, text in seeds.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    for slug, text in actors.items():
        (root / "content" / "actors" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


def test_feed_escapes_markup_and_drops_characters_xml_cannot_carry(tmp_path):
    project = write_project(
        tmp_path / "project",
        'title: "Desk <b>&</b> Co"\n',
        {"talks.txt": '---\ntitle: "Talks <script>x</script> & \\"more\\""\ndate: 2024-05-01\n---\nAna said the\x01talks <i>resume</i> & go on.\n'},
        {"ana": "---\nname: Ana\nkind: person\n---\n"},
    )
    code, _, stderr = run(["build", "--project", str(project), "--output", str(tmp_path / "site"), "--quiet"])
    assert code == 0, stderr

    feed = ET.parse(tmp_path / "site" / "feed.xml").getroot()
    actor_feed = ET.parse(tmp_path / "site" / "actors/ana/feed.xml").getroot()

    assert text_of(feed, "title") == "Desk <b>&</b> Co"
    assert text_of(entries(feed)[0], "title") == 'Talks <script>x</script> & "more"'
    assert text_of(entries(feed)[0], "summary") == "Ana said thetalks <i>resume</i> & go on."
    assert actor_feed.find(f"{ATOM}entry/{ATOM}content").text == (
        '<p><a href="../../documents/talks/index.html#m-ana-1">Ana said thetalks &lt;i&gt;resume&lt;/i&gt; &amp; go on.</a></p>'
    )


# --- sitemap and robots.txt -------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_sitemap_lists_every_page_but_404_once_with_its_absolute_address(case, published):
    site = published[case]
    urlset = ET.parse(site / "sitemap.xml").getroot()
    locations = [url.find(f"{SITEMAP}loc").text for url in urlset.findall(f"{SITEMAP}url")]

    assert urlset.tag == f"{SITEMAP}urlset"
    assert locations[0] == f"{BASE}/"
    assert len(locations) == len(set(locations))
    assert sorted(file_of(site, loc).relative_to(site).as_posix() for loc in locations) == [p for p in html_pages(site) if p != "404.html"]


def test_sitemap_dates_come_from_the_briefings(published):
    urlset = ET.parse(published["newsroom"] / "sitemap.xml").getroot()
    lastmod = {url.find(f"{SITEMAP}loc").text: getattr(url.find(f"{SITEMAP}lastmod"), "text", None) for url in urlset}

    assert {address.removeprefix(BASE): date for address, date in lastmod.items() if date != "2024-03-21"} == {
        "/about/": None,
        "/actors/kestrel-republic/": "2024-03-15",
        "/documents/2024-03-02-grain-corridor/": "2024-03-02",
        "/documents/2024-03-15-storm-ilka/": "2024-03-15",
        "/documents/field-notes/": None,
        "/documents/port-arlen-strike/": "2024-03-09",
        "/actors/anton-vell/": None,
        "/search/": None,
    }


def test_robots_txt_names_the_sitemap_only_when_there_is_one(published, built_sites):
    assert (published["example"] / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nDisallow:\n\nSitemap: {BASE}/sitemap.xml\n"
    )
    assert (built_sites["example"] / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow:\n"
    assert not (built_sites["example"] / "sitemap.xml").exists()


# --- head tags and links ----------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_every_page_has_a_description_open_graph_tags_and_an_absolute_canonical_address(case, published):
    site = published[case]
    for page in html_pages(site):
        parsed = parse_page(site / page)
        metas = {meta.get("name") or meta.get("property"): meta.get("content") for meta in parsed.metas}
        canonical = [link["href"] for link in parsed.links if link.get("rel") == "canonical"]
        assert metas["description"], page
        assert metas["og:title"] and metas["og:description"] == metas["description"], page
        assert metas["og:site_name"] == ("Newsroom Desk" if case == "newsroom" else "Ukraine Long-Range Strikes Briefing")
        assert metas["og:type"] == ("article" if page.startswith("documents/") and page != "documents/index.html" else "website"), page
        if page == "404.html":
            assert (canonical, "og:url" in metas, metas["robots"]) == ([], False, "noindex")
        else:
            assert canonical == [metas["og:url"]] and file_of(site, canonical[0]) == site / page, page


def test_pages_name_their_feeds(published):
    parsed = parse_page(published["newsroom"] / "actors/mara-okonjo/index.html")
    feeds = [(link["title"], link["href"]) for link in parsed.links if link.get("type") == "application/atom+xml"]

    assert feeds == [
        ("Newsroom Desk: latest briefings", "../../feed.xml"),
        ("Mara Okonjo · Newsroom Desk", "../../actors/mara-okonjo/feed.xml"),
    ]
    assert all(link.get("rel") == "alternate" for link in parsed.links if link.get("type") == "application/atom+xml")


@pytest.mark.parametrize("case", CASES)
def test_a_base_url_changes_only_the_address_tags_of_pages_and_404(case, published, built_sites):
    """Every internal link stays relative: pages built with and without a base URL are the same bytes
    once the canonical and og:url lines are taken out, except 404.html."""
    with_base, without = published[case], built_sites[case]
    address_line = re.compile(rb'^<(?:link rel="canonical"|meta property="og:url") [^\n]*\n', re.MULTILINE)
    assert html_pages(with_base) == html_pages(without)
    changed = [
        page for page in html_pages(with_base)
        if address_line.sub(b"", (with_base / page).read_bytes()) != (without / page).read_bytes()
    ]
    assert changed == ["404.html"]
    assert not [page for page in html_pages(without) if address_line.search((without / page).read_bytes())]


def test_404_links_are_absolute_with_a_base_url_and_from_the_root_without(published, built_sites):
    with_base = parse_page(published["example"] / "404.html")
    without = parse_page(built_sites["example"] / "404.html")
    stylesheet = lambda parsed: [link["href"] for link in parsed.links if link.get("rel") == "stylesheet"]

    assert stylesheet(with_base) == [f"{BASE}/assets/style.css"]
    assert stylesheet(without) == ["assets/style.css"]
    assert [href for href in with_base.hrefs if not href.startswith(BASE + "/")] == ["#main"]
    assert "documents/index.html" in without.hrefs and f"{BASE}/documents/" in with_base.hrefs
    assert all(file_of(published["example"], href).is_file() for href in with_base.hrefs if href != "#main")


def test_publishing_files_are_byte_identical_across_builds(tmp_path, published):
    again = tmp_path / "again"
    code, _, stderr = run(["build", "--project", str(PROJECTS["newsroom"]), "--output", str(again), "--base-url", BASE, "--quiet"])
    assert code == 0, stderr
    for name in ("feed.xml", "sitemap.xml", "robots.txt", "actors/mara-okonjo/feed.xml", "404.html", "index.html"):
        assert (again / name).read_bytes() == (published["newsroom"] / name).read_bytes(), name


# --- base_url -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ftp://example.org/b", "'ftp://example.org/b' is not an http:// or https:// address, e.g. https://example.org/briefing"),
        ("example.org/b", "'example.org/b' is not an http:// or https:// address, e.g. https://example.org/b"),
        ("https://example.org/b?page=1", "'https://example.org/b?page=1' has a query or fragment; give the address of the site's folder only"),
        ("https://example.org/b#top", "'https://example.org/b#top' has a query or fragment; give the address of the site's folder only"),
        ("https://me:secret@example.org/", "'https://me:secret@example.org/' has a user name or password; they would be published in every page"),
        ("https://example.org/my briefing", "'https://example.org/my briefing' has spaces or characters that need percent-encoding; write them as %XX (the host in punycode)"),
        ("https://example.org:port/", "'https://example.org:port/' has a port that is not a number"),
    ],
)
def test_bad_base_url_is_reported_at_its_place_in_briefing_yaml_and_as_a_usage_error_on_the_command_line(tmp_path, value, message):
    project = write_project(tmp_path / "project", f"title: Desk\nbase_url: '{value}'\n", {"a.txt": "Text.\n"}, {})

    code, _, stderr = run(["build", "--project", str(project), "--output", str(tmp_path / "site")])
    option_code, _, option_stderr = run(["build", "--project", str(project), "--output", str(tmp_path / "site"), "--base-url", value])

    assert code == 1
    assert stderr.splitlines()[0] == f"briefing.yaml:2:11: error: field 'base_url': {message}"
    assert not (tmp_path / "site").exists()
    assert option_code == 2
    assert option_stderr.splitlines()[-1] == f"briefing build: error: argument --base-url: {message}"


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("HTTPS://Example.ORG/Briefing/", "https://example.org/Briefing"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://example.org/a%20b/", "https://example.org/a%20b"),
    ],
)
def test_good_base_url_is_kept_with_scheme_and_host_in_lower_case(tmp_path, value, kept):
    project = write_project(tmp_path / "project", f"title: Desk\nbase_url: '{value}'\n", {"a.txt": "---\ndate: 2024-01-02\n---\nText.\n"}, {})

    code, _, stderr = run(["build", "--project", str(project), "--output", str(tmp_path / "site"), "--quiet"])

    assert code == 0, stderr
    assert f'<link rel="canonical" href="{kept}/documents/a/">' in (tmp_path / "site/documents/a/index.html").read_text(encoding="utf-8")


# --- CI ---------------------------------------------------------------------------------------------

def test_publish_workflow_checks_then_builds_with_the_pages_address_and_deploys_the_site_folder():
    workflow = yaml.safe_load((TESTS.parent / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    build_steps = workflow["jobs"]["build"]["steps"]
    commands = [step.get("run", step.get("uses", "")) for step in build_steps]
    uses = [command.split("@")[0] for command in commands]

    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert commands.index("python build.py check") < commands.index('python build.py build --base-url "$BASE_URL"')
    assert uses.index("actions/configure-pages") < commands.index('python build.py build --base-url "$BASE_URL"')
    assert build_steps[-1] == {"uses": "actions/upload-pages-artifact@v3", "with": {"path": "site"}}
    assert [step["uses"] for step in workflow["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages@v4"]
    assert workflow["jobs"]["deploy"]["needs"] == "build"
