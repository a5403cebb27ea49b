"""The built example sites in a real browser, opened from file://: links land where they promise, pages
fit a phone, dark mode and print styles apply, nothing is fetched from the network, and the markup keeps
its accessibility basics. Screenshots of every page kind go to tests/artifacts/screenshots/ for review.
"""
from __future__ import annotations

import pytest

from local_tools import VIEWPORTS
from page_kinds import EXAMPLE_DOCUMENT, PAGE_KINDS

SCHEMES = ("light", "dark")
TIMELINE_STARMER_STATUS = "1 of 6 events shown"
TIMELINE_STARMER_EVENTS = 1
FIRST_LINK_IN_FRONT_MAIN = "1 briefing"

# Every element with its own visible text whose colour contrast against its effective background is
# below WCAG AA (4.5:1, or 3:1 for large text). Backgrounds with alpha are blended down to the page.
LOW_CONTRAST_JS = """
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let color = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) color = over(layers[i], color);
    return color;
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const failures = [];
  for (const element of document.body.querySelectorAll('*')) {
    const ownText = [...element.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!ownText) continue;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (style.visibility !== 'visible' || box.width === 0 || box.right < 0 || box.bottom < 0) continue;
    const bg = background(element);
    const fg = over(parse(style.color), bg);
    const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${element.tagName.toLowerCase()}.${element.className} "${ownText.slice(0, 30)}" ${ratio.toFixed(2)} < ${needed}`);
  }
  return failures;
}
"""

STRUCTURE_JS = """
() => {
  const problems = [];
  const count = (selector) => document.querySelectorAll(selector).length;
  if (!document.documentElement.lang) problems.push('html has no lang');
  if (!document.title.trim()) problems.push('no title');
  for (const [selector, label] of [['body > header', 'banner'], ['main', 'main'], ['body > footer', 'contentinfo'], ['header nav', 'site navigation']]) {
    if (count(selector) !== 1) problems.push(`${count(selector)} ${label} landmarks`);
  }
  if (count('h1') !== 1) problems.push(`${count('h1')} h1 elements`);
  let previous = 0;
  for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(heading.tagName[1]);
    if (level > previous + 1) problems.push(`${heading.tagName} "${heading.textContent.trim()}" follows h${previous}`);
    previous = level;
  }
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`duplicate id ${id}`);
  for (const link of document.querySelectorAll('a')) {
    if (!link.getAttribute('href')) problems.push(`link without href: ${link.outerHTML.slice(0, 60)}`);
    if (!(link.textContent.trim() || link.getAttribute('aria-label'))) problems.push(`link without a name: ${link.outerHTML.slice(0, 60)}`);
    if (link.querySelector('a')) problems.push('link inside a link');
  }
  for (const list of document.querySelectorAll('ul, ol')) {
    if ([...list.children].some(child => child.tagName !== 'LI')) problems.push(`${list.tagName} with a child that is not li`);
  }
  for (const list of document.querySelectorAll('dl')) {
    if ([...list.children].some(child => !['DT', 'DD', 'DIV'].includes(child.tagName))) problems.push('dl with a stray child');
  }
  for (const section of document.querySelectorAll('section[aria-labelledby], nav[aria-labelledby]')) {
    if (!document.getElementById(section.getAttribute('aria-labelledby'))) problems.push(`aria-labelledby ${section.getAttribute('aria-labelledby')} has no target`);
  }
  for (const link of document.querySelectorAll('a[href^="#"]')) {
    const target = decodeURIComponent(link.getAttribute('href').slice(1));
    if (target && !document.getElementById(target)) problems.push(`in-page link to missing #${target}`);
  }
  return problems;
}
"""


def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def test_clicking_a_mention_opens_the_actor_page(open_page, site_url):
    page = open_page(site_url("example", EXAMPLE_DOCUMENT))
    mention = page.locator('.source-text a.mention[data-actor="joe-biden"]').first
    assert mention.inner_text() == "Joe Biden"
    mention.click()
    page.wait_for_url("**/actors/joe-biden/index.html")
    assert heading(page) == "Joe Biden"


