"""The suffix list and pycountry's tables load when the crawl opens (NormalizePipeline.open_spider),
not on first use inside a callback where loading held the reactor; the suffix list never comes
from the network."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A fresh interpreter (nothing loaded by other tests), with every outbound connection refused:
# the bundled Public Suffix List snapshot must be enough.
SCRIPT = r"""
import json, socket

def refuse(*args, **kwargs):
    raise OSError("network use during reference data loading")

socket.socket.connect = refuse
socket.create_connection = refuse

import pycountry
from scrapy import Spider
from scrapy.utils.test import get_crawler
from jobos.normalize import urls
from jobos.normalize.pipelines import NormalizePipeline

tables = (pycountry.countries, pycountry.subdivisions, pycountry.currencies)
def loaded():
    return {"suffixes": urls._EXTRACT._extractor is not None,
            "pycountry": [t._is_loaded for t in tables]}

before = loaded()
NormalizePipeline(get_crawler(Spider)).open_spider()
after = loaded()
print(json.dumps({"before": before, "after": after,
                  "domain": urls.registrable_domain("https://jobs.example.com.au/x")}))
"""


def test_reference_data_is_loaded_when_the_crawl_opens_without_the_network():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "reference data not loaded" not in result.stderr, result.stderr[-3000:]
    state = json.loads(result.stdout.strip().splitlines()[-1])
    # Nothing is loaded at import (else this test proves nothing), everything after open.
    assert state["before"] == {"suffixes": False, "pycountry": [False, False, False]}
    assert state["after"] == {"suffixes": True, "pycountry": [True, True, True]}
    assert state["domain"] == "example.com.au"
