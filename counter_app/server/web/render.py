"""Templates (Jinja2, shipped in the package) and the booking code's QR as inline SVG."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def environment() -> Environment:
    """Loaded at the first page served, not at the server's start (docs/PERFORMANCE.md)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("counter_app.server.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


@lru_cache(maxsize=256)
def qr_svg(text: str) -> Markup:
    """The QR code of ``text`` as an ``<svg>`` element (paths only: no image library).
    qrcode is imported here, at the first QR drawn: it loads PIL, which serving never needs
    otherwise (docs/PERFORMANCE.md, "Install, backup, start")."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg)
    label = escape(f"QR {text}")  # an attribute: escaped even though codes are our own
    svg = svg.replace("<svg", f'<svg class="qr" role="img" aria-label="{label}"', 1)
    return Markup(svg)  # made here from a QR matrix and a booking code
