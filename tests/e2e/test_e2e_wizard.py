"""The wizard in a real browser (issue #7): a whole walk-through with downloads, the HTML copy box,
the draft link, a language switch and markup typed as text.

Each test opens its own tab (a new Streamlit session) on a server started for the run (see
conftest.py) and acts as a user: it clicks, types and picks from lists. Widgets are found by the
CSS class Streamlit derives from their key, and their keys are field paths, so a test can name the
answer it gives. Any dialog (an ``alert`` from injected markup), uncaught page error, Streamlit
error box or server traceback fails the test.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import html5lib
import pytest
from e2e_support import docx_text, download, new_tab
from stapp import App

from seloste.draft_file import dump_draft, parse_draft
from seloste.i18n import Texts, upper_first
from seloste.model import Notice
from seloste.presets import build_register
from seloste.render import Format, render, render_fragment
from seloste.vocab import Lang

pytestmark = pytest.mark.e2e

UI = {lang: Texts("seloste.web.ui", lang) for lang in Lang}
CLAUSE = {lang: Texts("seloste.clauses", lang) for lang in Lang}

# ---------------------------------------------------------------- what the new company answers

COMPANY = "Kukkakauppa Ruusu & Kumppanit Oy"
CONTROLLER = {
    "business_id": "2617416-4",
    "street": "Puistokatu 4 B 12",
    "postal_code": "00140",
    "city": "Helsinki",
    "email": "info@ruusu.fi",
    "phone": "040 123 4567",
    "website": "www.ruusu.fi",
}
CONTACT = {"name": "Riikka Ruusu", "email": "riikka@ruusu.fi"}
CUSTOMERS = "Asiakkaat ja tilaukset"
RAFFLE = "Kevätarvonta <kukkakimppu>"
RAFFLE_PURPOSE = "Arvonnan järjestäminen ja voittajalle ilmoittaminen"


def expected_notice() -> Notice:
    """The draft the answers below must produce (validated like the wizard validates)."""
    customers = build_register("customers", Lang.fi).model_dump(mode="json")
    customers["name"] = CUSTOMERS
    customers["data_subjects"] = ["customers", "business_contacts"]  # the accepted proposal
    customers["services"] = [{"catalogue_id": "holvi"}]
    raffle = {
        "name": RAFFLE,
        "data_subjects": ["customers", "newsletter_subscribers"],
        "purposes": [
            {"purpose": "direct_marketing", "basis": "consent", "requirement": "voluntary"},
            {"description": RAFFLE_PURPOSE, "basis": "consent", "requirement": "voluntary"},
        ],
        "data_categories": ["name", "email"],
        "sources": ["data_subject"],
        "services": [{"catalogue_id": "mailerlite"}],
        "retention": [{"subject": "consent_records", "amount": 6, "unit": "months",
                       "start": "collection"}],
        "security_electronic": ["passwords"],
    }
    return Notice.model_validate({
        "language": "fi",
        "controller": {"name": COMPANY, **CONTROLLER},
        "privacy_contact": CONTACT,
        "registers": [customers, raffle],
        "cookies": {"uses_cookies": True, "mechanism": "banner", "withdraw": "footer_link"},
    })


def fi(key: str, **values: object) -> str:
    return UI[Lang.fi](key, **values)


def fi_clause(key: str) -> str:
    text = CLAUSE[Lang.fi](key)
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- helpers


def html_text(data: bytes) -> tuple[Any, str]:
    """Parse a whole HTML page strictly (html5lib raises on a parse error); tree and text."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(data.decode("utf-8"))
    return tree, " ".join("".join(tree.itertext()).split())


def copy_box(app: App) -> tuple[str, str]:
    """The review step's HTML box: what its copy button puts on the clipboard, and its text."""
    code = app.page.locator('[data-testid="stCode"]')
    code.scroll_into_view_if_needed()
    code.hover()
    button = code.locator("xpath=..").get_by_role("button", name="Copy to clipboard")
    app.page.evaluate("navigator.clipboard.writeText('')")
    button.click()
    app.page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)",
                               timeout=5_000)
    copied = str(app.page.evaluate("navigator.clipboard.readText()"))
    shown = code.locator("code").inner_text()
    return copied, shown


