"""Property-based tests (hypothesis): random front matter, random names and texts for mention detection, and
random whole projects through the pipeline. The property is always the same: nothing escapes but reported
diagnostics, and what comes out keeps its invariants.

Bounded so the suite stays fast: a fixed number of examples each, no deadline (a slow machine must not
fail them), no example database written into the repository. Each test prints how many cases it tried.
"""
from __future__ import annotations

import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps a character-table cache in its home folder: outside the repository.
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "briefing-hypothesis"))

from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.frontmatter import read_fields, read_file_fields, split_front_matter
from briefing.mentions import MentionMatcher, fold_for_matching
from briefing.pipeline import build_site
from briefing.stages.load import ACTOR_SCHEMA, DOCUMENT_SCHEMA
from briefing.stages.write import write_site
from hardening_support import audit_html, write_project

# No example database and no explain phase: nothing is written into the repository (.hypothesis/).
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
BOUNDED = settings(max_examples=120, deadline=None, database=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow])
tried: dict[str, int] = {}


def count(name: str) -> None:
    tried[name] = tried.get(name, 0) + 1


# --- front matter ----------------------------------------------------------------------------------

YAML_PIECES = [
    "title", "date", "tags", "slug", "draft", "url", "name", "kind", "aliases", "links", ":", ": ", "- ", "-", "\n", "\n  ",
    "[", "]", "{", "}", ",", "&a", "*a", "!!str", "!!python/object:os.system", "'", '"', "#", "|", ">", "---", "...", "?",
    "2024-09-11", "NO", "yes", "1.10", "~", "null", "0x1F", "9" * 50, "\t", "\\", "%YAML 1.1", "<<: *a",
    "\x00", "\x1b", "\u202e", "\ufeff", "\u200b", "é", "Жо", "https://x.org", "javascript:x",
]
yaml_like = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=6)), max_size=40).map("".join)


@BOUNDED
@given(yaml_like)
def test_any_front_matter_gives_diagnostics_never_an_exception(text):
    count("front matter texts")
    for schema, level in ((DOCUMENT_SCHEMA, "warning"), (ACTOR_SCHEMA, "error")):
        report = Diagnostics()
        split = split_front_matter(f"---\n{text}\n---\nbody\n", "seeds/x.md", report)
        if split.yaml_text is not None:
            read_file_fields(split.yaml_text, schema, "seeds/x.md", report, level, split.yaml_line)
        assert all(item.location.path == "seeds/x.md" and item.location.line >= 0 for item in report.items)


scalars = st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.dates())
values = st.recursive(scalars, lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)), max_leaves=8)


@BOUNDED
@given(st.dictionaries(st.one_of(st.sampled_from(sorted({*DOCUMENT_SCHEMA, *ACTOR_SCHEMA})), st.text(max_size=10)), values, max_size=8))
def test_any_mapping_is_read_against_the_schema_without_an_exception(mapping):
    count("front matter mappings")
    text = yaml.safe_dump(mapping, allow_unicode=True)
    report = Diagnostics()
    node = yaml.compose(text)
    if isinstance(node, yaml.MappingNode):
        fields = read_fields(node, DOCUMENT_SCHEMA, "seeds/x.md", 2, report, "warning")
        assert set(fields.values) <= set(DOCUMENT_SCHEMA)
        assert all(isinstance(value, str) for name, value in fields.values.items() if name in ("title", "source", "slug"))


# --- mention detection -------------------------------------------------------------------------------

name_letters = st.sampled_from(list(string.ascii_letters) + ["о", "е", "А", ".", "'", "\u00a0", "-", "é"])
names = st.lists(name_letters, min_size=1, max_size=8).map("".join).filter(lambda name: name.strip(" .'-\u00a0") == name and name[0].isalpha())
text_pieces = st.one_of(names, st.sampled_from([" ", ", ", ". ", "'s ", "’s ", "\n", "\u200b", "U.S.", "-", "(", ")"]))


