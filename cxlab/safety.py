"""What cxlab agrees to read: paths confined to the client folder, regular files only, size limits, logos
that are real images.

* **Confinement**: every path ``client.yaml`` names (data files, the logo) must resolve, symbolic links
  followed, inside the client folder; ``../secret.csv``, ``/etc/passwd`` or a link out of the folder is
  refused with a :class:`~cxlab.errors.ConfigError` naming the key, unless the user allows it explicitly
  (``--allow-outside-paths`` on the command line, which sets :data:`ALLOW_OUTSIDE_ENV` so the report's
  kernel and the batch's workers inherit it).
* **Regular files only**: a FIFO would block the reader forever, a device (``/dev/zero``) never ends; both
  are refused before anything is opened (:func:`check_regular_file`).
* **Sizes**: a data file above its table's ``max_mb`` (default :data:`DEFAULT_MAX_MB`) is refused before
  it is read; the logo may be at most :data:`MAX_LOGO_BYTES`.
* **Logos**: the bytes decide, not the file name: PNG, JPEG, or SVG; an SVG is sanitised (no script,
  ``foreignObject``, event attributes, external references or entities) before it goes into the report.
"""

from __future__ import annotations

import base64
import os
import re
import stat
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .errors import ConfigError, FileFormatError, InputFileError
from .i18n import Message

#: set to "1" (``--allow-outside-paths``) to let client.yaml name files outside the client folder
ALLOW_OUTSIDE_ENV = "CXLAB_ALLOW_OUTSIDE_PATHS"
#: the default size limit of one data file, in MB (``tables.<name>.max_mb`` in client.yaml)
DEFAULT_MAX_MB = 1024
#: the default row limit of one table (``tables.<name>.max_rows``); Excel itself stops at 1,048,576
DEFAULT_MAX_ROWS = 2_000_000
#: the largest logo embedded in a report
MAX_LOGO_BYTES = 2_000_000


def outside_paths_allowed() -> bool:
    return os.environ.get(ALLOW_OUTSIDE_ENV, "") == "1"


def confine(root: Path | str, relative: str | Path, *, file: str, key: str) -> Path:
    """``relative`` (a path client.yaml gives for ``key``) resolved against ``root``; a
    :class:`ConfigError` when it lies outside ``root`` once symbolic links are followed, unless
    :data:`ALLOW_OUTSIDE_ENV` is set. Returns the path as given, joined to ``root`` when relative."""
    root = Path(root)
    given = Path(relative)
    path = given if given.is_absolute() else root / given
    if outside_paths_allowed():
        return path
    inside = root.resolve()
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop
        raise ConfigError(
            Message("a path inside the client folder"),
            file=file,
            column=key,
            found=Message("{path}: a link loop", path=repr(str(relative))),
        ) from None
    if resolved != inside and not resolved.is_relative_to(inside):
        shown = repr(str(relative))
        raise ConfigError(
            Message("a file inside the client folder {folder} (or --allow-outside-paths)", folder=inside),
            file=file,
            column=key,
            found=Message("{path}, which is outside it through a symbolic link", path=shown)
            if _has_link(root, given)
            else Message("{path}, which is outside it", path=shown),
        )
    return path


def _has_link(root: Path, given: Path) -> bool:
    path = given if given.is_absolute() else root / given
    for part in [path, *path.parents]:
        if part == root or part in root.parents:
            break
        try:
            if part.is_symlink():
                return True
        except OSError:
            return False
    return False


