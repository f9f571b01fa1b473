"""The wizard's steps as the domain knows them: their keys, and which step edits which field.

One home for the step keys: the checks give each finding the step whose page clears it, the
rule registry checks each rule's step against this list, and `seloste.web.steps` draws the
pages in this order. No streamlit here, so the checks and the CLI can use it.
"""

from __future__ import annotations

__all__ = ["STEPS", "STEP_KEYS", "step_for_path"]

#: The wizard's step keys, in the order the wizard walks them; "" = no step (the lint).
STEPS: tuple[str, ...] = (
    "start", "controller", "registers", "data", "services", "retention", "cookies", "review",
)  # fmt: skip

#: The same tuple under the name the web layer uses.
STEP_KEYS = STEPS

_REGISTER_STEP = {
    "name": "registers", "data_subjects": "registers", "custom_data_subjects": "registers",
    "purposes": "registers",
    "data_categories": "data", "custom_data_categories": "data", "special_categories": "data",
    "art9_condition": "data", "special_note": "data", "sources": "data",
    "source_details": "data",
    "services": "services", "other_recipients": "services", "no_recipients_confirmed": "services",
    "preset": "registers", "kind": "registers",
    "automated_decisions": "data", "automated_logic": "data", "automated_exception": "data",
    "profiling": "data", "profiling_description": "data",
}  # fmt: skip
_TOP_STEP = {
    "controller": "controller", "privacy_contact": "controller", "dpo": "controller",
    "eu_representative": "controller", "cookies": "cookies", "registers": "registers",
}  # fmt: skip


#: Per-purpose fields asked in the data step (Art. 13(2)(e) is about the data, not the purpose).
_PURPOSE_DATA_FIELDS = frozenset({"requirement", "requirement_consequence"})


def step_for_path(path: str) -> str:
    """The wizard step that edits the field at ``path`` (``review`` for what no step owns)."""
    parts = path.split(".")
    if (parts[0] == "registers" and len(parts) >= 5 and parts[2] == "purposes"
            and parts[4] in _PURPOSE_DATA_FIELDS):
        return "data"
    if parts[0] == "registers" and len(parts) >= 3:
        return _REGISTER_STEP.get(parts[2], "retention")
    return _TOP_STEP.get(parts[0], "review")
