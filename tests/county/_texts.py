"""Texts for the county tests: sentences of real published reports (part 一 of the reports in
tests/data/restated/real-reports.json, whose sources that file names), put together per unit."""

from __future__ import annotations

import json
import random
from pathlib import Path

_DATA = Path(__file__).parent.parent / "data" / "restated" / "real-reports.json"


def sentences() -> list[str]:
    reports = json.loads(_DATA.read_text(encoding="utf-8"))["reports"]
    found: list[str] = []
    for report in reports:
        for sentence in "".join(report["overview"].split()).split("。"):
            if 15 <= len(sentence) <= 120 and sentence not in found:
                found.append(sentence + "。")
    return found


def text_of(pool: list[str], rng: random.Random, length: int = 600) -> str:
    """Sentences picked at random until ``length`` characters."""
    text = ""
    while len(text) < length:
        text += rng.choice(pool)
    return text


def county_texts(units: int = 150, length: int = 600, seed: int = 7) -> list[str]:
    """One text per unit: half of them a common boilerplate (half the text) with sentences of
    their own, the other half sentences of their own only.  None is 90 % like another."""
    rng = random.Random(seed)
    pool = sentences()
    boilerplate = text_of(pool[:40], rng, length // 2)
    own = pool[40:]
    texts = []
    for number in range(units):
        if number % 2:
            texts.append(boilerplate + text_of(own, rng, length // 2))
        else:
            texts.append(text_of(own, rng, length))
    return texts
