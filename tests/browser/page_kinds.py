"""Every kind of page the theme renders, each as (example project, page path), shared by the browser tests.
The `example` project is the repository itself; `newsroom` has the kinds the example lacks (a Markdown
briefing, an undated one, an actor with links, an unmentioned actor, a free page)."""

EXAMPLE_DOCUMENT = "documents/000-b31cede6e6f66a7a/index.html"

PAGE_KINDS = {
    "front": ("example", "index.html"),
    "briefings": ("example", "documents/index.html"),
    "briefing": ("example", EXAMPLE_DOCUMENT),
    "briefing-markdown": ("newsroom", "documents/2024-03-02-grain-corridor/index.html"),
    "briefing-undated": ("newsroom", "documents/field-notes/index.html"),
    "directory": ("example", "actors/index.html"),
    "actor": ("example", "actors/joe-biden/index.html"),
    "actor-with-links": ("newsroom", "actors/mara-okonjo/index.html"),
    "actor-unmentioned": ("newsroom", "actors/anton-vell/index.html"),
    "timeline": ("example", "timeline/index.html"),
    "network": ("example", "network/index.html"),
    "search": ("example", "search/index.html"),
    "page": ("newsroom", "about/index.html"),
    "not-found": ("example", "404.html"),
}