def preview_text(app: App) -> str:
    return app.page.locator(".st-key-preview_box").inner_text()


def goto_step(app: App, number: int, key: str) -> None:
    app.sidebar_step(number)
    assert app.path() == ("/" if key == "start" else f"/{key}")


def draft_param(url: str) -> str | None:
    found = re.search(r"[?&]draft=([^&#]+)", url)
    return found.group(1) if found else None


# ---------------------------------------------------------------- the walk-through


def fill_company(app: App) -> None:
    assert app.title() == fi("step.controller.title")
    app.type("f.controller.name", COMPANY, keystrokes=True)
    for field, value in CONTROLLER.items():
        app.type(f"f.controller.{field}", value)
    app.type("f.privacy_contact.name", CONTACT["name"], keystrokes=True)
    app.type("f.privacy_contact.email", CONTACT["email"])
    # What the company typed is in the live preview beside the form.
    assert COMPANY in preview_text(app)


def fill_registers(app: App) -> None:
    assert app.title() == fi("step.registers.title")
    app.click("b.preset.customers")
    # A preset's register is titled with the preset's name, which stays a key (rendered in the
    # notice language) until the company writes its own: the name field is empty (issue #11).
    assert app.page.get_by_text(f"1. {CLAUSE[Lang.fi]('preset.customers.name')}",
                                exact=True).count() >= 1
    assert app.value("f.registers.0.name") == ""
    # The preset's subjects are only a proposal until accepted with one click.
    app.click("b.accept.registers.0.data_subjects")
    assert app.chosen("f.registers.0.data_subjects") == [
        fi_clause("subject.customers"), fi_clause("subject.business_contacts")]
    app.type("f.registers.0.name", CUSTOMERS)
    # A second register from scratch: name, whose data, why and on which basis.
    app.click("b.add_register")
    app.type("f.registers.1.name", RAFFLE, keystrokes=True)
    app.choose("f.registers.1.data_subjects", fi_clause("subject.customers"))
    app.choose("f.registers.1.data_subjects", fi_clause("subject.newsletter_subscribers"))
    app.choose("s.purpose.1.choice", CLAUSE[Lang.fi]("purpose.direct_marketing"))
    app.click("b.add_purpose.1")
    app.choose("f.registers.1.purposes.0.basis", fi("basis.consent.short"))
    app.choose("s.purpose.1.choice", fi("registers.purpose_other"))
    app.type("s.purpose.1.description", RAFFLE_PURPOSE)
    app.click("b.add_purpose.1")
    app.choose("f.registers.1.purposes.1.basis", fi("basis.consent.short"))
    assert app.chosen("f.registers.1.data_subjects") == [
        fi_clause("subject.customers"), fi_clause("subject.newsletter_subscribers")]
    assert app.value("f.registers.1.purposes.1.description") == RAFFLE_PURPOSE


def fill_data(app: App) -> None:
    assert app.title() == fi("step.data.title")
    app.tab(f"2. {RAFFLE}")
    app.choose("f.registers.1.data_categories", fi_clause("data.name"))
    app.choose("f.registers.1.data_categories", fi_clause("data.email"))
    app.choose("f.registers.1.sources", fi("source.data_subject"))
    for j in (0, 1):  # the requirement is asked per purpose (issue #11)
        app.radio(f"f.registers.1.purposes.{j}.requirement", fi("requirement.voluntary"))
        assert app.radio_value(f"f.registers.1.purposes.{j}.requirement") == fi(
            "requirement.voluntary")


def fill_services(app: App) -> None:
    assert app.title() == fi("step.services.title")
    app.tab(f"1. {CUSTOMERS}")
    app.type("s.pick.0.query", "holvi", keystrokes=True)
    app.click("b.svc.0.holvi")
    app.tab(f"2. {RAFFLE}")
    app.type("s.pick.1.query", "MailerLite")
    app.click("b.svc.1.mailerlite")
    # The added service is drawn with its catalogue card; its button now says it was added.
    assert app.el("b.svc.1.mailerlite").locator("button").is_disabled()


