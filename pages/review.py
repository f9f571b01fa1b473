"""Review and download, in three tabs above the downloads: the findings (each once, tagged with
the Art. 13/14 items it concerns, with a button to the step that fixes it) and the completeness
per item; a summary of every answer by step, each with a button back to its step; and the
notice's preview. Below them the notice as DOCX, HTML page, Markdown, an HTML fragment to paste,
and the answers as a draft file (issue #18: a review you can act on, not one 5,000 px column)."""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from seloste.render import MIME, Format
from seloste.rules import Finding
from seloste.steps import STEP_KEYS
from seloste.vocab import Lang
from seloste.web import answers, autosave, derived, findings, publishing, state
from seloste.web import widgets as w
from seloste.web.state import t

ITEMS = ("C1", "C2", "P1", "P2", "D1", "R1", "T1", "S1", "RT", "W1", "K1", "O1", "SRC", "A1",
         "F1")
#: Plain characters, not Material icons: in Markdown an icon is an image named in English
#: ("check_circle icon") whatever the UI language; a screen reader names these in its own.
STATUS_ICON = {"ok": ":green[✓]", "missing": ":red[✗]", "n/a": ":gray[–]"}
#: Badge colour per severity, the colours of the boxes the findings are shown in.
BADGE = {"error": "red", "warning": "orange", "tip": "blue"}


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


def _finding(finding: Finding, sev: str, n: int) -> None:
    """One finding, once: its message with the items it concerns as tags, and its fix button."""
    w.mark_drawn(finding.path)  # the step frame must not list it a second time above the page
    text = w.md(finding.message(state.ui_lang()))
    tags = findings.tags(finding)
    w.severity_box(finding.severity, f"{text}\n\n{tags}" if tags else text)
    step = finding.step
    if step in STEP_KEYS:
        st.button(t("review.fix", step=t(f"step.{step}.nav")), key=f"fix.{sev}.{n}",
                  icon=":material/edit:", on_click=w.go_to_register,
                  args=(step, _register_of(finding.path), finding.path), type="tertiary")


def _findings(found: list[Finding]) -> None:
    if not found:
        st.success(t("review.no_findings"), icon=":material/verified:")
    for sev in findings.SEVERITIES:
        group = [f for f in found if findings.severity(f) == sev]
        if not group:
            continue
        with st.expander(t(f"severity.{sev}", count=len(group)), expanded=sev != "tip"):
            for n, finding in enumerate(group):
                _finding(finding, sev, n)


def _completeness() -> None:
    status = findings.completeness()
    with st.expander(t("review.completeness"), icon=":material/checklist:"):
        st.caption(t("review.completeness_text"))
        lines = []
        for item in ITEMS:
            value = status.get(item, "n/a")
            word = t("review.status_" + value.replace("/", ""))
            lines.append(f"{STATUS_ICON.get(value, '')} **{item}** {findings.title(item)} "
                         f"· :gray[{word}]")
        st.markdown("  \n".join(lines))


def _counts(step: str, register: int | None) -> str:
    """How many findings a block of the summary has, per severity, as badges (not the findings
    themselves: they are listed once, on the findings tab)."""
    here = findings.for_register_step(step, register)
    out = []
    for sev in findings.SEVERITIES:
        count = sum(1 for f in here if findings.severity(f) == sev)
        if count:
            out.append(f":{BADGE[sev]}-badge[{t(f'severity.{sev}', count=count)}]")
    return " ".join(out)


def _block(block: answers.Block) -> None:
    step_name = t(f"step.{block.step}.nav")
    # The register's name is the user's text: never inside ** (a name typed as "<b>x</b>" or
    # "**x**" must not come out bold, tests/e2e/test_e2e_wizard.py), so it follows a label.
    head = (f"**{t('review.summary.register')}:** {block.title}" if block.register is not None
            else "")
    counts = _counts(block.step, block.register)
    missing = f":gray[{t('review.summary.not_answered')}]"
    # One element for the head and the lines: the summary draws a block per register and
    # step, and every element is a delta the rerun sends.
    st.markdown("\n\n".join(part for part in (
        " ".join(x for x in (head, counts) if x),
        "  \n".join(f"**{line.label}:** {line.value or missing}" for line in block.lines),
    ) if part))
    if block.register is None:
        label, key = t("review.edit", step=step_name), f"edit.{block.step}"
    else:
        label = t("review.edit_register", step=step_name, register=block.title)
        key = f"edit.{block.step}.{block.register}"
    st.button(label, key=key, icon=":material/edit:", type="tertiary",
              on_click=w.go_to_register, args=(block.step, block.register))


def _summary() -> None:
    st.caption(t("review.summary.caption"))
    for step in answers.SUMMARY_STEPS:
        with st.container(border=True):
            st.header(t(f"step.{step}.nav"), anchor=False)  # h2: the title is the h1
            blocks = answers.blocks(step)
            if not blocks:
                st.markdown(f":gray[{t('review.summary.no_registers')}]")
                st.button(t("review.edit", step=t(f"step.{step}.nav")), key=f"edit.{step}",
                          icon=":material/edit:", type="tertiary", on_click=w.go_to,
                          args=(step if step == "registers" else "registers",))
            for block in blocks:
                _block(block)


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
        # No syntax colours: Streamlit's light code theme draws HTML tags in #1c83e1 on
        # #f4f6f3, 3.58:1, under WCAG AA's 4.5:1 (axe color-contrast, once highlighting loads).
        st.code(derived.rendered(Format.html).decode("utf-8"), language=None, wrap_lines=True)
    st.markdown(f"**{t('review.save')}**")
    st.caption(t("review.save_help"))
    autosave.draft_download(st, notice, label=t("review.draft"), key="dl.draft",
                            file_name=f"{stem}.json", icon=":material/save:")


with w.step("review", side_preview=False):
    left, right = st.columns(2, gap="large")
    with left:
        w.select("language", [lang.value for lang in Lang], lambda v: t(f"lang.{v}"),
                 t("review.language"), radio=True, horizontal=True,
                 help=t("review.language_help"))
    with right:
        w.publication_languages(t("l10n.publish_label"), t("l10n.publish_help"))
    found = findings.current()
    # Only the open tab is drawn (issue #15): the three together were ~60 of 150 elements.
    for index, tab in w.tracked_tabs(
            [t("review.tab_findings", count=len(found)), t("review.tab_answers"),
             t("review.tab_preview")], w.REVIEW_TABS):
        with tab:
            if index == 0:
                _findings(found)
                _completeness()
            elif index == 1:
                _summary()
            else:
                w.preview(800, heading=False)
    _downloads()
    publishing.show(file_stem(), slug(state.draft().controller.name))
