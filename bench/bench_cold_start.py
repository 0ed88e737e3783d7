"""Cold start of every Lambda entry point against a floor, in fresh processes, paired run by run.

The floor is the least a Powertools REST function pays: `import boto3`, Logger, Metrics and
APIGatewayRestResolver, with one route that reads one DynamoDB item. Two figures per entry point:

- import: the module import alone, in a fresh interpreter with the environment of a function whose
  traces are not kept (as deployed: POWERTOOLS_TRACE_DISABLED), timed inside the process.
- import + first invocation: what Lambda's first request pays (Lambda-shaped cold start): the
  import, then one realistic first event on moto, with the composition root, the first boto3 client
  and the pseudonym keys read from SSM through Powertools Parameters. moto itself (and with it
  boto3 and botocore) is loaded before the clock starts, for the floor as for the handler, so this
  figure leaves out boto3's import on both sides.

Each run starts the floor and the entry point one after the other (alternating which goes first);
the ratio is taken pair by pair and the median is printed. Libraries run from compiled bytecode
(a warm-up run writes it), as the runtime's and the Powertools layer's do; the project's own modules
are compiled afresh in every run, as in Lambda, whose asset carries no bytecode for its Python.
Prints figures and ratios, asserts nothing. `BENCH_RUNS` sets the runs per figure (at least 10);
arguments select entry points.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
sys.path[:0] = [str(ROOT), str(FUNCTIONS)]
RUNS = max(10, int(os.environ.get("BENCH_RUNS", "10")))

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

IMPORT_ONLY = """
import importlib, sys, time
start = time.perf_counter()
importlib.import_module(sys.argv[1])
print(time.perf_counter() - start)
"""

# Seeds moto from the scenario file with a boto3 session of its own (so the handler's first client
# loads its service model itself), then times the import and the first invocation.
FIRST_INVOCATION = """
import importlib, json, sys, time, uuid
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
for name, value in scenario["parameters"].items():
    ssm.put_parameter(Name=name, Value=value, Type="SecureString")


class Context:
    function_name = "cold-start"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:cold-start"
    aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self):
        return 30_000


entry = scenario["entries"][sys.argv[2]]
start = time.perf_counter()
module = importlib.import_module(entry["module"])
imported = time.perf_counter()
answer = module.lambda_handler(entry["event"], Context())
done = time.perf_counter()
status = answer.get("statusCode") if isinstance(answer, dict) else None
failures = answer.get("batchItemFailures") if isinstance(answer, dict) else None
if entry["expect"] == "status" and status not in entry["statuses"]:
    raise SystemExit(f"unexpected answer {status}: {answer.get('body')}")
if entry["expect"] == "batch" and failures:
    raise SystemExit(f"records failed: {failures}")
print(json.dumps({"import": imported - start, "first": done - imported}))
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


def entry_points() -> list[str]:
    """Every module under functions/ (outside the shared package) that defines a Lambda handler."""
    found = []
    for path in sorted(FUNCTIONS.glob("*/*.py")):
        if path.parent.name != "verwijsindex" and "def lambda_handler(" in path.read_text(encoding="utf-8"):
            found.append(f"{path.parent.name}.{path.stem}")
    return found


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
        return f"{statistics.median(self.mine) * 1000:7.0f} {self.ratio:6.2f}x"


def run(args: list[str], env: dict[str, str]) -> str:
    # The project's own modules without bytecode, as in Lambda; libraries keep theirs.
    shutil.rmtree(Path(env["PYTHONPYCACHEPREFIX"] + str(FUNCTIONS)), ignore_errors=True)
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{args}: {done.stderr.strip()[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def paired(mine: list[str], floor: list[str], env: dict[str, str], parse: Any) -> Pairs:
    pairs = Pairs()
    run(mine, env)  # warm-up: libraries' bytecode
    run(floor, env)
    for n in range(RUNS):
        order = [mine, floor] if n % 2 == 0 else [floor, mine]
        results = {id(args): parse(run(args, env)) for args in order}
        pairs.add(results[id(mine)], results[id(floor)])
    return pairs


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
        "env": {
            "TABLE_NAME": config.table_name,
            "AUDIT_TABLE_NAME": config.audit_table_name,
            "IDEMPOTENCY_TABLE_NAME": config.idempotency_table_name,
            "PSEUDONYM_KEY_PARAMETER": "/bench/pseudonym-key",
            "NATIONAL_PSEUDONYM_KEY_PARAMETER": "/bench/national-pseudonym-key",
            "BRP_MODE": "fake",
            "SES_SENDER": config.ses_sender,
        },
    }


def main() -> None:
    chosen = sys.argv[1:] or entry_points()
    with tempfile.TemporaryDirectory() as work:
        Path(work, f"{FLOOR_MODULE}.py").write_text(FLOOR_SOURCE, encoding="utf-8")
        seed = scenario()
        seed_file = Path(work, "scenario.json")
        seed_file.write_text(json.dumps(seed, default=str), encoding="utf-8")
        os.chdir(work)  # the children's first path entry is their working directory: nothing of ours
        pycache = Path(work, "pycache")
        path = os.pathsep.join([work, str(FUNCTIONS), str(ROOT)])
        env = lambda_env(pycache, {**seed["env"], "PYTHONPATH": path})
        importing = ["-c", IMPORT_ONLY]
        first = ["-c", FIRST_INVOCATION, str(seed_file)]
        print(f"cold start, fresh processes, {RUNS} paired runs each, medians; ratio = entry point / floor, per pair")
        print("floor: import boto3 + Powertools Logger, Metrics, APIGatewayRestResolver; first call: one GetItem")
        print(f"{'entry point':28} {'import ms':>9} {'ratio':>7}   {'import+first ms':>15} {'ratio':>7}")
        floor_import: list[float] = []
        floor_first: list[float] = []
        for module in chosen:
            imports = paired([*importing, module], [*importing, FLOOR_MODULE], env, float)
            floor_import += imports.floor
            row = f"{module:28} {imports.cell()}"
            if module in seed["entries"]:
                cold = paired([*first, module], [*first, FLOOR_MODULE], env, lambda out: sum(json.loads(out).values()))
                floor_first += cold.floor
                row += f"   {cold.cell():>15}"
            else:
                row += "   (no first event: needs the national bus)"
            print(row, flush=True)
        if floor_import:
            line = f"{'floor':28} {statistics.median(floor_import) * 1000:7.0f}  1.00x"
            if floor_first:
                line += f"   {statistics.median(floor_first) * 1000:9.0f}  1.00x"
            print(line)
        traced = lambda_env(pycache, {**seed["env"], "PYTHONPATH": path, "POWERTOOLS_TRACE_DISABLED": "false"})
        with_traces = paired([*importing, "place_signal.handler"], [*importing, FLOOR_MODULE], traced, float)
        print(f"{'place_signal.handler, traced':28} {with_traces.cell()}   (where traces are kept: the X-Ray SDK)")
        print("target: every entry point's import within 1.30x of the floor")


if __name__ == "__main__":
    main()
