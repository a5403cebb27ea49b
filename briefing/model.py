"""The frozen records that cross stage boundaries. Relations are by slug; nothing here does I/O.

load -> Project (Actor, Source, FreePage) -> annotate -> AnnotatedDocument (Mention, Sentence)
     -> crosslink -> Graph -> render -> Page
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

ACTOR_KINDS = ("person", "state", "organization", "media", "group", "other")


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Actor:
    slug: str
    name: str
    kind: str
    path: str  # project-relative source file
    aliases: tuple[str, ...] = ()
    role: str = ""
    affiliation: tuple[str, ...] = ()
    country: str = ""
    summary: str = ""
    links: tuple[Link, ...] = ()
    bio_html: str = ""

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The name first, then each alias once."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True)
class DocumentMeta:
    """Front matter of a seed, with an overlay's fields already applied."""

    title: str = ""
    date: datetime.date | None = None
    source: str = ""
    url: str = ""
    author: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    slug: str = ""
    draft: bool = False
    language: str = ""


@dataclass(frozen=True)
class Source:
    """A seed as loaded: its text after front matter, not yet cleaned or analysed."""

    stem: str
    path: str  # project-relative, e.g. seeds/000_x.txt
    markup: str  # "text" or "markdown"
    slug: str
    meta: DocumentMeta
    body: str
    body_line: int  # 1-based file line where `body` starts
    note_html: str = ""  # the overlay's analyst note, rendered
    overlay_path: str = ""


@dataclass(frozen=True)
class FreePage:
    slug: str
    path: str
    title: str
    body_html: str


@dataclass(frozen=True)
class Project:
    actors: tuple[Actor, ...]
    sources: tuple[Source, ...]
    pages: tuple[FreePage, ...]
    # surface form -> actor slug, with forms claimed by two actors left out
    alias_index: dict[str, str] = field(hash=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class Sentence:
    paragraph: int  # number of the paragraph holding it, from 1: its element id is p-<number>
    text: str


@dataclass(frozen=True)
class Mention:
    actor: str  # actor slug
    anchor: str  # element id on the document page, e.g. "m-joe-biden-1"
    text: str  # the surface form as written
    sentence: int  # index into AnnotatedDocument.sentences
    offset: int = 0  # where the mention starts in its sentence's text


@dataclass(frozen=True)
class Statement:
    """A sentence in which an actor speaks: said, reported, argued... or a quote attributed to them."""

    actor: str
    sentence: int  # index into AnnotatedDocument.sentences
    verb: str
    quote: str | None
    date: datetime.date | None  # the day it was said when the sentence names one, else the document's date


@dataclass(frozen=True)
class TimelineEvent:
    """A sentence that names a day, with the actors it names."""

    date: datetime.date
    date_text: str  # as written: "Sept. 13"
    sentence: int
    actors: tuple[str, ...]


@dataclass(frozen=True)
class AnnotatedDocument:
    slug: str
    path: str
    title: str
    meta: DocumentMeta
    body_html: str  # source text with every mention marked up
    note_html: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    word_count: int
    statements: tuple[Statement, ...] = ()
    events: tuple[TimelineEvent, ...] = ()

    @property
    def date(self) -> datetime.date | None:
        return self.meta.date


@dataclass(frozen=True)
class Page:
    """One output file: its path under the site root and its bytes."""

    path: str
    content: bytes