def fill_retention(app: App) -> None:
    assert app.title() == fi("step.retention.title")
    app.tab(f"2. {RAFFLE}")
    app.radio("s.rule.1.kind", fi("retention.kind_own"))
    app.choose("s.rule.1.subject", CLAUSE[Lang.fi]("retention.subject.consent_records"))
    app.type("s.rule.1.amount", "6")
    app.choose("s.rule.1.unit", fi("unit.months"))
    app.choose("s.rule.1.start", CLAUSE[Lang.fi]("retention.from.collection"))
    app.click("b.add_rule.1")
    app.choose("f.registers.1.security_electronic",
               fi_clause("security_electronic.passwords"))


def fill_cookies(app: App) -> None:
    assert app.title() == fi("step.cookies.title")
    app.toggle("f.cookies.uses_cookies", True)
    assert app.radio_value("f.cookies.mechanism") == fi("common.not_answered")  # no presumption
    app.radio("f.cookies.mechanism", fi("mechanism.banner"))
    app.radio("f.cookies.withdraw", fi("withdraw.footer_link"))


def test_new_company_walks_the_wizard_and_downloads(app: App) -> None:
    app.open()
    assert app.title() == fi("step.start.title")
    app.click("start.new")
    app.next()
    fill_company(app)
    app.next()
    fill_registers(app)
    app.next()
    fill_data(app)
    app.next()
    fill_services(app)
    app.next()
    fill_retention(app)
    app.next()
    fill_cookies(app)
    app.next()
    assert app.title() == fi("step.review.title")

    expected = expected_notice()
    stem = "tietosuojaseloste-kukkakauppa-ruusu-kumppanit-oy"

    name, draft = download(app, "dl.draft")
    assert name == f"{stem}.json"
    parsed = parse_draft(draft)
    assert parsed.ok, parsed.errors
    assert parsed.notice is not None
    notice = parsed.notice
    assert notice.controller.name == COMPANY
    assert [r.name.pick("fi") for r in notice.registers] == [CUSTOMERS, RAFFLE]
    assert notice == expected, "the draft file differs from what was typed"
    assert draft.decode("utf-8") == dump_draft(expected)

    name, docx = download(app, "dl.docx")
    assert name == f"{stem}.docx"
    assert zipfile.is_zipfile(io.BytesIO(docx))
    text = docx_text(docx)
    for typed in (COMPANY, CUSTOMERS, RAFFLE, RAFFLE_PURPOSE, "MailerLite", "Holvi",
                  CONTACT["name"], CONTROLLER["business_id"]):
        assert typed in text, f"{typed!r} is missing from the DOCX"
    assert docx == render(notice, Format.docx), "the DOCX differs from `seloste render`"

    name, page = download(app, "dl.page")
    assert name == f"{stem}.html"
    tree, page_text = html_text(page)
    assert tree.get("lang", "").startswith("fi")
    for typed in (COMPANY, CUSTOMERS, RAFFLE, RAFFLE_PURPOSE, "MailerLite", "Holvi"):
        assert typed in page_text, f"{typed!r} is missing from the HTML page"
    # Markup typed in a register name stays text: no <kukkakimppu> element.
    assert tree.find(".//kukkakimppu") is None
    assert page == render(notice, Format.page)

    copied, shown = copy_box(app)
    fragment = render_fragment(notice, notice.language)
    # st.code drops the fragment's one final newline; nothing else may differ.
    assert fragment.endswith("\n") and not fragment.endswith("\n\n")
    assert copied == fragment[:-1], "the copy button does not copy the rendered fragment"
    assert shown == fragment[:-1], "the HTML box does not show the rendered fragment"


# ---------------------------------------------------------------- the draft link


