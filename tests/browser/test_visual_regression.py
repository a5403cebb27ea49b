"""Visual regressions: the top of each main page kind, on a desktop and a phone, compared with the reference
images committed in tests/browser/reference/, with a tolerance.

The screenshots are taken from file:// in the light scheme with animations off and the caret hidden, so the
same build draws the same pixels every time. They are compared at half size, in the reference's own palette of
256 colours (which keeps the ten references near 260 KB in all): the screenshot is mapped to that palette as the
reference was, so an unchanged page matches exactly, and a pixel counts as changed when a colour channel moves by
more than CHANNEL_TOLERANCE. A page has changed when more than CHANGED_TOLERANCE of its pixels have: a moved
block, a changed accent or link colour, a heading of another size, or a missing section show, while a few
glyphs drawn a little differently by another chromium build do not. A failure saves the screenshot and a
difference image (changed pixels in red) to tests/artifacts/visual/.

After an intended change to the theme, refresh the references and review them in `git diff`:

    python -m pytest --update-golden tests/browser/test_visual_regression.py

The references are drawn with Debian 12's chromium and fonts (DejaVu and Liberation, which the theme's font
stacks fall back to); another system's fonts draw other glyphs, so regenerate them there, or run the suite
where CI runs it.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageChops  # a test extra: pip install -e '.[test]'

from local_tools import VIEWPORTS
from page_kinds import PAGE_KINDS


REFERENCES = Path(__file__).resolve().parent / "reference"
FAILURES = Path(__file__).resolve().parents[1] / "artifacts" / "visual"
KINDS = ("front", "briefing", "actor", "timeline", "directory")
SCALE = 2  # references are stored and compared at half the screenshot's size
CHANNEL_TOLERANCE = 24  # a pixel has changed when a colour channel moves by more than this (of 255)
CHANGED_TOLERANCE = 0.002  # and the image has changed when more than 0.2% of its pixels have


def shrink(png: bytes) -> Image.Image:
    image = Image.open(BytesIO(png)).convert("RGB")
    return image.resize((image.width // SCALE, image.height // SCALE), Image.Resampling.LANCZOS)


def in_palette(image: Image.Image, palette: Image.Image) -> Image.Image:
    return image.quantize(palette=palette, dither=Image.Dither.NONE)


def make_reference(image: Image.Image) -> Image.Image:
    """The image in a palette of its 256 most telling colours, each pixel mapped to the nearest one, exactly
    as a later screenshot is mapped for the comparison."""
    return in_palette(image, image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE))


def changed_pixels(reference: Image.Image, actual: Image.Image) -> tuple[float, Image.Image]:
    """The share of pixels that differ beyond the channel tolerance, and a mask of them."""
    difference = ImageChops.difference(reference, actual)
    channels = [channel.point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0) for channel in difference.split()]
    mask = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    changed = mask.histogram()[255]
    return changed / (mask.width * mask.height), mask


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", KINDS)
def test_page_looks_like_its_reference(kind, viewport, make_session, site_url, update_golden):
    case, path = PAGE_KINDS[kind]
    page = make_session(viewport).open(site_url(case, path))
    page.emulate_media(reduced_motion="reduce")
    page.evaluate("() => document.fonts.ready")
    actual = shrink(page.screenshot(animations="disabled", caret="hide"))
    reference_path = REFERENCES / f"{kind}-{viewport}.png"
    if update_golden:
        REFERENCES.mkdir(exist_ok=True)
        make_reference(actual).save(reference_path, optimize=True)
        return
    assert reference_path.exists(), f"no reference image; make it with: python -m pytest --update-golden {Path(__file__).name}"
    stored = Image.open(reference_path)
    assert stored.size == actual.size
    reference, actual = stored.convert("RGB"), in_palette(actual, stored).convert("RGB")
    share, mask = changed_pixels(reference, actual)
    if share > CHANGED_TOLERANCE:
        FAILURES.mkdir(parents=True, exist_ok=True)
        actual.save(FAILURES / f"{kind}-{viewport}-actual.png")
        marked = Image.blend(reference, actual, 0.5)
        marked.paste((255, 0, 0), mask=mask)
        marked.save(FAILURES / f"{kind}-{viewport}-difference.png")
    assert share <= CHANGED_TOLERANCE, f"{share:.2%} of the pixels changed; see tests/artifacts/visual/{kind}-{viewport}-difference.png"
