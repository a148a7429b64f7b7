"""The skill's icons: 108 and 512 pixel PNGs drawn from ``skill/deploy/assets/icon.svg``.

cairosvg (the ``package`` extra, on the cairo library) draws them at packaging time, into
``skill-package/assets/images/``; ``skill.json`` names them with ``file://`` URIs, which
``ask deploy`` uploads with the package. They are never committed: the SVG is the source.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SOURCE = "icon.svg"
#: skill.json field -> the icon's size in pixels (square), as Amazon asks.
SIZES = {"smallIconUri": 108, "largeIconUri": 512}
URI_FIELDS = tuple(SIZES)
FOLDER = Path("assets") / "images"


class IconError(RuntimeError):
    """The icons cannot be drawn here; the message says what to install."""


def file_name(size: int) -> str:
    return f"icon-{size}.png"


def manifest_uris() -> dict[str, str]:
    """The icon fields of one locale in ``skill.json``, relative to the skill package."""
    return {field: f"file://{(FOLDER / file_name(size)).as_posix()}" for field, size in SIZES.items()}


def svg() -> bytes:
    return resources.files(__package__).joinpath("assets", SOURCE).read_bytes()


def render() -> dict[int, bytes]:
    """Each size's PNG. IconError, in one line, without cairosvg or the cairo library."""
    try:
        import cairosvg
    except ImportError as exc:
        raise IconError(
            "drawing the icons needs cairosvg: pip install 'bone-builder[package]'"
        ) from exc
    except OSError as exc:  # cairocffi found no cairo library
        raise IconError(
            "drawing the icons needs the cairo library (Debian: apt-get install libcairo2; "
            f"macOS: brew install cairo): {exc}"
        ) from exc
    source = svg()
    return {
        size: cairosvg.svg2png(bytestring=source, output_width=size, output_height=size)
        for size in SIZES.values()
    }


def write_icons(package: Path, drawn: dict[int, bytes] | None = None) -> list[Path]:
    """Write the PNGs under ``package`` (the ``skill-package`` folder); return their paths."""
    folder = Path(package) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size, png in (drawn or render()).items():
        path = folder / file_name(size)
        path.write_bytes(png)
        written.append(path)
    return written