def test_reloading_the_draft_link_resumes_every_answer(app: App, e2e_browser: Any,
                                                       e2e_server: Any) -> None:
    """Answers are saved as they are given; the ``?draft=`` link brings every one back."""
    app.open()
    app.click("start.new")
    app.next()
    app.type("f.controller.name", COMPANY, keystrokes=True)
    app.type("f.controller.email", CONTROLLER["email"])
    app.next()
    app.click("b.preset.customers")
    app.type("f.registers.0.name", CUSTOMERS)
    app.click("b.add_register")
    app.type("f.registers.1.name", RAFFLE)
    app.choose("f.registers.1.data_subjects", fi_clause("subject.customers"))
    app.next()
    app.tab(f"1. {CUSTOMERS}")
    app.radio("f.registers.0.purposes.0.requirement", fi("requirement.contractual"))
    assert app.path() == "/data"
    token = draft_param(app.page.url)
    assert token, f"no ?draft= in the address after answers were given: {app.page.url}"

    def assert_resumed(tab: App, step: str) -> None:
        assert tab.path() == step, "the link does not resume at the step the user was on"
        assert draft_param(tab.page.url) == token
        assert tab.page.get_by_text(fi("drafts.resumed")).count() == 1
        goto_step(tab, 4, "data")
        tab.tab(f"1. {CUSTOMERS}")
        assert tab.radio_value("f.registers.0.purposes.0.requirement") == fi(
            "requirement.contractual")
        goto_step(tab, 3, "registers")
        assert tab.value("f.registers.0.name") == CUSTOMERS
        tab.expand(f"2. {RAFFLE}")  # a visit opens the first register's box
        assert tab.value("f.registers.1.name") == RAFFLE
        assert tab.chosen("f.registers.1.data_subjects") == [fi_clause("subject.customers")]
        # A finished purpose is folded on arrival: one click opens it.
        tab.expand(f"1. {upper_first(fi_clause('purpose.service_delivery'))}")
        assert tab.chosen("f.registers.0.purposes.0.basis") == [fi("basis.contract.short")]
        goto_step(tab, 2, "controller")
        assert tab.value("f.controller.name") == COMPANY
        assert tab.value("f.controller.email") == CONTROLLER["email"]
        assert draft_param(tab.page.url) == token

    customers = build_register("customers", Lang.fi).model_dump(mode="json")
    customers["name"] = CUSTOMERS
    customers["purposes"][0]["requirement"] = "contractual"
    expected = Notice.model_validate({
        "controller": {"name": COMPANY, "email": CONTROLLER["email"]},
        "registers": [customers, {"name": RAFFLE, "data_subjects": ["customers"]}],
    })

    def exported(tab: App) -> Notice | None:
        """The draft as the start page exports it (every answer, not only those looked at)."""
        goto_step(tab, 1, "start")
        _, data = download(tab, "draft.export")
        return parse_draft(data).notice

    # The same tab reloaded: a new session on the same address.
    app.reload()
    assert_resumed(app, "/data")
    assert exported(app) == expected

    # The link as the start page gives it, opened later in another browser (nothing in
    # common but the link), resumes where the user last was: the start page.
    link = app.page.locator(".st-key-draft_box [data-testid='stCode'] code").inner_text().strip()
    assert draft_param(link) == token, link
    assert link.startswith(("http://", "https://")), link
    context, other = new_tab(e2e_browser, e2e_server.url)
    try:
        other.open(link)
        assert_resumed(other, "/")
        assert exported(other) == expected
        other.check()
    finally:
        context.close()


# ---------------------------------------------------------------- the UI language


