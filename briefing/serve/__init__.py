"""The preview server: `briefing serve`. A client of the pipeline, like the CLI's build.

watcher (file events -> debounced Changes) -> preview (rebuild with the analysis cache and the page
renderer, publish) -> livereload (epoch, long-poll, injected script and overlay) -> server (HTTP, checked).
"""
