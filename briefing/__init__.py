"""briefing: a static briefing-site generator. Entry point: briefing.cli.main; stages: briefing.pipeline."""

__version__ = "0.1.0"