def test_switching_the_ui_language_keeps_the_answers(app: App) -> None:
    app.open()
    app.click("start.new")
    app.next()
    app.type("f.controller.name", COMPANY, keystrokes=True)
    app.type("f.controller.business_id", CONTROLLER["business_id"])
    # A rejected value stays in its field with its message, in whatever language is shown.
    app.type("f.controller.email", "info@ruusu")
    assert app.page.get_by_text(re.compile(r"^Sähköpostiosoite ei kelpaa")).count() == 1
    app.next()
    app.click("b.preset.customers")
    app.click("b.add_register")
    app.type("f.registers.1.name", RAFFLE)
    app.choose("f.registers.1.data_subjects", fi_clause("subject.customers"))
    assert "tietosuojaseloste" in preview_text(app)

    subjects = ["customers"]
    for lang, word, more in ((Lang.en, "English", "newsletter_subscribers"),
                             (Lang.sv, "Svenska", "job_applicants")):
        ui, clause = UI[lang], CLAUSE[lang]

        def label(subject: str, clause: Texts = clause) -> str:
            text = clause(f"subject.{subject}")
            return text[:1].upper() + text[1:]

        app.act(app.el("ui.lang").get_by_role("radio", name=word, exact=True).click)
        # Same step, now in the other language, every answer still there ...
        assert app.path() == "/registers"
        assert app.title() == ui("step.registers.title")
        # The preset register has no name of its own: its title is the preset's, in the UI
        # language now.
        assert app.value("f.registers.0.name") == ""
        assert app.page.get_by_text(f"1. {clause('preset.customers.name')}",
                                    exact=True).count() >= 1
        assert app.value("f.registers.1.name") == RAFFLE
        # ... and the choices already made shown in the new language too.
        # The preset's finished purpose is folded; once opened it stays open in any language.
        app.expand(f"1. {upper_first(clause('purpose.service_delivery'))}")
        assert app.chosen("f.registers.0.purposes.0.basis") == [ui("basis.contract.short")]
        assert app.chosen("f.registers.1.data_subjects") == [label(s) for s in subjects]
        # One more choice right after the switch adds to the earlier ones.
        app.choose("f.registers.1.data_subjects", label(more))
        subjects.append(more)
        assert app.chosen("f.registers.1.data_subjects") == [label(s) for s in subjects]
        assert app.page.locator('[data-testid="stAlert"]').filter(
            has_text="customers").count() == 0, "an error names the internal keys"
        # The notice keeps its own language: the preview is still the Finnish notice.
        assert "tietosuojaseloste" in preview_text(app)
        goto_step(app, 2, "controller")
        assert app.title() == ui("step.controller.title")
        assert app.value("f.controller.name") == COMPANY
        assert app.value("f.controller.business_id") == CONTROLLER["business_id"]
        assert app.value("f.controller.email") == "info@ruusu"
        message = {Lang.en: "The email address is not valid",
                   Lang.sv: "E-postadressen är inte giltig"}[lang]
        assert app.page.get_by_text(re.compile("^" + message)).count() == 1
        goto_step(app, 3, "registers")
        app.expand(f"2. {RAFFLE}")  # a visit opens the first register's box

    # Back to Finnish, where it started; the draft holds every answer.
    app.act(app.el("ui.lang").get_by_role("radio", name="Suomi", exact=True).click)
    assert app.title() == fi("step.registers.title")
    assert app.value("f.registers.1.name") == RAFFLE
    assert app.chosen("f.registers.1.data_subjects") == [
        fi_clause(f"subject.{s}") for s in subjects]
    goto_step(app, 8, "review")
    _, data = download(app, "dl.draft")
    parsed = parse_draft(data)
    assert parsed.notice is not None, parsed.errors
    notice = parsed.notice
    assert notice.language is Lang.fi
    assert notice.controller.name == COMPANY
    assert notice.controller.business_id == CONTROLLER["business_id"]
    assert notice.registers[0].preset == "customers"
    # Renders from the preset key in the notice language.
    assert notice.registers[0].name.pick("fi") == ""
    assert notice.registers[1].name.pick("fi") == RAFFLE
    assert [s.value for s in notice.registers[1].data_subjects] == subjects


# ---------------------------------------------------------------- markup typed as text

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
HOSTILE_NAME = f"Paha {IMG} & {SCRIPT} Oy"
HOSTILE_REGISTER = "[klikkaa](javascript:alert(3)) <b>lihava</b> :red[punainen]"
HOSTILE_TEXT = "<iframe src=javascript:alert(4)></iframe> <svg onload=alert(5)> **ei lihava**"


def assert_no_injected_elements(app: App) -> None:
    """Nothing the user typed became an element anywhere on the page."""
    page = app.page
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("iframe").count() == 0
    assert page.locator("svg[onload]").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    scripts = page.locator("script").evaluate_all("els => els.map(e => e.textContent)")
    assert not any("alert(" in s for s in scripts)
    # Neither <b>lihava</b> nor **ei lihava** became bold text. The notice prints a register's
    # name in bold (the first layer's list): there the markup must show as typed, whole.
    bold = page.locator("b, strong").all_inner_texts()
    marked_up = [text for text in bold if "lihava" in text
                 and "<b>lihava</b>" not in text and "**ei lihava**" not in text]
    assert not marked_up, bold


