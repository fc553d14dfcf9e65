"""Benchmark job search at 1,000,000 jobs: GET /api/jobs against the bare SQL the store sends.

Loads N generated jobs (titles, descriptions, companies, countries, dates, workplaces and
languages drawn from a vocabulary with a long tail, so some words are common and some rare) into
a throwaway Postgres cluster with COPY; the store's own trigger computes the full-text vector
as it does for crawled jobs, and the migrations' indexes are built once after the load. Then a
mix of realistic queries (full text plus two filters, common and rare words, newest first and
oldest first, title order, a language, the second and third page through the cursor) runs
through a real API server on 127.0.0.1 and, in the same run, as the bare statements
search_jobs sends replayed through psycopg, alternating rounds so both see the same machine.
Prints p50/p95/p99 per path and per query, and the ratio.

Goals (issue 15): API p95 < 50 ms, API / bare p95 < 1.3x.

    .venv/bin/python bench/bench_search.py [--jobs 1000000] [--rounds 4] [--concurrency 2]
        [--database-url URL]   # reuse a database this script loaded before (no cluster)
        [--data-dir DIR]       # keep the cluster in DIR: the first run loads, later runs reuse it
        [--explain]            # print EXPLAIN (ANALYZE, BUFFERS) of each query's statements
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_api import percentiles, run_load, start_api  # noqa: E402
from jobos.store.names import normalize_company  # noqa: E402
from tests.pg import PgCluster, free_port  # noqa: E402

# ---- the generated jobs ------------------------------------------------------------------
# (word, weight): the weights give a long tail (Zipf-like), from words in most postings to
# words in a few hundred of a million.
COMMON = ("team experience work we you our and with the of to in for on skills customers "
          "development support business years knowledge strong communication").split()
DOMAIN = ("engineer software data manager sales product design developer analyst cloud python "
          "java javascript backend frontend platform security marketing finance operations "
          "customer service account senior junior lead principal intern nurse driver warehouse "
          "logistics retail store teacher consultant accountant recruiter architect devops "
          "kubernetes aws azure sql react typescript golang machine learning research scientist "
          "mechanical electrical civil technician assistant coordinator specialist director "
          "legal counsel compliance hr payroll administrator network infrastructure mobile ios "
          "android embedded firmware qa test automation support helpdesk chef cook cashier "
          "pharmacist physician therapist electrician plumber welder forklift").split()
RARE = ("haskell fortran cobol erlang elixir clojure ocaml scala rust julia lisp prolog "
        "verilog vhdl fpga sap abap salesforce tableau snowflake databricks terraform ansible "
        "zookeeper kafka flink cassandra neo4j graphql webassembly unreal unity blender "
        "photogrammetry lidar geospatial actuarial underwriting sommelier horticulture "
        "paleontology glaciology").split()
GERMAN = ("Softwareentwickler Entwickler Ingenieur Vertrieb Mitarbeiter Kundenberater Pflegekraft "
          "Lagerarbeiter Werkstudent Projektleiter Elektroniker Buchhalter Erfahrung Kenntnisse "
          "Team Aufgaben Profil Wir bieten").split()
FRENCH = "Ingénieur Développeur Commercial Chef de projet Vendeur Infirmier expérience équipe".split()
SPANISH = "Ingeniero Desarrollador Vendedor Enfermero Gerente experiencia equipo".split()

SENIORITY = ["", "", "", "Senior ", "Junior ", "Lead ", "Principal ", "Staff ", "Head of "]
ROLES = ["Software Engineer", "Data Engineer", "Data Scientist", "Product Manager", "Sales Manager",
         "Account Executive", "Customer Service Representative", "Nurse", "Warehouse Associate",
         "Truck Driver", "Store Manager", "Backend Developer", "Frontend Developer", "DevOps Engineer",
         "Security Engineer", "Marketing Manager", "Financial Analyst", "Accountant", "Recruiter",
         "Mechanical Engineer", "Electrician", "Teacher", "Pharmacist", "Machine Learning Engineer",
         "Site Reliability Engineer", "QA Engineer", "Project Manager", "Business Analyst",
         "Solutions Architect", "Support Engineer", "Cook", "Cashier", "Technician", "Consultant"]
ROLES_DE = ["Softwareentwickler (m/w/d)", "Vertriebsmitarbeiter (m/w/d)", "Pflegekraft (m/w/d)",
            "Lagerarbeiter (m/w/d)", "Werkstudent Data (m/w/d)", "Projektleiter (m/w/d)",
            "Elektroniker (m/w/d)", "Buchhalter (m/w/d)", "Kundenberater (m/w/d)"]
ROLES_FR = ["Ingénieur logiciel (H/F)", "Développeur backend (H/F)", "Commercial (H/F)",
            "Chef de projet (H/F)", "Infirmier (H/F)"]
ROLES_ES = ["Ingeniero de software", "Desarrollador backend", "Vendedor", "Enfermero", "Gerente de tienda"]
SPECIALTIES = ["", "", "", "Python", "Java", "Cloud", "Payments", "Platform", "Mobile", "Kubernetes",
               "AWS", "React", "Go", "SAP", "Salesforce", "Haskell", "Rust", "Embedded"]

# (country, weight, cities, languages)
COUNTRIES = [("US", 30, ["New York", "San Francisco", "Austin", "Chicago", "Seattle"], ["en"]),
             ("DE", 12, ["Berlin", "Munich", "Hamburg", "Cologne"], ["de", "en"]),
             ("GB", 10, ["London", "Manchester", "Edinburgh"], ["en"]),
             ("FR", 7, ["Paris", "Lyon", "Toulouse"], ["fr", "en"]),
             ("NL", 5, ["Amsterdam", "Rotterdam"], ["nl", "en"]),
             ("ES", 5, ["Madrid", "Barcelona"], ["es", "en"]),
             ("IN", 6, ["Bangalore", "Pune", "Hyderabad"], ["en"]),
             ("CA", 4, ["Toronto", "Vancouver"], ["en"]),
             ("PL", 3, ["Warsaw", "Krakow"], ["en"]),
             ("SE", 2, ["Stockholm"], ["en"]),
             ("IT", 3, ["Milan", "Rome"], ["en"]),
             ("AU", 3, ["Sydney", "Melbourne"], ["en"]),
             (None, 10, [None], [None, "en"])]
WORKPLACES = [("onsite", 55), ("hybrid", 22), ("remote", 15), (None, 8)]
EMPLOYMENT = [("FULL_TIME", 75), ("PART_TIME", 10), ("CONTRACTOR", 7), ("INTERN", 4), ("TEMPORARY", 2), (None, 2)]
ATSES = ["greenhouse", "lever", "ashby", "workday", "smartrecruiters", "workable", "recruitee", "personio"]
TODAY = date(2026, 12, 1)
N_COMPANIES = 20_000


def _weighted(pairs: list[tuple]) -> tuple[list, list[float]]:
    values = [p[0] if len(p) == 2 else p for p in pairs]
    cum, total = [], 0.0
    for p in pairs:
        total += p[1]
        cum.append(total)
    return values, cum


def _vocabulary() -> tuple[list[str], list[float]]:
    """Return words and cumulative weights: common words heavy, domain words Zipf, rare words thin."""
    words: list[str] = []
    weights: list[float] = []
    for i, w in enumerate(COMMON):
        words.append(w)
        weights.append(60.0 / (1 + i * 0.3))
    for i, w in enumerate(DOMAIN):
        words.append(w)
        weights.append(8.0 / (1 + i) ** 0.8)
    for i, w in enumerate(RARE):
        words.append(w)
        weights.append(0.004 + 0.002 * (i % 5))
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return words, cum


def _sentences(rnd: random.Random, n: int, words: list[str], cum: list[float], extra: list[str]) -> list[str]:
    out = []
    for _ in range(n):
        k = rnd.randint(8, 18)
        chosen = rnd.choices(words, cum_weights=cum, k=k)
        if extra and rnd.random() < 0.5:
            chosen[rnd.randrange(k)] = rnd.choice(extra)
        out.append(" ".join(chosen).capitalize() + ".")
    return out


class JobGenerator:
    """Makes COPY lines for the jobs table, deterministic for a seed."""

    COLUMNS = ("id", "board", "company_norm", "company", "company_domain", "source", "method",
               "external_id", "title", "url", "location", "city", "country", "workplace",
               "employment_type", "department", "salary_min", "salary_max", "salary_currency",
               "salary_period", "posted_at", "description", "description_html", "location_display",
               "language", "scraped_at", "extraction_pending", "content_hash", "status",
               "first_seen", "last_seen", "sort_date", "duplicate_of")

    def __init__(self, seed: int = 15) -> None:
        rnd = random.Random(seed)
        self.rnd = rnd
        words, cum = _vocabulary()
        self.pools = {
            None: _sentences(rnd, 6000, words, cum, []),
            "en": _sentences(rnd, 6000, words, cum, []),
            "de": _sentences(rnd, 1500, words, cum, GERMAN),
            "fr": _sentences(rnd, 1000, words, cum, FRENCH),
            "es": _sentences(rnd, 1000, words, cum, SPANISH),
            "nl": _sentences(rnd, 1000, words, cum, []),
        }
        # Company sizes follow a long tail: a few companies hold many jobs.
        self.companies = [(f"{rnd.choice(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent'])}"
                           f" {rnd.choice(['Labs', 'Systems', 'Group', 'GmbH', 'Inc', 'Health', 'Logistics', 'Retail', 'Energy', 'Bank'])} {i}")
                          for i in range(N_COMPANIES)]
        self.company_norms = [normalize_company(name) for name in self.companies]
        self.company_cum = []
        total = 0.0
        for i in range(N_COMPANIES):
            total += 1.0 / (1 + i) ** 0.9
            self.company_cum.append(total)
        self.countries, self.country_cum = _weighted([(c, w) for c, w, _, _ in COUNTRIES])
        self.country_info = {c: (cities, langs) for c, _, cities, langs in COUNTRIES}
        self.workplaces, self.workplace_cum = _weighted(WORKPLACES)
        self.employment, self.employment_cum = _weighted(EMPLOYMENT)

    def company(self, index: int) -> tuple[str, str, str]:
        name = self.companies[index]
        norm = self.company_norms[index]
        ats = ATSES[index % len(ATSES)]
        return name, norm, f"{ats}:{norm.replace(' ', '-')}"

    def line(self, job_id: int) -> str:
        rnd = self.rnd
        ci = rnd.choices(range(N_COMPANIES), cum_weights=self.company_cum)[0]
        name, norm, board = self.company(ci)
        country = rnd.choices(self.countries, cum_weights=self.country_cum)[0]
        cities, langs = self.country_info[country]
        city = rnd.choice(cities)
        lang = rnd.choice(langs)
        if lang == "de":
            title = rnd.choice(ROLES_DE)
        elif lang == "fr":
            title = rnd.choice(ROLES_FR)
        elif lang == "es":
            title = rnd.choice(ROLES_ES)
        else:
            spec = rnd.choice(SPECIALTIES)
            title = f"{rnd.choice(SENIORITY)}{spec + ' ' if spec else ''}{rnd.choice(ROLES)}"
        pool = self.pools.get(lang, self.pools["en"])
        description = " ".join(rnd.choices(pool, k=rnd.randint(4, 14)))
        html = "<p>" + description.replace(". ", ".</p><p>") + "</p>"
        workplace = rnd.choices(self.workplaces, cum_weights=self.workplace_cum)[0]
        employment = rnd.choices(self.employment, cum_weights=self.employment_cum)[0]
        age = int(rnd.expovariate(1 / 60)) % 730
        posted = TODAY - timedelta(days=age) if rnd.random() > 0.08 else None
        first_seen = TODAY - timedelta(days=min(age, 729))
        status = "open" if rnd.random() < 0.8 else "closed"
        salary = rnd.random() < 0.3
        dup = job_id - 1 if job_id > 1 and rnd.random() < 0.01 else None
        location = f"{city}, {country}" if city else None
        values = (
            job_id, board, norm, name, None, board.split(":")[0], "api", str(job_id), title,
            f"https://jobs.example.net/{board.replace(':', '/')}/{job_id}", location, city, country,
            workplace, employment, rnd.choice(["Engineering", "Sales", "Operations", "Finance", None]),
            50_000 + job_id % 50_000 if salary else None, 90_000 + job_id % 50_000 if salary else None,
            "EUR" if salary else None, "YEAR" if salary else None,
            posted.isoformat() if posted else None, description, html, location, lang,
            f"{first_seen.isoformat()} 08:00:00+00", "f", f"{job_id:032x}", status,
            f"{first_seen.isoformat()} 08:00:00+00", f"{TODAY.isoformat()} 06:00:00+00",
            (posted or first_seen).isoformat(), dup,
        )
        return "\t".join("\\N" if v is None else str(v) for v in values) + "\n"


def load(url: str, n: int) -> dict[str, float]:
    """Load n generated jobs with COPY (indexes built after); return seconds per phase."""
    import psycopg

    times = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'jobs'"
            " AND indexname NOT IN ('jobs_pkey', 'jobs_board_external_id_key')").fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        gen = JobGenerator()
        t0 = time.perf_counter()
        cols = ", ".join(JobGenerator.COLUMNS)
        with conn.cursor() as cur, cur.copy(f"COPY jobs ({cols}) FROM STDIN") as copy:
            buf = []
            for i in range(1, n + 1):
                buf.append(gen.line(i))
                if len(buf) == 5000:
                    copy.write("".join(buf))
                    buf = []
            if buf:
                copy.write("".join(buf))
        conn.execute("SELECT setval('jobs_id_seq', %s)", [n])
        times["copy (trigger computes the search vector)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _, sql in indexes:
            conn.execute(sql)
        times["indexes"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        conn.execute("VACUUM ANALYZE jobs")
        times["vacuum analyze"] = time.perf_counter() - t0
    return times


class KeptCluster(PgCluster):
    """A cluster in a directory of the caller's that outlives the run (--data-dir).

    The first run makes it (initdb) and loads the jobs; later runs start it again and find the
    data there, so the 1,000,000-job load is paid once. cleanup() only stops the server.
    """

    def __init__(self, root: str, settings: dict[str, str] | None = None) -> None:
        import shutil

        self._keep = Path(root).resolve()
        made = not (self._keep / "data").exists()
        real_mkdtemp = tempfile.mkdtemp
        tempfile.mkdtemp = lambda **_: str(self._keep)  # PgCluster makes its root with mkdtemp
        try:
            self._keep.mkdir(parents=True, exist_ok=True)
            if made:
                super().__init__(settings=settings)
            else:  # the cluster is there: set up as PgCluster does, without initdb
                self._run = lambda *a, **k: None  # type: ignore[method-assign]
                shutil.rmtree(self._keep / "sock", ignore_errors=True)
                super().__init__(settings=settings)
                del self._run
        finally:
            tempfile.mkdtemp = real_mkdtemp

    def create_database(self, name: str | None = None) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return self.database_url(name)
        return super().create_database(name)

    def cleanup(self) -> None:
        self.stop()


def loaded_jobs(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM jobs").fetchone()[0]


# ---- the query mix -----------------------------------------------------------------------
def query_mix(gen: JobGenerator) -> list[tuple[str, dict, int]]:
    """Return (name, API query, page number) for each query of the mix."""
    big, _, _ = gen.company(0)       # the company with the most jobs
    mid, _, _ = gen.company(40)
    since = (TODAY - timedelta(days=30)).isoformat()
    return [
        ("common word, country+remote", {"q": "engineer", "country": "DE", "workplace": "remote"}, 1),
        ("two words, country+type", {"q": "python developer", "country": "US", "employment_type": "FULL_TIME"}, 1),
        ("rare word, country+remote", {"q": "haskell", "country": "GB", "workplace": "remote"}, 1),
        ("rare word, no match in filter", {"q": "glaciology", "country": "SE", "workplace": "hybrid"}, 1),
        ("common word, company+since", {"q": "data", "company": big, "posted_since": since}, 1),
        ("word, mid company+since", {"q": "manager", "company": mid, "posted_since": since}, 1),
        ("very common word, country+remote", {"q": "experience team", "country": "US", "workplace": "remote"}, 1),
        ("oldest first, country+hybrid", {"q": "sales", "country": "FR", "workplace": "hybrid", "order": "asc"}, 1),
        ("title order, country+type", {"q": "nurse", "country": "US", "employment_type": "PART_TIME", "sort": "title", "order": "asc"}, 1),
        ("lang de, country+onsite", {"q": "entwickler", "lang": "de", "country": "DE", "workplace": "onsite"}, 1),
        ("page 2, country+remote", {"q": "engineer", "country": "US", "workplace": "remote"}, 2),
        ("page 3, country+remote", {"q": "software", "country": "DE", "workplace": "hybrid"}, 3),
        ("no text, country+remote", {"country": "US", "workplace": "remote"}, 1),
        ("no text, page 2, company+since", {"company": big, "posted_since": since}, 2),
    ]


def _store_kwargs(query: dict, limit: int) -> dict:
    args = {k: v for k, v in query.items() if k not in ("lang",)}
    if "lang" in query:
        args["language"] = query["lang"]
    if "posted_since" in args:
        args["posted_since"] = date.fromisoformat(args["posted_since"])
    args["limit"] = limit
    return args


def prepare(url: str, mix: list[tuple[str, dict, int]], limit: int) -> list[dict]:
    """Return one case per query: its API path, the bare statements, and the page's total.

    The cursor for page N comes from the store itself (pages 1..N-1). The bare statements are
    recorded from search_jobs as it runs, so the bare path replays exactly what the store sends.
    """
    import psycopg

    from jobos.store import open_store

    store = open_store(database_url=url)
    cases = []
    try:
        for name, query, page in mix:
            cursor = None
            for _ in range(page - 1):
                cursor = store.search_jobs(**_store_kwargs(query, limit), cursor=cursor)["next_cursor"]
            sent: list[tuple[str, list]] = []
            original = psycopg.Cursor.execute

            def recording(self, sql, params=None, **kwargs):
                if str(sql).strip():  # not the pool's connection check (an empty query)
                    sent.append((sql, list(params or [])))
                return original(self, sql, params, **kwargs)

            psycopg.Cursor.execute = recording
            try:
                result = store.search_jobs(**_store_kwargs(query, limit), cursor=cursor)
            finally:
                psycopg.Cursor.execute = original
            api_query = dict(query, limit=str(limit))
            if cursor:
                api_query["cursor"] = cursor
            cases.append({"name": name, "path": "/api/jobs?" + urlencode(api_query), "statements": sent,
                          "total": result["total"], "items": len(result["items"])})
    finally:
        store.close()
    return cases


class MixWorker:
    """Calls the cases in turn (each thread starting at its own offset)."""

    def __init__(self, cases: list[dict]):
        self.cases = cases
        self.by_case: dict[str, list[float]] = {c["name"]: [] for c in cases}
        self._next = 0

    def pick(self) -> dict:
        case = self.cases[self._next % len(self.cases)]
        self._next += 1
        return case


class HttpMix(MixWorker):
    def __init__(self, cases: list[dict], port: int):
        super().__init__(cases)
        self.port = port

    def setup(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def call(self, conn) -> None:
        case = self.pick()
        t0 = time.perf_counter()
        conn.request("GET", case["path"], headers={"Connection": "keep-alive"})
        resp = conn.getresponse()
        body = resp.read()
        self.by_case[case["name"]].append(time.perf_counter() - t0)
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status} for {case['path']}: {body[:300]!r}")
        got = json.loads(body)
        if len(got["items"]) != case["items"]:
            raise RuntimeError(f"{case['name']}: the API gave {len(got['items'])} items, the store {case['items']}")

    def teardown(self, conn) -> None:
        conn.close()


class SqlMix(MixWorker):
    def __init__(self, cases: list[dict], url: str):
        super().__init__(cases)
        self.url = url

    def setup(self):
        import psycopg
        from psycopg.rows import dict_row

        return psycopg.connect(self.url, autocommit=True, row_factory=dict_row)

    def call(self, conn) -> None:
        case = self.pick()
        t0 = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:  # one transaction, as the store reads
            for sql, params in case["statements"]:
                cur.execute(sql, params)
                if cur.description is not None:  # not DECLARE / CLOSE of the store's cursor
                    cur.fetchall()
        self.by_case[case["name"]].append(time.perf_counter() - t0)

    def teardown(self, conn) -> None:
        conn.close()


def explain(url: str, cases: list[dict]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for case in cases:
            print(f"\n== {case['name']} (total {case['total']})")
            with conn.transaction():  # the statements' own settings (SET LOCAL) hold for the rest
                for sql, params in case["statements"]:
                    print(f"-- {sql}")
                    if " jobs " not in sql or sql.startswith("DECLARE"):
                        conn.execute(sql, params)  # DECLARE: its FETCH runs (and shows) the plan
                        continue
                    for (line,) in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params):
                        print(f"   {line}")


def measure(url: str, port: int, cases: list[dict], rounds: int, per_round: int,
            concurrency: int) -> tuple[SqlMix, HttpMix, dict[str, list[float]]]:
    sql, http_ = SqlMix(cases, url), HttpMix(cases, port)
    run_load(http_, len(cases) * 2, concurrency)  # warm: plans, caches, the API's imports
    run_load(sql, len(cases) * 2, concurrency)
    sql.by_case = {c["name"]: [] for c in cases}
    http_.by_case = {c["name"]: [] for c in cases}
    all_lat: dict[str, list[float]] = {"bare": [], "api": []}
    for _ in range(rounds):  # alternate, so both paths see the same neighbours on the machine
        all_lat["bare"] += run_load(sql, per_round, concurrency)[1]
        all_lat["api"] += run_load(http_, per_round, concurrency)[1]
    return sql, http_, all_lat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--per-round", type=int, default=0, help="requests per path per round (default: 20 per query)")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--shared-buffers", default="2GB")
    parser.add_argument("--database-url", help="a database this script loaded before (no cluster)")
    parser.add_argument("--data-dir", help="keep the cluster here: made and loaded once, reused by later runs")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    from jobos.store import open_store

    cluster = None
    if args.database_url:
        url = args.database_url
        open_store(database_url=url).close()  # migrations up to date
    else:
        settings = {"shared_buffers": args.shared_buffers}
        cluster = (KeptCluster(args.data_dir, settings) if args.data_dir else PgCluster(settings=settings))
        cluster.start()
    try:
        if cluster is not None:
            url = cluster.create_database("bench")
            open_store(database_url=url).close()
        have = loaded_jobs(url)
        if have < args.jobs:
            if have:
                raise SystemExit(f"the database holds {have:,} jobs, fewer than --jobs; load a fresh one")
            print(f"loading {args.jobs:,} jobs ...", flush=True)
            for phase, seconds in load(url, args.jobs).items():
                print(f"  {phase}: {seconds:.1f} s", flush=True)
        else:
            print(f"database holds {have:,} jobs")
        mix = query_mix(JobGenerator())
        cases = prepare(url, mix, args.limit)
        if args.explain:
            explain(url, cases)
        data_dir = tempfile.mkdtemp(prefix="jobos-bench-")
        port = free_port()
        api = start_api(url, data_dir, port)
        try:
            per_round = args.per_round or 20 * len(cases)
            sql, http_, lat = measure(url, port, cases, args.rounds, per_round, args.concurrency)
        finally:
            api.terminate()
            api.wait(10)
    finally:
        if cluster is not None:
            cluster.cleanup()

    print(f"\n{len(cases)} queries, {args.rounds} rounds x {per_round} requests per path,"
          f" concurrency {args.concurrency}, limit {args.limit}\n")
    print(f"{'query':<36}{'total':>8}{'bare p50':>10}{'p95':>8}{'api p50':>10}{'p95':>8}{'ratio':>7}")
    for case in cases:
        b = percentiles(sql.by_case[case["name"]])
        a = percentiles(http_.by_case[case["name"]])
        print(f"{case['name']:<36}{case['total']:>8}{b['p50']:>10.1f}{b['p95']:>8.1f}{a['p50']:>10.1f}"
              f"{a['p95']:>8.1f}{a['p95'] / b['p95']:>6.2f}x")
    print()
    print(f"{'path':<22}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for name, samples in (("bare SQL (psycopg)", lat["bare"]), ("API GET /api/jobs", lat["api"])):
        p = percentiles(samples)
        print(f"{name:<22}{p['p50']:>10.2f}{p['p95']:>10.2f}{p['p99']:>10.2f}{p['mean']:>10.2f}")
    b, a = percentiles(lat["bare"]), percentiles(lat["api"])
    ratio = a["p95"] / b["p95"]
    print(f"\nAPI / bare: p50 {a['p50'] / b['p50']:.2f}x, p95 {ratio:.2f}x, mean {a['mean'] / b['mean']:.2f}x")
    print(f"goals: API p95 < 50 ms: {'met' if a['p95'] < 50 else 'NOT met'} ({a['p95']:.1f} ms);"
          f" API / bare p95 < 1.3x: {'met' if ratio < 1.3 else 'NOT met'} ({ratio:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
