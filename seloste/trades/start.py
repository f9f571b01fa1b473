"""A new draft from a trade's starting point, and what accepting its proposals means.

Pure domain (no Streamlit): the start page calls `registers_for` when the user adds the trade's
registers; `accept_all_proposals` is the same change as pressing every "Accept" button the
wizard shows (used by tests and the walk-through bench, never applied behind the user's back).
"""

from __future__ import annotations

from collections.abc import Iterable

from seloste.facts import notice_facts
from seloste.model import Notice, Register
from seloste.presets import preset_by_id
from seloste.trades import Trade


def registers_for(trade: Trade, preset_ids: Iterable[str] | None = None) -> list[Register]:
    """New registers from the trade's presets (all, or the ones chosen), proposals pending."""
    chosen = set(preset_ids) if preset_ids is not None else None
    return [p.build() for p in trade.offered() if chosen is None or p.id in chosen]


def accept_all_proposals(notice: Notice) -> Notice:
    """``notice`` with every pending proposal accepted (preset values, requirement per purpose
    from its basis, the catalogue's default agreement state)."""
    facts = notice_facts(notice, notice.language)
    registers = []
    for rf in facts.registers:
        reg = notice.registers[rf.index]
        update = dict(rf.proposals)
        purposes = [
            pf.entry.model_copy(update={"requirement": pf.requirement_proposal})
            if pf.entry.requirement is None and pf.requirement_proposal is not None
            else pf.entry for pf in rf.purposes]
        registers.append(reg.model_copy(update={**update, "purposes": purposes}))
    notice = notice.model_copy(update={"registers": registers})
    # The agreement state is proposed per service only once the services are answered.
    facts = notice_facts(notice, notice.language)
    registers = [r.model_copy(deep=True) for r in notice.registers]
    for s in facts.services:
        if s.dpa_state is None and s.dpa_proposal is not None:
            use = registers[s.register].services[s.index]
            registers[s.register].services[s.index] = use.model_copy(
                update={"dpa": s.dpa_proposal})
    return Notice.model_validate(notice.model_copy(update={"registers": registers}).model_dump())


def is_trade_register(register: Register) -> bool:
    preset = preset_by_id(register.preset)
    return preset is not None and preset.texts is not None