def test_markup_typed_as_text_is_shown_as_text_and_never_runs(app: App) -> None:
    app.open()
    app.click("start.new")
    app.next()
    app.type("f.controller.name", HOSTILE_NAME, keystrokes=True)
    app.type("f.request_instructions", HOSTILE_TEXT)
    assert app.value("f.controller.name") == HOSTILE_NAME
    preview = preview_text(app)
    assert HOSTILE_NAME in preview
    assert HOSTILE_TEXT in " ".join(preview.split())
    assert_no_injected_elements(app)

    app.next()
    app.click("b.add_register")
    app.type("f.registers.0.name", HOSTILE_REGISTER, keystrokes=True)
    # The register's name in its expander title and in the preview, literally.
    assert app.page.get_by_text(f"1. {HOSTILE_REGISTER}", exact=True).count() >= 1
    assert HOSTILE_REGISTER in preview_text(app)
    assert_no_injected_elements(app)

    app.next()  # data: the register's tab label
    assert app.page.get_by_role("tab", name=f"1. {HOSTILE_REGISTER}").count() == 1
    assert_no_injected_elements(app)

    goto_step(app, 1, "start")  # "you are editing <name>"
    assert app.page.get_by_text(HOSTILE_NAME).count() >= 1
    assert_no_injected_elements(app)

    goto_step(app, 8, "review")
    assert_no_injected_elements(app)
    _, shown = copy_box(app)
    assert "Paha &lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;" in shown
    _, page = download(app, "dl.page")
    _, draft = download(app, "dl.draft")
    parsed = parse_draft(draft)
    assert parsed.notice is not None
    assert parsed.notice.controller.name == HOSTILE_NAME
    assert parsed.notice.registers[0].name.pick("fi") == HOSTILE_REGISTER

    # The downloaded page opened as a visitor would open it: text, and nothing runs.
    app.page.set_content(page.decode("utf-8"), wait_until="load")
    app.page.wait_for_timeout(500)  # an <img onerror> would fire by now
    body = app.page.locator("body").inner_text()
    assert HOSTILE_NAME in body and HOSTILE_REGISTER in body
    assert_no_injected_elements(app)
    app.check()


# ---------------------------------------------------------------- the review in tabs (issue #18)

_SCROLL_HEIGHT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return Math.round(Math.max(main ? main.scrollHeight : 0, document.body.scrollHeight));
}"""


def test_the_review_of_keinuma_shows_each_tab_on_the_first_screen(app: App) -> None:
    """At 1440x1000 the findings, the answers and the preview each begin on the first screen,
    and the preview is not drawn among the findings. The page heights are printed (the issue's
    figure: 4,000-5,000 px in one column before)."""
    ui = UI[Lang.fi]
    app.page.set_viewport_size({"width": 1440, "height": 1000})
    app.open()
    app.click("start.example.keinuma")
    goto_step(app, 8, "review")
    preview = app.page.locator(".st-key-preview_box")
    heights: dict[str, int] = {}
    first_finding = app.page.locator('[role="tabpanel"] [data-testid="stAlert"]').first
    first_finding.wait_for()
    assert not preview.is_visible(), "the preview is drawn beside the findings"
    top = first_finding.bounding_box()
    assert top is not None and top["y"] + 40 < 1000, top
    heights["findings"] = app.page.evaluate(_SCROLL_HEIGHT)
    for name, key in (("answers", "review.tab_answers"), ("preview", "review.tab_preview")):
        app.tab(ui(key))
        panel = app.page.get_by_role("tabpanel").filter(has=app.page.locator(":visible")).first
        box = panel.bounding_box()
        assert box is not None and box["y"] + 40 < 1000, (name, box)
        heights[name] = app.page.evaluate(_SCROLL_HEIGHT)
    assert preview.is_visible()
    assert app.page.get_by_role("button", name=ui("review.edit", step=ui(
        "step.controller.nav"))).count() == 0  # the answers tab is hidden again
    print(f"\nreview page height, keinuma, 1440x1000, per tab (px): {heights}")
