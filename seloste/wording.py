"""A value in words of a language: a duration as the notice and the wizard's tables write it.

Apart from the renderer so that the change log (`seloste.changes`), the record and the wizard's
cookie step can word a duration without importing `seloste.render.document`, which imports the
change log (that made a circle).
"""

from __future__ import annotations

from babel.units import format_unit

from seloste.i18n import Texts
from seloste.vocab import DurationUnit, Lang

__all__ = ["duration_text"]


def duration_text(amount: int | None, unit: DurationUnit | str | None, lang: Lang,
                  t: Texts) -> str:
    if unit is None:
        return t("doc.not_given")
    unit = DurationUnit(unit)
    if unit is DurationUnit.session or amount is None:
        return t("duration.session")
    babel_unit = {
        DurationUnit.minutes: "duration-minute",
        DurationUnit.hours: "duration-hour",
        DurationUnit.days: "duration-day",
        DurationUnit.months: "duration-month",
        DurationUnit.years: "duration-year",
    }[unit]
    return str(format_unit(amount, babel_unit, locale=lang.value, length="long"))
