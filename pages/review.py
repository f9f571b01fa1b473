"""Review and download: what is still missing, per Art. 13/14 item, a preview, and the notice as
DOCX, HTML page, Markdown, an HTML fragment to paste, and the answers as a draft file."""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from seloste.render import MIME, Format
from seloste.steps import STEP_KEYS
from seloste.vocab import Lang
from seloste.web import autosave, derived, findings, publishing, state
from seloste.web import widgets as w
from seloste.web.state import t

ITEMS = ("C1", "C2", "P1", "P2", "D1", "R1", "T1", "S1", "RT", "W1", "K1", "O1", "SRC", "A1",
         "F1")
#: Plain characters, not Material icons: in Markdown an icon is an image named in English
#: ("check_circle icon") whatever the UI language; a screen reader names these in its own.
STATUS_ICON = {"ok": ":green[✓]", "missing": ":red[✗]", "n/a": ":gray[–]"}


def slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def file_stem() -> str:
    base = {Lang.fi: "tietosuojaseloste", Lang.sv: "dataskyddsbeskrivning",
            Lang.en: "privacy-notice"}[state.draft().language]
    name = slug(state.draft().controller.name)
    return f"{base}-{name}" if name else base


def _register_of(path: str) -> int | None:
    """The register a finding's field belongs to ("registers.2.retention.0" -> 2), or None."""
    parts = path.split(".")
    return int(parts[1]) if len(parts) > 1 and parts[0] == "registers" and parts[1].isdigit() \
        else None


def _findings() -> None:
    found = findings.current()
    st.header(t("review.findings"), anchor=False)
    if not found:
        st.success(t("review.no_findings"), icon=":material/verified:")
        return
    for sev in findings.SEVERITIES:
        group = [f for f in found if findings.severity(f) == sev]
        if not group:
            continue
        with st.expander(t(f"severity.{sev}", count=len(group)), expanded=sev != "tip"):
            for n, finding in enumerate(group):
                w.show_finding(finding)
                step = finding.step
                items = ", ".join(finding.items)
                if items:
                    st.caption(t("review.items", items=items))
                if step in STEP_KEYS:
                    st.button(t("review.fix", step=t(f"step.{step}.nav")), key=f"fix.{sev}.{n}",
                              icon=":material/edit:", on_click=w.go_to_register,
                              args=(step, _register_of(finding.path)), type="tertiary")


def _completeness() -> None:
    status = findings.completeness()
    st.header(t("review.completeness"), anchor=False)
    st.caption(t("review.completeness_text"))
    lines = []
    for item in ITEMS:
        value = status.get(item, "n/a")
        word = t("review.status_" + value.replace("/", ""))
        lines.append(f"{STATUS_ICON.get(value, '')} **{item}** {findings.title(item)} "
                     f"· :gray[{word}]")
    st.markdown("  \n".join(lines))


def _downloads() -> None:
    notice = state.draft()
    stem = file_stem()
    st.header(t("review.download"), anchor=False)
    a, b, c = st.columns(3)
    a.download_button(t("review.docx"), data=derived.rendered(Format.docx), key="dl.docx",
                      file_name=f"{stem}.docx", mime=MIME[Format.docx], on_click="ignore",
                      icon=":material/description:", type="primary", width="stretch")
    b.download_button(t("review.page"), data=derived.rendered(Format.page), key="dl.page",
                      file_name=f"{stem}.html", mime=MIME[Format.page], on_click="ignore",
                      icon=":material/web:", width="stretch")
    c.download_button(t("review.md"), data=derived.rendered(Format.md), key="dl.md",
                      file_name=f"{stem}.md", mime=MIME[Format.md], on_click="ignore",
                      icon=":material/notes:", width="stretch")
    langs = notice.published_languages()
    if len(langs) > 1:
        names = " + ".join(lang.value.upper() for lang in langs)
        d, e = st.columns(2)
        d.download_button(t("review.docx_all", languages=names),
                          data=derived.all_languages(Format.docx), key="dl.docx_all",
                          file_name=f"{stem}-{'-'.join(x.value for x in langs)}.docx",
                          mime=MIME[Format.docx], on_click="ignore",
                          icon=":material/description:", width="stretch")
        e.download_button(t("review.page_all", languages=names),
                          data=derived.all_languages(Format.page), key="dl.page_all",
                          file_name=f"{stem}-{'-'.join(x.value for x in langs)}.html",
                          mime=MIME[Format.page], on_click="ignore",
                          icon=":material/web:", width="stretch")
    st.markdown(f"**{t('review.fragment')}**")
    st.caption(t("review.fragment_help"))
    # A fixed-height st.code is a scroll area keyboard users cannot reach (axe
    # scrollable-region-focusable); a container scrolls and the code wraps instead.
    with st.container(height=240, border=False):
        st.code(derived.rendered(Format.html).decode("utf-8"), language="html", wrap_lines=True)
    st.markdown(f"**{t('review.save')}**")
    st.caption(t("review.save_help"))
    autosave.draft_download(st, notice, label=t("review.draft"), key="dl.draft",
                            file_name=f"{stem}.json", icon=":material/save:")


with w.step("review", side_preview=False):
    left, right = st.columns([2, 3], gap="large")
    with left:
        w.select("language", [lang.value for lang in Lang], lambda v: t(f"lang.{v}"),
                 t("review.language"), radio=True, horizontal=True,
                 help=t("review.language_help"))
        w.publication_languages(t("l10n.publish_label"), t("l10n.publish_help"))
        _findings()
        _completeness()
    with right:
        w.preview(height=640)
    _downloads()
    publishing.show(file_stem(), slug(state.draft().controller.name))
