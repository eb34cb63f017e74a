"""Outside a survey, anything a resident writes is a complaint (phản ánh) for their commune."""
from __future__ import annotations

from . import parsing, texts
from .prompts import COMMUNE, IDLE
from .state import AddComplaint
from .survey_view import Commune


class Complaints:
    """Mixed into the engine's turn: file the text, asking the commune once (buttons or its code)."""

    def _complaint(self, text: str) -> None:
        if not text:
            return self._prompt()
        known = {c.id: c for c in self.context.communes}
        commune = known.get(self.state.get("commune_id"))
        if commune is not None:
            return self._file_complaint(text, commune)
        if not self.context.communes:
            return self.say(texts.no_commune(self._))
        self.go(COMMUNE, pending=text[:2000])
        self._prompt()

    def _commune_typed(self, text: str) -> None:
        folded = parsing.fold(text)
        commune = next((c for c in self.context.communes if folded in (c.code, parsing.fold(c.name))), None)
        if commune is None:
            self.say(texts.commune_unknown(self._))
            return self._prompt()
        self._file_complaint(self.state.get("pending", ""), commune)

    def _file_complaint(self, text: str, commune: Commune) -> None:
        self.state["commune_id"] = commune.id
        self.go(IDLE)
        if text:
            self.actions.append(AddComplaint(text, commune.id))
        self.say(texts.complaint_saved(self._, commune.name))
