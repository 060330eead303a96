"""The forms' page set-up as data (resources/forms/layout.json): paper, margins, type sizes, spacing."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from app import paths


def layout_path() -> Path:
    return paths.resources_dir() / "forms" / "layout.json"


@dataclass(frozen=True)
class Layout:
    """One reading of layout.json; lengths converted to points where reportlab needs them."""

    data: dict

    def page_size(self, orientation: str = "portrait") -> tuple[float, float]:
        # Party documents are A4 only (Hướng dẫn 36-HD/VPTW); the file may only turn the page.
        return landscape(A4) if orientation == "landscape" else A4

    def margin(self, side: str) -> float:
        return float(self.data["page"]["margin_mm"][side]) * mm

    def size(self, name: str) -> float:
        return float(self.data["sizes"][name])

    def spacing(self, name: str) -> float:
        return float(self.data["spacing"][name])

    def mm(self, name: str) -> float:
        return self.spacing(name) * mm

    def font_file(self, style: str) -> Path:
        return paths.fonts_dir() / self.data["font"][style]

    def form(self, name: str) -> dict:
        return dict(self.data.get("forms", {}).get(name, {}))

    def spelling(self, name: str, default: str) -> str:
        return str(self.data.get("spelling", {}).get(name, default))


@functools.cache
def _read(path: str) -> Layout:
    with open(path, encoding="utf-8") as fh:
        return Layout(json.load(fh))


def load_layout(path: Path | None = None) -> Layout:
    return _read(str(path or layout_path()))