def test_clicking_an_appearance_opens_the_document_at_that_mention(open_page, site_url):
    page = open_page(site_url("example", "actors/joe-biden/index.html"))
    sentences = page.locator("#appearances blockquote a")
    assert sentences.count() == 2
    second = sentences.nth(1)
    assert second.get_attribute("href") == f"../../{EXAMPLE_DOCUMENT}#m-joe-biden-2"
    second.click()
    page.wait_for_url(f"**/{EXAMPLE_DOCUMENT}#m-joe-biden-2")
    target = page.evaluate(
        """() => { const t = document.querySelector(':target'); const box = t.getBoundingClientRect();
        return [t.id, t.className, t.dataset.actor, t.textContent, box.top >= 0 && box.bottom <= innerHeight]; }"""
    )
    assert target == ["m-joe-biden-2", "mention", "joe-biden", "Biden", True]


def test_front_page_to_briefing_to_actor_to_directory_by_clicking(open_page, site_url):
    page = open_page(site_url("example"))
    page.locator("#latest-heading ~ ol .doc-title a").first.click()
    page.wait_for_url(f"**/{EXAMPLE_DOCUMENT}")
    assert heading(page) == "Biden planning to ease restrictions on Kyiv's long-range strikes, Politico reports"
    page.locator(".briefing-aside a.chip", has_text="Antony Blinken").click()
    page.wait_for_url("**/actors/antony-blinken/index.html")
    assert heading(page) == "Antony Blinken"
    page.locator("header nav a", has_text="Actors").click()
    page.wait_for_url("**/actors/index.html")
    assert heading(page) == "Actors"
    page.locator("table.directory a", has_text="White House").click()
    page.wait_for_url("**/actors/white-house/index.html")
    assert heading(page) == "White House"


def test_previous_and_next_links_walk_the_dated_briefings_oldest_to_newest(open_page, site_url):
    page = open_page(site_url("newsroom", "documents/2024-03-02-grain-corridor/index.html"))
    assert page.locator('.prev-next a[rel="prev"]').count() == 0
    titles = [heading(page)]
    while page.locator('.prev-next a[rel="next"]').count():
        page.locator('.prev-next a[rel="next"]').click()
        page.wait_for_load_state()
        titles.append(heading(page))
    assert titles == [
        "Vesnia and the Kestrel Republic agree a grain corridor through Port Arlen",
        "River pilots strike halts the first grain convoy at Port Arlen",
        "Storm Ilka closed Port Arlen for three days, the Kestrel Republic's weather office said…",
        "Interview: Tomas Reyl on the corridor's first month",
    ]
    page.locator('.prev-next a[rel="prev"]').click()
    page.wait_for_url("**/documents/2024-03-15-storm-ilka/index.html")


