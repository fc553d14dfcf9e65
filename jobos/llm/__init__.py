"""The LLM extraction tier: schema, prompt, model factory, grounding, pipeline, pending runs.

Only records the deterministic tiers could not structure (`method == "html"`) come here. Every
value the model returns must come with the quote it was taken from, and is accepted only when
the page contains that quote and the value agrees with it (`jobos.llm.grounding`).
"""
from __future__ import annotations

from jobos.llm.schema import EXTRACTABLE_FIELDS, JobExtraction

__all__ = ["EXTRACTABLE_FIELDS", "JobExtraction"]
