"""Outputs fed the same Graph as the HTML pages: data exports, and later feeds, sitemap and search."""