@pytest.mark.parametrize("viewport", ("desktop", "phone"))
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_fits_the_viewport_without_horizontal_scroll(kind, viewport, open_page, site_url, screenshots):
    """Also saves the page's screenshot for review (dark ones are saved by the contrast test)."""
    case, path = PAGE_KINDS[kind]
    page = open_page(site_url(case, path), viewport)
    page.screenshot(path=screenshots / f"{kind}-{viewport}-light.png", full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_landmarks_one_h1_and_ordered_headings(kind, open_page, site_url):
    case, path = PAGE_KINDS[kind]
    assert open_page(site_url(case, path)).evaluate(STRUCTURE_JS) == []


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_text_contrast_meets_wcag_aa_in_light_and_dark(kind, open_page, site_url, screenshots):
    case, path = PAGE_KINDS[kind]
    page = open_page(site_url(case, path))
    low_contrast = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        low_contrast[scheme] = page.evaluate(LOW_CONTRAST_JS)
    page.screenshot(path=screenshots / f"{kind}-desktop-dark.png", full_page=True)
    assert low_contrast == {"light": [], "dark": []}


def test_targeted_mention_keeps_its_contrast(open_page, site_url):
    page = open_page(site_url("example", EXAMPLE_DOCUMENT) + "#m-joe-biden-2")
    low_contrast = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        low_contrast[scheme] = page.evaluate(LOW_CONTRAST_JS)
    assert low_contrast == {"light": [], "dark": []}


def test_dark_mode_changes_the_page_background(make_session, site_url):
    backgrounds = {}
    for scheme in SCHEMES:
        page = make_session("desktop", scheme).open(site_url("example", EXAMPLE_DOCUMENT))
        backgrounds[scheme] = page.evaluate(
            """() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }"""
        )
    assert backgrounds["light"] > 0.9
    assert backgrounds["dark"] < 0.15


def test_print_hides_navigation_and_keeps_the_actor_list(make_session, site_url, screenshots):
    session = make_session("desktop", "dark")
    for kind in ("briefing", "actor", "front"):
        case, path = PAGE_KINDS[kind]
        page = session.open(site_url(case, path))
        page.emulate_media(media="print")
        page.screenshot(path=screenshots / f"{kind}-print.png", full_page=True)
        shown = page.evaluate(
            """() => Object.fromEntries(['header nav', '.site-footer', '.skip-link', 'main'].map(
            s => [s, getComputedStyle(document.querySelector(s)).display !== 'none']))"""
        )
        assert shown == {"header nav": False, ".site-footer": True, ".skip-link": False, "main": True}, kind
        body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert body == "rgb(255, 255, 255)", kind
    page = session.open(site_url("example", EXAMPLE_DOCUMENT))
    page.emulate_media(media="print")
    assert page.locator(".briefing-aside").is_visible()


def test_no_request_leaves_file_urls(session, site_url, built_sites):
    """Every page of both example sites, with everything it loads."""
    page = session.context.new_page()
    pages = [site_url(case, path.relative_to(root).as_posix()) for case, root in built_sites.items() for path in sorted(root.rglob("*.html"))]
    for url in pages:
        page.goto(url)
    assert [url for url in session.requests if url.endswith(".html")] == pages
    assert [url for url in session.requests if not url.startswith("file://")] == []
    assert session.failures == []
    stylesheets = {"/".join(url.split("/")[-2:]) for url in session.requests if url.endswith(".css")}
    assert stylesheets == {"assets/style.css"}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reader_clicks_from_the_front_page_through_a_briefing_an_actor_and_a_connection_to_the_timeline(viewport, make_session, site_url):
    page = make_session(viewport).open(site_url("example"))
    page.locator("#latest-heading ~ ol .doc-title a").first.click()
    page.wait_for_url(f"**/{EXAMPLE_DOCUMENT}")
    assert heading(page) == "Biden planning to ease restrictions on Kyiv's long-range strikes, Politico reports"
    page.locator(".briefing-aside a.chip", has_text="Joe Biden").click()
    page.wait_for_url("**/actors/joe-biden/index.html")
    assert heading(page) == "Joe Biden"
    connections = page.locator("#connections .connection-name a")
    assert connections.all_inner_texts()[:3] == ["Politico", "Keir Starmer", "Ukraine"]
    connections.nth(1).click()
    page.wait_for_url("**/actors/keir-starmer/index.html")
    assert heading(page) == "Keir Starmer"
    assert "Joe Biden" in page.locator("#connections .connection-name a").all_inner_texts()
    page.locator("header nav a", has_text="Timeline").click()
    page.wait_for_url("**/timeline/index.html")
    assert heading(page) == "What happened when"
    page.select_option(".timeline-filter select[name=actor]", "keir-starmer")
    assert page.locator(".filter-status").inner_text() == TIMELINE_STARMER_STATUS
    shown = page.locator(".timeline .event:not([hidden]) .event-text a")
    assert shown.count() == TIMELINE_STARMER_EVENTS
    anchor = shown.first.get_attribute("href").split("#")[1]
    shown.first.click()
    page.wait_for_url(f"**/{EXAMPLE_DOCUMENT}#{anchor}")
    assert page.evaluate("() => document.querySelector(':target').id") == anchor
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0


# The focused element, whether its outline is drawn, and the outline's contrast against what is behind it
# (WCAG 2.4.7 focus visible; 1.4.11 asks 3:1 of a focus indicator against adjacent colours).
FOCUS_JS = """
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let color = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) color = over(layers[i], color);
    return color;
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  // A node of the network picture shows its focus as a thick ring on its dot (drawn by briefing/network.py),
  // everything else as an outline around the element.
  const dot = e.closest('svg') && e.querySelector('circle');
  const ringStyle = dot ? getComputedStyle(dot) : style;
  const width = dot ? parseFloat(ringStyle.strokeWidth) : parseFloat(style.outlineWidth);
  const color = dot ? ringStyle.stroke : style.outlineColor;
  const reach = dot ? 0 : parseFloat(style.outlineOffset) + width;
  // What is painted where the ring is drawn: the topmost element there other than the focused one.
  const x = box.left - reach / 2 >= 1 ? box.left - reach / 2 - 1 : box.right + reach / 2 + 1, y = box.top + box.height / 2;
  const behind = document.elementsFromPoint(x, y).find(under => under !== e && !e.contains(under)) || document.body;
  const ground = background(behind);
  const ring = over(parse(color), ground);
  const [light, dark] = [luminance(ring), luminance(ground)].sort((a, b) => b - a);
  return {
    element: `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''} ${(e.textContent || '').trim().slice(0, 30)}`,
    visible: (dot || style.outlineStyle !== 'none') && width >= 2,
    contrast: Math.round(100 * (light + 0.05) / (dark + 0.05)) / 100,
    // the whole ring on screen, not only the element (half a pixel for sub-pixel layout)
    inView: box.width > 0 && box.height > 0 && box.top - reach >= -0.5 && box.bottom + reach <= innerHeight + 0.5,
    matchesFocusVisible: e.matches(':focus-visible'),
  };
}
"""


def press_tab_until(page, selector: str, limit: int = 400) -> None:
    """Tab forward, as a keyboard user does, until the focus is on the first element matching `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_first_tab_shows_the_skip_link_and_enter_moves_past_the_navigation(open_page, site_url):
    page = open_page(site_url("example"))
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS_JS)
    assert focus["element"] == "a.skip-link Skip to content"
    assert focus["visible"] and focus["inView"] and focus["contrast"] >= 3
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 20
    page.keyboard.press("Enter")
    page.wait_for_url("**/index.html#main")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == FIRST_LINK_IN_FRONT_MAIN


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", ("front", "briefing", "actor", "directory", "timeline"))
def test_every_tab_stop_shows_a_focus_ring_that_contrasts_and_is_on_screen(kind, scheme, open_page, site_url):
    case, path = PAGE_KINDS[kind]
    page = open_page(site_url(case, path))
    page.emulate_media(color_scheme=scheme)
    stops, problems = 0, []
    for _ in range(600):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus is None:  # past the last stop, the focus leaves the page
            break
        if stops and focus["element"] == "a.skip-link Skip to content":
            break
        stops += 1
        if not (focus["visible"] and focus["matchesFocusVisible"] and focus["inView"] and focus["contrast"] >= 3):
            problems.append(focus | {"box": page.evaluate("() => JSON.stringify(document.activeElement.getBoundingClientRect())")})
    assert stops > 10
    assert problems == []


def test_keyboard_alone_goes_from_the_front_page_to_a_filtered_timeline_and_a_dated_sentence(open_page, site_url):
    page = open_page(site_url("example"))
    press_tab_until(page, "#latest-heading ~ ol .doc-title a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{EXAMPLE_DOCUMENT}")
    press_tab_until(page, '.briefing-aside a.chip[href$="joe-biden/index.html"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/actors/joe-biden/index.html")
    press_tab_until(page, '#connections .connection-name a[href$="keir-starmer/index.html"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/actors/keir-starmer/index.html")
    press_tab_until(page, 'header nav a[href$="timeline/index.html"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline/index.html")
    press_tab_until(page, ".timeline-filter select[name=actor]")
    page.keyboard.type("Keir")  # a closed select picks the option starting with what is typed
    assert page.locator(".timeline-filter select[name=actor]").input_value() == "keir-starmer"
    assert page.locator(".filter-status").inner_text() == TIMELINE_STARMER_STATUS
    press_tab_until(page, ".timeline .event:not([hidden]) .event-text a")
    target = page.evaluate("() => document.activeElement.getAttribute('href').split('#')[1]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{EXAMPLE_DOCUMENT}#{target}")
    assert page.evaluate("() => document.querySelector(':target').id") == target
