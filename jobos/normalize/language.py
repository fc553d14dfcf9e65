"""The language of a posting (ISO 639-1), from py3langid's model, which ships inside the package.

Titles alone are too short to tell ("Senior Engineer" reads as several languages), so the title
and the start of the description are read together, and a guess below MIN_CONFIDENCE (a
normalized probability) is no answer. The model loads on first use (under a second) and
classifies in tens of microseconds.
"""
from __future__ import annotations

import logging
import re
import threading

from jobos.normalize.text import clean_text

logger = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.8
MIN_LETTERS = 40  # fewer letters than this say too little
_SAMPLE = 3000  # characters of the description read
_lock = threading.Lock()
_identifier = None
_MARKUP = re.compile(r"[#*_>`\[\]()|]+|https?://\S+")


def _model():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def load_language_model() -> None:
    """Load the model now (a crawl starts this in a thread, before its first job)."""
    _model()


def detect_language(title: object, description: object = None) -> str | None:
    """Return the ISO 639-1 code of the posting's language, or None when unsure."""
    parts = [clean_text(title) or "", clean_text(description) or ""]
    text = _MARKUP.sub(" ", " ".join(p for p in parts if p)[: _SAMPLE])
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    try:
        code, confidence = _model().classify(text)
    except Exception:  # a model problem must not stop normalization
        logger.exception("language detection failed")
        return None
    return str(code) if confidence >= MIN_CONFIDENCE else None
