"""The record as a standalone HTML page: the source of its PDF."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from seloste.i18n import Texts
from seloste.model import Notice
from seloste.record.build import CONTROLLER_COLUMNS, Record, build_record
from seloste.render.templating import LANG_TAGS, nl2br
from seloste.vocab import Lang

REGISTER_ROWS = ("subjects", "data", "special", "sources", "recipients", "transfers",
                 "retention", "security", "access", "location")


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("seloste.record", ""), autoescape=True,
                      undefined=StrictUndefined)
    env.filters["nl2br"] = nl2br
    return env


def record_html(record: Record) -> str:
    t = Texts("seloste.record.texts", record.lang)
    labels = {c.key: c.label for c in record.columns}
    register_rows = [(k, f"{labels[k]} ({t('record_only')})" if k in ("access", "location")
                      else labels[k]) for k in REGISTER_ROWS]
    return _environment().get_template("record.html.j2").render(
        record=record, lang_tag=LANG_TAGS[record.lang], labels=labels, dash=t("none"),
        controller_heading=t("controller_section"),
        controller_rows=[(k, labels[k]) for k in CONTROLLER_COLUMNS],
        register_rows=register_rows,
    ).strip() + "\n"


def render_record_html(notice: Notice, lang: Lang | str | None = None) -> str:
    return record_html(build_record(notice, lang))
