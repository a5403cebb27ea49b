"""outputs/feeds: feeds are written as text, laid out as xml.etree would lay them out; the ids are uuid5."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.config import SiteConfig
from briefing.outputs.feeds import _element, _xml_text, atom_id

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(["", "&", "<a>", '"q"', "x\r\ny\tz", " ", "]]>"])


def etree_line(indent: str, tag: str, text: str, attributes: dict[str, str]) -> str:
    """The same element as a child of a root, serialized by xml.etree after indent(space=' ')."""
    root = ET.Element("root")
    element = ET.SubElement(root, tag, attributes)
    element.text = text
    ET.indent(root, space=" ", level=len(indent) - 1)
    written = ET.tostring(root, encoding="unicode")
    return written.split("\n", 1)[1].rsplit("\n", 1)[0]  # between <root> and </root>


@settings(max_examples=500, deadline=None)
@given(text=TEXT, attribute=TEXT)
def test_an_element_is_written_as_xml_etree_writes_it(text, attribute):
    text, attribute = _xml_text(text), _xml_text(attribute)
    assert _element("  ", "summary", text, type=attribute) == etree_line("  ", "summary", text, {"type": attribute})


def test_an_element_without_text_closes_itself():
    assert _element(" ", "subtitle", "") == " <subtitle />"


def test_characters_xml_cannot_carry_are_dropped_from_text():
    assert _element(" ", "title", "a\x00b\x0bc\ufffe") == " <title>abc</title>"


@settings(max_examples=200, deadline=None)
@given(title=TEXT, path=TEXT)
def test_atom_ids_are_uuid5_names_of_the_site_title_and_path(title, path):
    config = SiteConfig(project=Path("/project"), output=Path("/project/site"), title=title)
    assert atom_id(config, path) == "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"briefing:{title}:{path}"))
