"""Cold start of every Lambda entry point against a floor, paired run by run.

The entry points are the handlers the stacks deploy (infra/deployed.py). The floor is the least a
Powertools REST function pays: `import boto3`, Logger, Metrics and APIGatewayRestResolver, with one
route that reads one DynamoDB item. Everything runs with the environment of a deployed function whose
traces are not kept (POWERTOOLS_TRACE_DISABLED). Two figures per entry point:

- import: the module import alone, boto3 included, in a fresh interpreter;
- import + first invocation: what Lambda's first request pays (the Lambda-shaped cold start): that
  import, plus the first invocation with one realistic event on moto (the composition root, the
  first boto3 client, the pseudonym keys read from SSM through Powertools Parameters). The first
  invocation runs in a child forked from a host that has loaded moto and seeded the region once: the
  child imports the module (off the clock; its import is the fresh interpreter's figure) and times the
  invocation. moto, and with it boto3, is in memory before the clock starts, for the floor as for the
  entry point, so it may spare both some module a first invocation would otherwise load.

Both are the process's own CPU time (user and system, `time.process_time`): on a quiet machine that is
the wall time, and on a loaded one it does not count the time spent waiting for a core, which other
work decides. Each round measures every entry point once, in a shuffled order, two at a time around a run of the
floor: each run is paired with the floor run next to it, the ratio is taken pair by pair, and the
median of at least 10 pairs is printed. A warm-up run first writes the libraries' bytecode: they run
from it, as the runtime's and the Powertools layer's do; the project's own modules are compiled afresh
in every run, as in Lambda when the asset carries no bytecode for its Python. Two extra rows: the
signals API with the project's bytecode present (what the asset carries when it is built with the
runtime's interpreter, see infra/constructs/function.py), and its import where traces are kept.
Prints figures and ratios, asserts nothing. `BENCH_RUNS` sets the pairs per figure (at least 10),
`BENCH_JOBS` how many streams measure side by side (default 2, each with its own floor runs);
arguments select entry points.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
sys.path[:0] = [str(ROOT), str(FUNCTIONS)]

RUNS = max(10, int(os.environ.get("BENCH_RUNS", "10")))
JOBS = max(1, int(os.environ.get("BENCH_JOBS", "2")))  # measuring streams side by side
TARGET = 1.3
# Also measured with the project's bytecode present: the signals API.
SHOWCASE = ["place_signal.handler"]
# Also measured where traces are kept (import only: a first invocation would need a trace segment).
TRACED = ["place_signal.handler"]
NATIONAL_BUS = "bench-national"
NATIONAL_INDEX_BUS = "bench-national-index"
ACCOUNT = "123456789012"
NO_EVENT = "it reads the BRP Update API over HTTP, which moto does not serve"

FLOOR_MODULE = "cold_start_floor"
FLOOR_SOURCE = '''"""The floor: boto3 and Powertools Logger, Metrics and REST resolver; one route, one GetItem."""
import os

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

logger = Logger(service="floor")
metrics = Metrics(namespace="Floor", service="floor")
app = APIGatewayRestResolver()


@app.get("/ping")
def ping():
    key = {"PK": {"S": "FLOOR"}, "SK": {"S": "FLOOR"}}
    found = boto3.client("dynamodb").get_item(TableName=os.environ["TABLE_NAME"], Key=key)
    return {"found": "Item" in found}


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def lambda_handler(event, context):
    return app.resolve(event, context)
'''

# A fresh interpreter: times the module import alone.
IMPORT = """
import importlib, sys, time
start = time.process_time()
importlib.import_module(sys.argv[1])
print(time.process_time() - start)
"""

# The first invocations' host: loads moto, seeds it from the scenario file with a boto3 session of its
# own and prints "ready"; then for every line "<module> <bytecode cache>" forks a child that imports
# the module (from that cache) and times its first event. A child starts from the seeded region and
# its writes die with it; it creates its own default session, so its first client loads its service
# model itself. The host never imports anything of the project's.
HOST = """
import gc, importlib, json, os, sys, time, uuid
from moto import mock_aws

