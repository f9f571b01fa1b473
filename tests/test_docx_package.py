"""The DOCX package writer: `[Content_Types].xml` written by our own code, not python-docx's
private class, must still name the right content type for every part."""

from __future__ import annotations

import importlib
import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE
from docx.opc.packuri import PackURI

from seloste.examples import NAMES, load_example
from seloste.render.docx import content_types_xml, render_docx

NS = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types"}


@dataclass
class FakePart:
    partname: PackURI
    content_type: str


def resolve(types_xml: bytes, member: str) -> str | None:
    """The content type a reader gives a zip member: its Override, else its extension's Default."""
    root = ET.fromstring(types_xml)
    for o in root.findall("ct:Override", NS):
        if o.get("PartName") == "/" + member:
            return o.get("ContentType")
    ext = member.rsplit(".", 1)[-1].lower()
    for d in root.findall("ct:Default", NS):
        if (d.get("Extension") or "").lower() == ext:
            return d.get("ContentType")
    return None


@pytest.mark.parametrize("name", NAMES)
def test_every_part_of_a_rendered_notice_has_its_content_type(name: str) -> None:
    data = render_docx(load_example(name))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = zf.namelist()
        types_xml = zf.read("[Content_Types].xml")
    assert members[0] == "[Content_Types].xml"
    package = docx.Document(io.BytesIO(data)).part.package
    expected = {str(p.partname).lstrip("/"): p.content_type for p in package.iter_parts()}
    assert expected  # the document, styles, settings, ...
    for member in members[1:]:
        if member.endswith(".rels"):
            assert resolve(types_xml, member) == CONTENT_TYPE.OPC_RELATIONSHIPS
        else:
            assert resolve(types_xml, member) == expected[member], member
    assert expected["word/document.xml"] == CONTENT_TYPE.WML_DOCUMENT_MAIN


CORE_NAMESPACES = {
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_core_properties_are_in_their_own_namespace(lang: str) -> None:
    """docxcompose rebinds python-docx's `cp` prefix on import; the renderer must still write
    each core property once, in the core-properties namespace (read with a plain XML parser,
    since python-docx's own reader is misled the same way)."""
    data = render_docx(load_example("keinuma"), lang)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read("docProps/core.xml"))
    tags = [child.tag for child in root]
    namespaces = {tag[1:].split("}")[0] for tag in tags}
    assert namespaces <= CORE_NAMESPACES, namespaces
    assert len(tags) == len(set(tags)), tags  # no property written twice
    cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert root.findtext(f"{cp}lastModifiedBy") == "Seloste"
    assert root.findtext(f"{dc}creator") == "Keinuma Oy"
    assert root.findtext(f"{dc}language") == {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}[lang]


def test_defaults_for_standard_extensions_overrides_for_the_rest() -> None:
    parts = [
        FakePart(PackURI("/word/media/image1.PNG"), CONTENT_TYPE.PNG),
        FakePart(PackURI("/word/document.xml"), CONTENT_TYPE.WML_DOCUMENT_MAIN),
        FakePart(PackURI("/docProps/core.xml"), CONTENT_TYPE.OPC_CORE_PROPERTIES),
    ]
    root = ET.fromstring(content_types_xml(parts))
    defaults = [(d.get("Extension"), d.get("ContentType")) for d in root.findall("ct:Default", NS)]
    overrides = [o.get("PartName") for o in root.findall("ct:Override", NS)]
    assert defaults == [("png", CONTENT_TYPE.PNG), ("rels", CONTENT_TYPE.OPC_RELATIONSHIPS),
                        ("xml", CONTENT_TYPE.XML)]
    assert overrides == ["/docProps/core.xml", "/word/document.xml"]  # sorted: stable bytes
    assert content_types_xml(parts) == content_types_xml(list(reversed(parts)))


def test_attribute_values_are_escaped() -> None:
    part = FakePart(PackURI('/word/a&b"<c>.xml'), "application/x-test")
    root = ET.fromstring(content_types_xml([part]))
    assert [o.get("PartName") for o in root.findall("ct:Override", NS)] == ['/word/a&b"<c>.xml']


def test_same_bytes_as_python_docx_writes() -> None:
    """Our writer gives python-docx's own bytes, so replacing it changed no output."""
    writer = getattr(importlib.import_module("docx.opc.pkgwriter"), "_ContentTypesItem", None)
    if writer is None:  # python-docx renamed its private class: the tests above still hold
        pytest.skip("python-docx no longer has _ContentTypesItem to compare with")
    package = docx.Document(io.BytesIO(render_docx(load_example("keinuma")))).part.package
    parts = list(package.iter_parts())
    assert content_types_xml(parts) == writer.from_parts(parts).blob