@BOUNDED
@given(st.dictionaries(names, st.sampled_from(["a", "b", "c"]), min_size=1, max_size=6), st.lists(text_pieces, max_size=30).map("".join))
def test_mentions_are_ordered_disjoint_whole_words_of_known_forms(alias_index, text):
    count("mention texts")
    matcher = MentionMatcher(alias_index)
    matches = matcher.find(text)
    folded_forms = {fold_for_matching(form): actor for form, actor in alias_index.items()}
    ends = 0
    for match in matches:
        assert match.start >= ends  # in order and never overlapping
        ends = match.end
        assert folded_forms.get(fold_for_matching(text[match.start:match.end])) == match.actor
        assert match.start == 0 or not (text[match.start - 1].isalnum() and text[match.start].isalnum())


@BOUNDED
@given(st.dictionaries(names, st.sampled_from(["a", "b"]), min_size=1, max_size=6), st.data())
def test_a_form_standing_alone_is_found(alias_index, data):
    count("forms standing alone")
    form = data.draw(st.sampled_from(sorted(alias_index)))
    matches = MentionMatcher(alias_index).find(f"Said: {form} (today)")
    assert [match.start for match in matches if match.start == 6] == [6]


# --- whole projects ----------------------------------------------------------------------------------

body_pieces = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\n\n", "# Head\n", "* item\n", "[link](x)", "[l](https://x.org)", "<script>x</script>", "`code`", "**b**", "_e_", "[", "]",
                     "Joe Biden", "Biden's", "U.S.", "said", "\x00", "\ufeff", "\u202e", "---\n", "Sept. 11", "on Monday", "\r\n", "> quote\n"]),
)
bodies = st.lists(body_pieces, max_size=25).map("".join)
front_values = st.one_of(st.text(max_size=20), st.sampled_from(["2024-09-11", "NO", "[a, b]", "{x: 1}", "&a x", "*a", "https://x.org", "'quoted'"]))


@st.composite
def projects(draw) -> dict[str, str]:
    files = {}
    for number in range(draw(st.integers(0, 3))):
        name = draw(st.one_of(st.sampled_from(["Joe Biden", "U.S.", "Biden", "Kyiv"]), st.text(max_size=12)))
        aliases = draw(st.lists(st.text(max_size=8), max_size=3))
        files[f"content/actors/actor-{number}.md"] = f"---\nname: {yaml.safe_dump(name).strip()}\nkind: person\naliases: {yaml.safe_dump(aliases, default_flow_style=True).strip()}\n---\n" + draw(bodies)
    for number in range(draw(st.integers(0, 3))):
        suffix = draw(st.sampled_from([".txt", ".md"]))
        front = "".join(f"{field}: {draw(front_values)}\n" for field in draw(st.lists(st.sampled_from(sorted(DOCUMENT_SCHEMA)), max_size=4, unique=True)))
        files[f"seeds/seed-{number}{suffix}"] = (f"---\n{front}---\n" if draw(st.booleans()) else "") + draw(bodies)
    if draw(st.booleans()):
        files["content/pages/about.md"] = draw(bodies)
    return files


@settings(max_examples=20, deadline=None, database=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(projects())
def test_any_project_builds_or_reports_never_raises(files):
    count("whole projects")
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder) / "project", files)
        report = Diagnostics()
        config = load_config(root, None, report)
        site = build_site(config, report)
        assert all(item.location.path for item in report.items)
        if not report.errors:
            write_site(list(site.pages), config.output)
            for page in site.pages:
                if page.path.endswith(".html"):
                    assert audit_html(page.content.decode("utf-8")) == []


def test_zz_report_cases_tried():
    """Runs last in this file (by name): prints what the properties above tried, for the closing note."""
    print("\nhypothesis cases tried: " + ", ".join(f"{name} {number}" for name, number in sorted(tried.items())))