mock_aws().start()
import boto3
from infra.local.tables import TableNames, create_tables

scenario = json.load(open(sys.argv[1], encoding="utf-8"))
seed = boto3.session.Session()
dynamodb = seed.client("dynamodb")
create_tables(dynamodb, TableNames(**scenario["tables"]))
for table, items in scenario["items"].items():
    for item in items:
        dynamodb.put_item(TableName=table, Item=item)
ssm = seed.client("ssm")
for parameter, value in scenario["parameters"].items():
    ssm.put_parameter(Name=parameter, Value=value, Type="SecureString")
for table in scenario["more_tables"]:
    dynamodb.create_table(**table)
for bus in scenario["buses"]:
    seed.client("events").create_event_bus(Name=bus)
seed.client("sesv2").create_email_identity(EmailIdentity=scenario["sender"])


class Context:
    function_name = "cold-start"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:cold-start"
    aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self):
        return 30_000


def first(name):
    entry = scenario["entries"][name]
    module = importlib.import_module(name)
    called = time.process_time()
    answer = module.lambda_handler(entry["event"], Context())
    done = time.process_time()
    status = answer.get("statusCode") if isinstance(answer, dict) else None
    failures = answer.get("batchItemFailures") if isinstance(answer, dict) else None
    if entry["expect"] == "status" and status not in entry["statuses"]:
        raise RuntimeError(f"unexpected answer {status}: {answer.get('body')}")
    if entry["expect"] == "batch" and failures:
        raise RuntimeError(f"records failed: {failures}")
    if entry["expect"] == "outcome" and answer.get("outcome") not in entry["outcomes"]:
        raise RuntimeError(f"unexpected outcome: {answer}")
    return done - called


