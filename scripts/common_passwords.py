"""Write jobos/common-passwords.txt.gz, the list of common passwords JobOS refuses.

The list is Django's (django/contrib/auth/common-passwords.txt.gz, BSD licence: the 20,000 most
common passwords of Royce Williams' list, lowercased and deduplicated). Install Django anywhere
(it is not a JobOS dependency) and run:

    python scripts/common_passwords.py [path/to/django/contrib/auth/common-passwords.txt.gz]

The output is sorted, one password a line, gzipped with no timestamp, so rerunning it on the
same input gives the same bytes.
"""
from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "jobos" / "common-passwords.txt.gz"


def django_list() -> Path:
    import django

    return Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else django_list()
    words = gzip.decompress(source.read_bytes()).decode("utf-8").splitlines()
    clean = sorted({w.strip().lower() for w in words if w.strip()})
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as out:
        out.write(("\n".join(clean) + "\n").encode("utf-8"))
    OUT.write_bytes(buf.getvalue())
    print(f"{len(clean)} passwords -> {OUT.name} ({len(buf.getvalue())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