def file_kind(mode: int) -> str:
    """What a ``st_mode`` is, in words."""
    if stat.S_ISDIR(mode):
        return Message("a folder")
    if stat.S_ISFIFO(mode):
        return Message("a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Message("a device")
    if stat.S_ISSOCK(mode):
        return Message("a socket")
    return Message("not a regular file")


def check_regular_file(path: Path, file: str, max_bytes: int | None = None) -> os.stat_result:
    """The file's ``stat`` (links followed); an :class:`InputFileError` when it is not a regular file (a
    FIFO, a device, a socket, a folder) or is larger than ``max_bytes``. Nothing is opened, so a FIFO
    cannot block."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise FileFormatError(Message("a regular file"), file=file, found=file_kind(info.st_mode))
    if max_bytes is not None and info.st_size > max_bytes:
        raise InputFileError(
            Message(
                "a file of at most {size} (raise the table's max_mb in client.yaml to read it)",
                size=_size(max_bytes),
            ),
            file=file,
            found=_size(info.st_size),
        )
    return info


def _size(n: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


# ------------------------------------------------------------------------------------------- logos
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
#: elements that run code, embed other documents or pull in content
_SVG_DROPPED = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
}
#: animation elements can set an href to javascript: at run time
_SVG_ANIMATION = {"set", "animate", "animatetransform", "animatemotion", "discard"}
_SAFE_DATA_IMAGE = re.compile(r"^\s*data:image/(png|jpeg|gif|webp);base64,", re.I)
_UNSAFE_CSS = re.compile(r"@import|javascript:|expression\s*\(|url\s*\(\s*['\"]?\s*(?!#|data:image/)", re.I)


def sniff_image(data: bytes) -> str | None:
    """The MIME type of an image from its first bytes: ``image/png``, ``image/jpeg`` or
    ``image/svg+xml`` (an XML document whose root is ``<svg>``); None for anything else."""
    if data.startswith(_PNG):
        return "image/png"
    if data.startswith(_JPEG):
        return "image/jpeg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"<svg[\s>]", head):
        return "image/svg+xml"
    return None


def sanitise_svg(data: bytes, file: str = "logo") -> bytes:
    """An SVG without anything that runs or fetches: scripts, ``foreignObject``, event attributes
    (``onload``), links other than ``#fragment`` or embedded raster images, animations, CSS imports or
    external ``url()``. A DTD or entity (billion laughs, external entities) is refused."""
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

    try:
        root = fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError, ValueError) as exc:
        raise ConfigError(
            Message("a well-formed SVG without DTD or entities"),
            file=file,
            column="branding.logo",
            found=str(exc),
        ) from None
    if _local(root.tag) != "svg":
        raise ConfigError(
            Message("an SVG image"), file=file, column="branding.logo", found=f"<{_local(root.tag)}>"
        )
    _clean(root)
    ElementTree.register_namespace("", _SVG_NS)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ElementTree.tostring(root, encoding="utf-8")


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _clean(element: ElementTree.Element) -> None:
    for child in list(element):
        name = _local(child.tag)
        if not isinstance(child.tag, str) or name in _SVG_DROPPED or name in _SVG_ANIMATION:
            element.remove(child)  # comments, processing instructions, active content
            continue
        if name == "style" and _UNSAFE_CSS.search(child.text or ""):
            element.remove(child)
            continue
        _clean(child)
    for attr in list(element.attrib):
        name = _local(attr)
        value = element.attrib[attr]
        if name.startswith("on"):
            del element.attrib[attr]
        elif attr == _XLINK or name == "href":
            if not (value.strip().startswith("#") or _SAFE_DATA_IMAGE.match(value)):
                del element.attrib[attr]
        elif name == "style" and _UNSAFE_CSS.search(value):
            del element.attrib[attr]
        elif "url(" in value.lower() and _UNSAFE_CSS.search(value):
            del element.attrib[attr]  # fill="url(http://...)"


def logo_bytes(path: Path, file: str = "client.yaml") -> tuple[str, bytes]:
    """(MIME type, bytes) of a logo that is safe to embed: a regular file of at most
    :data:`MAX_LOGO_BYTES`, a PNG, JPEG or (sanitised) SVG by its bytes. A :class:`ConfigError` names the
    problem."""
    try:
        check_regular_file(path, file, MAX_LOGO_BYTES)
    except InputFileError as exc:
        raise ConfigError(
            Message("a logo file ({what})", what=exc.expected),
            file=file,
            column="branding.logo",
            found=exc.found,
        ) from None
    with open(path, "rb") as stream:
        data = stream.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:  # grew since the check
        raise ConfigError(
            Message("a logo of at most {size}", size=_size(MAX_LOGO_BYTES)),
            file=file,
            column="branding.logo",
            found=Message("more"),
        )
    mime = sniff_image(data)
    if mime is None:
        raise ConfigError(
            Message("a PNG, JPEG or SVG image"),
            file=file,
            column="branding.logo",
            found=Message("{file}, whose content is not one", file=repr(path.name)),
        )
    if mime == "image/svg+xml":
        data = sanitise_svg(data, file)
    return mime, data


def logo_data_uri(path: Path, file: str = "client.yaml") -> str:
    """The logo as a ``data:`` URI (see :func:`logo_bytes`)."""
    mime, data = logo_bytes(path, file)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def check_client_paths(config: Any) -> None:
    """Every path a loaded client.yaml names stays inside its folder (see :func:`confine`), and an existing
    logo is a real image (see :func:`logo_bytes`). ``config`` is a :class:`~cxlab.config.ClientConfig`."""
    file = str(config.source)
    for name, src in config.tables.items():
        confine(config.root, src.file, file=file, key=f"tables.{name}.file")
    logo = config.branding.logo
    if logo:
        path = confine(config.root, logo, file=file, key="branding.logo")
        if path.exists() or path.is_symlink():
            logo_bytes(path, file)


# ---------------------------------------------------------------------------------- settings files
#: the largest settings file (client.yaml, recommendations.yaml) read
MAX_SETTINGS_BYTES = 1_000_000
#: the most YAML nodes a settings file may stand for once its aliases are expanded (an alias bomb of
#: 456 bytes stands for billions)
MAX_SETTINGS_NODES = 200_000


def read_limited_text(path: Path, file: str | None = None, max_bytes: int = MAX_SETTINGS_BYTES) -> str:
    """A settings file's text: a regular file (not a FIFO or device) of at most ``max_bytes``, in UTF-8.
    Problems are :class:`ConfigError`\\ s naming the file."""
    file = file or str(path)
    try:
        check_regular_file(path, file, max_bytes)
    except InputFileError as exc:
        raise ConfigError(exc.expected, file=file, found=exc.found) from None
    with open(path, "rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ConfigError(
            Message("a file of at most {size}", size=_size(max_bytes)), file=file, found=Message("more")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(
            Message("UTF-8 text"), file=file, found=Message("UTF-16 text (save the file as UTF-8)")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            Message("UTF-8 text"),
            file=file,
            rows=[line],
            found=Message(
                "the byte {byte}, not UTF-8 (a Latin-1 or Windows file? save it as UTF-8)",
                byte=f"0x{data[exc.start]:02x}",
            ),
        ) from None


def expanded_nodes(node: Any, limit: int = MAX_SETTINGS_NODES) -> int:
    """How many nodes a composed YAML node tree stands for with every alias expanded (counted once per
    shared node, so an alias bomb is measured without being expanded); stops counting past ``limit``."""
    sizes: dict[int, int] = {}

    def size(n: Any) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a recursive alias counts once
        total = 1
        value = getattr(n, "value", None)
        if isinstance(value, list):
            for item in value:
                for part in item if isinstance(item, tuple) else (item,):
                    total += size(part)
                    if total > limit:
                        break
                if total > limit:
                    break
        sizes[key] = min(total, limit + 1)
        return sizes[key]

    return size(node) if node is not None else 0
