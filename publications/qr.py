"""QR codes for printed matter, made with the `qrcode` library as SVG.

Vector, so the code stays sharp at any print resolution; embedded as a data: URI, so a PDF
needs no file and the web page no extra request (the CSP allows data: images).
"""

import base64
import functools

import qrcode
import qrcode.constants
import qrcode.image.svg

# Level M survives about 15 % damage (a fold, a smudge) and keeps a short URL at version
# 2 or 3, i.e. large modules on a small card.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
# The quiet zone of 4 modules ISO/IEC 18004 asks for, drawn white inside the image, so
# whatever is printed next to it can never eat into it.
QUIET_ZONE_MODULES = 4


def qr_code(data: str) -> qrcode.QRCode:
    """The smallest QR code (version) that holds `data` at level M."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECTION,
        border=QUIET_ZONE_MODULES,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    code.add_data(data)
    code.make(fit=True)
    return code


@functools.lru_cache(maxsize=32)
def qr_svg(data: str) -> str:
    """A standalone SVG of the code, white quiet zone included, one unit per module."""
    return qr_code(data).make_image().to_string(encoding="unicode")


def qr_svg_data_uri(data: str) -> str:
    """The SVG as a data: URI for <img src>, in a PDF as on a web page."""
    encoded = base64.b64encode(qr_svg(data).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