# The seeded region stays out of the children's garbage collections: otherwise a child's first full
# collection walks moto's whole state, a cost no Lambda pays, and lands in whichever figure it hits.
gc.collect()
gc.freeze()
print("ready", flush=True)
for line in iter(sys.stdin.readline, ""):
    name, cache = line.split()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)  # the function's logs and metrics go to stdout; they are not ours to read
        sys.pycache_prefix = cache
        try:
            out = {"first": first(name)}
        except BaseException as error:
            out = {"error": f"{type(error).__name__}: {error}"}
        os.write(write, json.dumps(out).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as pipe:
        out = pipe.read()
    os.waitpid(pid, 0)
    print(out, flush=True)
"""


def lambda_env(pycache: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A function's environment as deployed, with traces off; credentials and names for moto."""
    prefixes = ("POWERTOOLS_", "AWS_", "LAMBDA_", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        {
            "PYTHONPYCACHEPREFIX": str(pycache),
            "PYTHONPATH": os.pathsep.join([str(FUNCTIONS), str(ROOT)]),
            "LAMBDA_TASK_ROOT": str(FUNCTIONS),
            "AWS_LAMBDA_FUNCTION_NAME": "cold-start",
            "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_NAMESPACE": "Verwijsindex",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra or {})
    return env


@dataclass
class Pairs:
    """Paired samples (entry point, floor) of one figure."""

    mine: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)

    def add(self, mine: float, floor: float) -> None:
        self.mine.append(mine)
        self.floor.append(floor)

    @property
    def ratio(self) -> float:
        return statistics.median(m / f for m, f in zip(self.mine, self.floor, strict=True))

    def cell(self) -> str:
        if not self.mine:
            return f"{'':>7} {'':>7}"
        return f"{statistics.median(self.mine) * 1000:7.0f} {self.ratio:6.2f}x"


@dataclass
class Figures:
    """An entry point's two figures: import, and import plus first invocation."""

    imports: Pairs = field(default_factory=Pairs)
    cold: Pairs = field(default_factory=Pairs)


@dataclass(frozen=True)
class Variant:
    """What one row measures: an entry point, from a bytecode cache that is kept or not, traced or not."""

    module: str
    bytecode: bool = False
    traced: bool = False
    first: bool = True

    @property
    def label(self) -> str:
        return self.module + (", bytecode" if self.bytecode else "") + (", traced" if self.traced else "")


class Runner:
    """Fresh interpreters for the imports, the host's forked children for the first invocations. The
    project's bytecode is removed before every run, except from the cache that stands for an asset
    carrying it; the libraries' bytecode is always kept."""

    def __init__(self, work: Path, env: dict[str, str], seed_file: Path, name: str = "") -> None:
        self.name = name
        self.caches = {False: work / f"pycache{name}", True: work / f"pycache-shipped{name}"}
        self.env = env
        self.seed_file = seed_file
        self.host = subprocess.Popen(
            [sys.executable, "-c", HOST, str(seed_file)],
            env={**env, "PYTHONPYCACHEPREFIX": str(self.caches[False])},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.host.stdout is not None
        if self.host.stdout.readline().strip() != "ready":
            raise RuntimeError("the moto host did not start")

    def close(self) -> None:
        if self.host.stdin:
            self.host.stdin.close()
        self.host.wait(timeout=60)

    def _cache(self, variant: Variant) -> Path:
        cache = self.caches[variant.bytecode]
        if not variant.bytecode:
            shutil.rmtree(Path(str(cache) + str(FUNCTIONS)), ignore_errors=True)
        return cache

    def imported(self, variant: Variant, module: str) -> float:
        env = {**self.env, "PYTHONPYCACHEPREFIX": str(self._cache(variant))}
        if variant.traced:
            env["POWERTOOLS_TRACE_DISABLED"] = "false"
        done = subprocess.run(
            [sys.executable, "-c", IMPORT, module], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{module}: {done.stderr.strip()[-2000:]}")
        return float(done.stdout.strip().splitlines()[-1])

    def first(self, variant: Variant, module: str) -> float:
        assert self.host.stdin is not None and self.host.stdout is not None
        self.host.stdin.write(f"{module} {self._cache(variant)}\n")
        self.host.stdin.flush()
        out = json.loads(self.host.stdout.readline())
        if "error" in out:
            raise RuntimeError(f"{module}: {out['error']}")
        return float(out["first"])

    def around_floor(self, variants: list[Variant], measure: Any) -> list[tuple[float, float]]:
        """One or two entry points with a run of the floor between them: each is paired with the floor
        run next to it (the floor always as deployed, without its own variants)."""
        mine = [measure(variants[0], variants[0].module)]
        floor = measure(FLOOR, FLOOR_MODULE)
        mine += [measure(variant, variant.module) for variant in variants[1:]]
        return [(m, floor) for m in mine]


FLOOR = Variant(FLOOR_MODULE)


def rounds(runner: Runner, variants: list[Variant], with_first: set[str]) -> dict[Variant, Figures]:
    """One warm-up run of each (the libraries' bytecode), then RUNS rounds; each round measures every
    variant once, in a shuffled order, two at a time around a run of the floor."""
    for variant in [*variants, FLOOR]:
        runner.imported(variant, variant.module)
    figures = {variant: Figures() for variant in variants}
    shuffle = random.Random(20261130)
    for n in range(RUNS):
        order = list(variants)
        shuffle.shuffle(order)
        for two in (order[i : i + 2] for i in range(0, len(order), 2)):
            imports = runner.around_floor(two, runner.imported)
            for variant, (mine, floor) in zip(two, imports, strict=True):
                figures[variant].imports.add(mine, floor)
            cold = [(v, i) for v, i in zip(two, imports, strict=True) if v.first and v.module in with_first]
            if cold:
                firsts = runner.around_floor([v for v, _ in cold], runner.first)
                for (variant, (mine, floor)), (mine_first, floor_first) in zip(cold, firsts, strict=True):
                    figures[variant].cold.add(mine + mine_first, floor + floor_first)
        print(f"  {runner.name or 'runs'}: round {n + 1}/{RUNS} done", file=sys.stderr, flush=True)
    return figures


# --- the first events: one per entry point, on a region seeded once ------------------------------


def scenario() -> dict[str, Any]:
    """Builds the region's data on an in-process moto, through the handlers, and returns the seed
    (table items, SSM parameters) and each entry point's first event."""
    import boto3
    from moto import mock_aws

    import tests.conftest as fixtures  # sets the moto environment before boto3 is used
    from infra.local.events import LocalContext, rest_event, user_claims
    from infra.local.streams import StreamPump
    from infra.local.tables import create_tables
    from verwijsindex import wiring
    from verwijsindex.adapters.brp.fake import FakePersonRegistry, load_sample_families
    from verwijsindex.domain.clock import SystemClock, dutch_day
    from verwijsindex.domain.national import NATIONAL_SOURCE, REGION_SOURCE
    from verwijsindex.domain.periods import age_on
    from verwijsindex.domain.settings import RegionSettings

    config = fixtures.runtime_config()
    today = dutch_day(SystemClock().now())
    persons = FakePersonRegistry.with_sample_families(today)
    youths = [
        sample.person.bsn
        for family in load_sample_families(today)
        for sample in family.people
        if sample.person.death_date is None and age_on(sample.person.birth_date, today) < 18
    ]
    with mock_aws():
        client = boto3.client("dynamodb")
        create_tables(client, fixtures.NAMES)
        stream = StreamPump.for_table(fixtures.NAMES.main, dynamodb=client)
        wiring.install(
            wiring.Services(
                config=config, settings=RegionSettings(), clock=SystemClock(), persons=persons, dynamodb=client
            )
        )
        from place_signal.handler import lambda_handler as signals
        from registry.handler import lambda_handler as registry

        def call(handler: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
            answer: dict[str, Any] = handler(rest_event(*args, **kwargs), LocalContext())
            assert answer["statusCode"] < 300, answer["body"]
            return answer

        call(registry, "POST", "/organisations", claims=fixtures.OPERATOR, body={"org_id": "org-a", "name": "A"})
        professional = {"user_id": "sub-a", "name": "Anna", "email": "a@example.org", "phone": "0201234567"}
        call(registry, "POST", "/organisations/org-a/professionals", claims=fixtures.OPERATOR, body=professional)
        stream.skip_existing()
        call(signals, "POST", "/signals", claims=fixtures.PRO_A, body={"bsn": youths[0], "client_reference": "B-0"})
        signal_inserts = [
            r
            for r in stream.poll()
            if r["eventName"] == "INSERT" and r["dynamodb"].get("NewImage", {}).get("entity") == {"S": "signal"}
        ]
        items = {
            table: [item for page in client.get_paginator("scan").paginate(TableName=table) for item in page["Items"]]
            for table in (fixtures.NAMES.main, fixtures.NAMES.audit)
        }
        wiring.install(None)
    stream_event = {"Records": signal_inserts[:1]}
    brp = user_claims("brp-subscription", None, ["brp"])
    now = {"time": f"{today.isoformat()}T02:00:00+01:00"}
    settings = RegionSettings()

    def bus_event(source: str, detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
        """As EventBridge delivers an event of `source` from this account."""
        envelope = {"version": "0", "id": str(uuid.uuid4()), "detail-type": detail_type, "source": source}
        return (
            envelope
            | {"account": ACCOUNT, "time": now["time"], "region": "eu-west-1", "resources": []}
            | {"detail": detail}
        )

    # The national index learns of an active signal of this region (the first it hears of the youth).
    activated = {
        "region": settings.region_code,
        "national_key": hashlib.sha256(b"bench youth").hexdigest(),
        "signal_id": str(uuid.uuid4()),
        "org_id": "org-a",
        "organisation": "A",
        "professional": {"name": "Anna", "email": professional["email"], "phone": professional["phone"]},
        "active_until": (today + timedelta(days=365)).isoformat(),
    }
    # The region's inbox hears that another region's signal was destroyed (it forgets any match with it).
    destroyed = {"region": settings.region_code, "from_region": "elders", "signal_id": str(uuid.uuid4())}
    national_table = {
        "TableName": "bench-national",
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK")],
        "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
    }
    # SES reports a permanent bounce of the professional's address (through SNS).
    ses_message = {
        "eventType": "Bounce",
        "mail": {"messageId": "m-1", "destination": [professional["email"]], "tags": {}},
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": professional["email"]}]},
    }
    bounce = {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(ses_message)}}]}
    entries: dict[str, dict[str, Any]] = {
        "place_signal.handler": {
            "event": rest_event(
                "POST", "/signals", claims=fixtures.PRO_A, body={"bsn": youths[1], "client_reference": "B-1"}
            ),
            "expect": "status",
            "statuses": [201],
        },
        "registry.handler": {
            "event": rest_event("GET", "/organisations", claims=fixtures.OPERATOR),
            "expect": "status",
            "statuses": [200],
        },
        "rights_request.handler": {
            "event": rest_event("GET", "/rights-requests", claims=fixtures.OPERATOR),
            "expect": "status",
            "statuses": [200],
        },
        "brp_notifications.handler": {
            "event": rest_event(
                "POST",
                "/brp/notifications",
                claims=brp,
                body={"bsn": youths[2], "kind": "move", "date": today.isoformat(), "municipality": "0363"},
            ),
            "expect": "status",
            "statuses": [202],
        },
        "match.handler": {"event": stream_event, "expect": "batch"},
        "national_link.publish": {"event": stream_event, "expect": "batch"},
        "expire.handler": {"event": now, "expect": "none"},
        "expire.purge": {"event": now, "expect": "none"},
        "sweep.handler": {"event": now, "expect": "none"},
        "email_events.handler": {"event": bounce, "expect": "none"},
        # After a quiet night every portal session has expired (12 hours at most): the sign-in page.
        "portal.handler": {"event": rest_event("GET", "/portaal/inloggen"), "expect": "status", "statuses": [200]},
        "national_index.handler": {
            "event": bus_event(REGION_SOURCE, "SignalActivated", activated),
            "expect": "outcome",
            "outcomes": ["handled"],
        },
        "national_link.inbox": {
            "event": bus_event(NATIONAL_SOURCE, "RemoteSignalDestroyed", destroyed),
            "expect": "outcome",
            "outcomes": ["forgotten", "nothing_to_forget"],
        },
        "api_document.handler": {
            "event": {"path": "/openapi.json", "stageVariables": {"document": "regional"}},
            "expect": "status",
            "statuses": [200],
            "aws": False,
        },
        FLOOR_MODULE: {"event": rest_event("GET", "/ping"), "expect": "status", "statuses": [200]},
    }
    for name, entry in entries.items():
        entry["module"] = name
    return {
        "tables": {"main": config.table_name, "audit": config.audit_table_name, "idempotency": "bench-idempotency"},
        "items": items,
        "parameters": {
            "/bench/pseudonym-key": config.pseudonym_key,
            "/bench/national-pseudonym-key": config.national_pseudonym_key,
        },
        "entries": entries,
        "more_tables": [national_table],
        "buses": [NATIONAL_BUS, NATIONAL_INDEX_BUS],
        "sender": config.ses_sender,
        "env": {
            "TABLE_NAME": config.table_name,
            "AUDIT_TABLE_NAME": config.audit_table_name,
            "IDEMPOTENCY_TABLE_NAME": config.idempotency_table_name,
            "PSEUDONYM_KEY_PARAMETER": "/bench/pseudonym-key",
            "NATIONAL_PSEUDONYM_KEY_PARAMETER": "/bench/national-pseudonym-key",
            "BRP_MODE": "fake",
            "SES_SENDER": config.ses_sender,
            "NATIONAL_BUS_ARN": f"arn:aws:events:eu-west-1:123456789012:event-bus/{NATIONAL_BUS}",
            "SESSION_TABLE_NAME": "bench-sessions",
            # The national index's function (its own stack; the same environment does no harm).
            "NATIONAL_TABLE_NAME": national_table["TableName"],
            "NATIONAL_BUS_NAME": NATIONAL_INDEX_BUS,
            "NATIONAL_REGIONS": json.dumps(
                {
                    settings.region_code: {"account": ACCOUNT, "display_name": "Regio", "municipalities": ["0363"]},
                    "elders": {"account": "210987654321", "display_name": "Elders", "municipalities": ["0344"]},
                }
            ),
            "COGNITO_DOMAIN": "https://bench.auth.eu-west-1.amazoncognito.com",
            "COGNITO_CLIENT_ID": "bench-client",
            "COGNITO_ISSUER": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_bench",
            "PORTAL_PUBLIC_ORIGIN": "https://portaal.bench.example.org",
        },
    }


def row(name: str, figures: Figures, note: str = "") -> str:
    return f"{name:30} {figures.imports.cell()}   {figures.cold.cell()}   {note}".rstrip()


def main() -> None:
    from infra.deployed import deployed_handlers

    chosen = sys.argv[1:] or deployed_handlers()
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as work:
        Path(work, f"{FLOOR_MODULE}.py").write_text(FLOOR_SOURCE, encoding="utf-8")
        seed = scenario()
        seed_file = Path(work, "scenario.json")
        seed_file.write_text(json.dumps(seed, default=str), encoding="utf-8")
        os.chdir(work)  # the children's first path entry is their working directory: nothing of ours
        path = os.pathsep.join([work, str(FUNCTIONS), str(ROOT)])
        env = lambda_env(Path(work, "pycache"), {**seed["env"], "PYTHONPATH": path})
        variants = [Variant(module) for module in chosen]
        extra = [Variant(module, bytecode=True) for module in SHOWCASE if module in chosen]
        extra += [Variant(module, traced=True, first=False) for module in TRACED if module in chosen]
        # Streams side by side, each with its own floor runs, caches and moto host: CPU time does not
        # count the others, and the bench ends sooner on a machine with cores to spare.
        everything = variants + extra
        streams = [everything[i::JOBS] for i in range(min(JOBS, len(everything)))]
        runners = [Runner(Path(work), env, seed_file, name=f"-{i + 1}") for i in range(len(streams))]
        try:
            with ThreadPoolExecutor(len(streams)) as pool:
                with_first = set(seed["entries"])
                parts = pool.map(lambda part: rounds(part[0], part[1], with_first), zip(runners, streams, strict=True))
                figures = {variant: found for part in parts for variant, found in part.items()}
        finally:
            for runner in runners:
                runner.close()
        print(f"cold start, fresh processes, {RUNS} paired runs each, medians; ratio = entry point / floor, per pair")
        print("floor: import boto3 + Powertools Logger, Metrics, APIGatewayRestResolver; first call: one GetItem")
        print(f"{'entry point':30} {'import ms':>9} {'ratio':>7}   {'+first ms':>9} {'ratio':>7}")
        for variant in variants:
            mine = figures[variant]
            print(row(variant.label, mine, "" if mine.cold.mine else "(import only: no first event, see below)"))
        floor_import = [f for v in variants for f in figures[v].imports.floor]
        floor_cold = [f for v in variants for f in figures[v].cold.floor]
        line = f"{'floor':30} {statistics.median(floor_import) * 1000:7.0f}  1.00x"
        print(f"{line}   {statistics.median(floor_cold) * 1000:7.0f}  1.00x")
        for variant in extra:
            note = "(the asset's bytecode for the runtime)" if variant.bytecode else "(where traces are kept)"
            print(row(variant.label, figures[variant], note))
        within = [v.module for v in variants if figures[v].imports.ratio <= TARGET]
        met = ", ".join(within) or "none"
        print(f"target: every entry point's import within {TARGET:.2f}x of the floor")
        print(f"met by {len(within)} of {len(variants)}: {met}")
        missing = sorted({v.module for v in variants} - set(seed["entries"]))
        if missing:
            print(f"no first event: {', '.join(missing)} ({NO_EVENT})")
        print(f"bench time: {time.monotonic() - began:.0f} s of wall time")


if __name__ == "__main__":
    main()
