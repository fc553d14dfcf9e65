"""`jobos resumes embed`: give every open job its vector (after turning JOBOS_EMBEDDINGS on for a
database that already holds jobs; upserts embed only the new and changed ones)."""
from __future__ import annotations

import argparse
import json
from typing import Any


def cmd_embed(args: argparse.Namespace) -> int:
    from jobos.resumes.embed import EmbeddingsUnavailable, model_files
    from jobos.store import open_store

    try:
        model_files()
    except EmbeddingsUnavailable as exc:
        print(f"jobos: resumes: {exc}")
        return 2
    with open_store() as store:
        embedded = store.embed_jobs()
    print(json.dumps({"embedded": embedded}))
    return 0


def add_parser(sub: Any, parser_class: type) -> None:
    resumes = sub.add_parser("resumes", help="resume matching")
    r_sub = resumes.add_subparsers(dest="resumes_command", required=True, parser_class=parser_class)
    r_sub.add_parser("embed", help="embed the open jobs that have no vector yet (optional semantic matching)"
                     ).set_defaults(func=cmd_embed)
