"""Command line: ``python -m skill serve``, ``validate``, ``simulate``, ``nlu-eval``,
``package``, ``lambda-bundle`` and ``db``."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import socket
import sys
import tempfile
from pathlib import Path

from . import config as config_module
from .config import Settings
from .content.model import ContentError

VERIFICATION_NOTE = (
    "Request verification (Alexa's signature, the timestamp and the skill id) is on by "
    "default, and then ALEXA_SKILL_ID must be set. ALEXA_VERIFY_SIGNATURES=0 turns it off for "
    "local testing and opens the simulator page at /simulator; bin/serve does that."
)
STAND_IN_ENDPOINT = "https://bone-builder.example.com/alexa"


def _print_problems(heading: str, problems: list[str]) -> None:
    print(heading, file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def _package_parts(settings: Settings, endpoint_uri: str | None, certificate: str, privacy: str | None):
    """(endpoint, document, models, problems) for the skill package, from checked content."""
    from .content.listing import load_listing
    from .deploy.skill_package import Endpoint, build_manifest, check_package, locale_models

    listing = load_listing(settings.content_dir)
    endpoint = Endpoint.parse(endpoint_uri, certificate)
    document = build_manifest(listing, endpoint, endpoint.privacy_url(privacy))
    models = locale_models(settings.interaction_model)
    return endpoint, document, models, check_package(document, models, listing)


def _validate(args) -> int:
    from .builder import load_checked, stamp_checked
    from .deploy.skill_package import ENDPOINT_VARIABLE, PRIVACY_URL_VARIABLE, PackageError

    settings = config_module.from_environment()
    try:
        content, model = load_checked(settings.content_dir, settings.interaction_model)
        _, document, models, problems = _package_parts(
            settings,
            os.environ.get(ENDPOINT_VARIABLE) or STAND_IN_ENDPOINT,
            "Trusted",
            os.environ.get(PRIVACY_URL_VARIABLE),
        )
    except ContentError as exc:
        _print_problems("Content or interaction model is invalid:", exc.problems)
        return 1
    except PackageError as exc:
        _print_problems("The skill package cannot be made:", [str(exc)])
        return 1
    if problems:
        _print_problems("The skill package would be refused:", problems)
        return 1
    stamp_checked(settings.content_dir, settings.interaction_model)
    answers = sum(1 + len(t.variants) for t in content.topics.values())
    intents = model["interactionModel"]["languageModel"]["intents"]
    samples = sum(len(i.get("samples", [])) for i in intents)
    locales = document["manifest"]["publishingInformation"]["locales"]
    phrases = sum(len(entry["examplePhrases"]) for entry in locales.values())
    print(
        f"OK: {len(content.topics)} topics, {answers} answers, {len(content.sources)} sources, "
        f"worded for {len(content.by_locale)} locales; "
        f"{len(intents)} intents, {samples} sample utterances; skill package: "
        f"{len(models)} locales, {phrases} example phrases, each reaching its intent"
    )
    return _spoken() if args.spoken else 0


def _spoken() -> int:
    """Walk the whole skill, time every response with espeak-ng, and hold each to its budget."""
    from .simulator.budgets import spoken_check
    from .simulator.speech import espeak_available
    from .simulator.walk import WalkError

    if not espeak_available():
        print("espeak-ng is not installed, so spoken length cannot be measured", file=sys.stderr)
        return 1
    try:
        with _walkable_app() as app:
            check = spoken_check(app)
    except WalkError as exc:
        print(f"The walk through the skill failed: {exc}", file=sys.stderr)
        return 1
    print("\n".join(check.summary))
    if check.problems:
        print(f"{len(check.problems)} over the spoken budget:", file=sys.stderr)
        for problem in check.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("OK: every response is within its spoken budget")
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound before anything says the server is up."""
    from werkzeug.serving import select_address_family

    return socket.create_server((host, port), family=select_address_family(host, port))


def _serve(args) -> int:
    from werkzeug.serving import make_server

    from . import create_app

    settings = config_module.from_environment()
    local = {}
    if not settings.verify_signatures and not settings.public_base_url:
        # Served locally: progress charts link back to this server, signed with a secret
        # made for this run (one process, so every link is checked with the same one).
        import secrets

        local = {
            "PUBLIC_BASE_URL": f"http://{args.host}:{args.port}",
            "CHART_SECRET": settings.chart_secret or secrets.token_urlsafe(32),
        }
    try:
        app = create_app(local)
    except (config_module.ConfigError, ContentError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    try:
        listener = _listen(args.host, args.port)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno == errno.EADDRINUSE:
            reason = (
                "the port is already in use (is Bone Builder already running? "
                f"choose another with --port {args.port + 1})"
            )
        print(f"Cannot start on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 1
    with listener:
        server = make_server(args.host, args.port, app, threaded=True, fd=listener.fileno())
    base = f"http://{args.host}:{server.port}"
    print(f"Bone Builder is listening on {base}/alexa", flush=True)
    verifying = app.extensions["bone_builder"].settings.verify_signatures
    if not verifying and "simulator" in app.blueprints:
        print(f"Simulator: open {base}/simulator in your browser", flush=True)
        graphical = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        if args.open and (graphical or sys.platform == "darwin"):
            import webbrowser

            webbrowser.open(f"{base}/simulator")
    server.serve_forever()  # returns on Ctrl-C, without a traceback
    return 0


def _local_app():
    """The skill as the simulator talks to it in this process: verification off, progress
    in ``DATABASE_URL`` (or ``instance/``), brought up to the newest tables first."""
    from . import create_app
    from .store.migrations import upgrade

    upgrade(config_module.from_environment().database_url)
    return create_app({"ALEXA_VERIFY_SIGNATURES": False, "ALEXA_SKILL_ID": None})


@contextlib.contextmanager
def _walkable_app():
    """A skill built from the environment's settings with verification off and a temporary
    SQLite file, for one walk through it."""
    from . import create_app
    from .store.migrations import upgrade

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'walk.sqlite3'}"
        upgrade(url)
        app = create_app(
            {"ALEXA_VERIFY_SIGNATURES": False, "ALEXA_SKILL_ID": None, "DATABASE_URL": url}
        )
        try:
            yield app
        finally:
            app.extensions["bone_builder"].persistence.engine.dispose()


def _simulate(args) -> int:
    from .simulator.cli import run

    return run(args, _local_app)


def _nlu_eval(args) -> int:
    from .simulator import evaluation
    from .simulator.nlu import LanguageModel

    try:
        cases = [case for name in args.files for case in evaluation.load(name)]
    except evaluation.AnnotationError as exc:
        print(f"Cannot evaluate: {exc}", file=sys.stderr)
        return 1
    if args.export:
        Path(args.export).write_text(
            json.dumps(evaluation.to_annotation_set(cases), indent=2) + "\n", encoding="utf-8"
        )
        print(f"Wrote {len(cases)} annotations to {args.export}")
        return 0
    settings = config_module.from_environment()
    model = LanguageModel.from_file(settings.interaction_model, statistical=not args.strict)
    report = evaluation.evaluate(model, cases)
    print(evaluation.render(report, model))
    failures = []
    if report.accuracy < args.min_accuracy:
        failures.append(f"in-domain accuracy {report.accuracy:.1%} < {args.min_accuracy:.0%}")
    if report.false_accept_rate > args.max_false_accepts:
        failures.append(
            f"out-of-domain false accepts {report.false_accept_rate:.1%} "
            f"> {args.max_false_accepts:.0%}"
        )
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _lambda_env(pairs: list[str]) -> dict[str, str]:
    from .deploy.skill_package import PackageError

    env = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.isidentifier():
            raise PackageError(f"--lambda-env {pair!r}: give NAME=VALUE")
        env[name] = value
    return env


def _package(args) -> int:
    from .builder import load_checked
    from .deploy.skill_package import BUNDLE_FOLDER, PackageError, write_package

    settings = config_module.from_environment()
    try:
        load_checked(settings.content_dir, settings.interaction_model)
        env = _lambda_env(args.lambda_env)
        endpoint, document, models, problems = _package_parts(
            settings, args.endpoint, args.certificate, args.privacy_url
        )
        if not problems:
            write_package(args.out, document, models, endpoint, env)
    except ContentError as exc:
        _print_problems("Content or interaction model is invalid:", exc.problems)
        return 1
    except PackageError as exc:
        print(f"Cannot make the skill package: {exc}", file=sys.stderr)
        return 1
    if problems:
        _print_problems("The skill package would be refused:", problems)
        return 1
    print(
        f"Wrote {args.out}: skill-package/ (skill.json, icons and interaction models for "
        f"{', '.join(models)}) and ask-resources.json."
    )
    if endpoint.deployed_by_ask:
        bundle = args.out / BUNDLE_FOLDER
        if not (bundle / "bone-builder-bundle.json").exists():
            print(f"Next: python -m skill lambda-bundle --out {bundle}")
        print(f"To deploy the skill and its Lambda function: cd {args.out} && ask deploy")
    else:
        print(f"To deploy: cd {args.out} && ask deploy --target skill-metadata")
    if document["manifest"]["privacyAndCompliance"]["locales"]["en-US"] == {}:
        print(
            "No privacy notice address: fine while you develop; certification needs one "
            "(--privacy-url https://...)."
        )
    return 0


def _lambda_bundle(args) -> int:
    from .deploy.lambda_bundle import BundleError, Target, build

    try:
        target = Target.parse(args.python, args.arch)
        print(f"Building the Lambda bundle for {target.runtime} ({target.arch})...", flush=True)
        bundle = build(args.out, target, args.out.with_suffix(".zip") if args.zip else None)
    except BundleError as exc:
        print(f"Cannot build the Lambda bundle: {exc}", file=sys.stderr)
        return 1
    print(bundle.summary())
    if bundle.zip_path:
        print(f"Zip: {bundle.zip_path}")
    return 0


def _add_lambda_bundle_command(sub) -> None:
    from .deploy.lambda_bundle import GLIBC_OF, HANDLER, MACHINE_OF

    bundle = sub.add_parser(
        "lambda-bundle",
        help="build the AWS Lambda code folder: the skill and its runtime dependencies",
        description="Build the code folder for AWS Lambda from this source tree: the skill "
        "with its content and model, and its runtime dependencies (with psycopg) installed "
        "by pip for Lambda's platform. Prints the unzipped and zipped sizes.",
        epilog=f"The function's handler is {HANDLER}.",
    )
    bundle.add_argument(
        "--out",
        type=Path,
        default=Path("build") / "skill-package" / "lambda",
        help="the folder to build into, replaced if it holds an earlier bundle "
        "(default: %(default)s, where `package` points ask deploy)",
    )
    bundle.add_argument(
        "--python",
        choices=list(GLIBC_OF),
        help="the Lambda runtime's Python (default: this interpreter's)",
    )
    bundle.add_argument(
        "--arch",
        choices=list(MACHINE_OF),
        default="x86_64",
        help="the function's architecture (default: %(default)s)",
    )
    bundle.add_argument(
        "--zip", action="store_true", help="also write the folder as OUT.zip, to upload"
    )
    bundle.set_defaults(run=_lambda_bundle)


def _database_url(args) -> str | None:
    return args.database_url or config_module.from_environment().database_url


def _db_upgrade(args) -> int:
    from .store.migrations import current, upgrade

    url = _database_url(args)
    try:
        upgrade(url)
        print(f"The database is at revision {current(url)}.")
    except Exception as exc:
        print(f"Cannot upgrade the database: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _db_forget(args) -> int:
    from .store import habit_log
    from .store.persistence import SqlPersistenceAdapter, StorageUnavailable, make_engine

    adapter = SqlPersistenceAdapter(make_engine(_database_url(args), busy_timeout_ms=30_000))
    try:
        with adapter.reading() as conn:
            kept = habit_log.kept_reminders(conn, args.user_id)
        gone = adapter.forget(args.user_id)
    except StorageUnavailable as exc:
        print(f"Cannot reach the database ({exc}); nothing was deleted.", file=sys.stderr)
        return 1
    finally:
        adapter.engine.dispose()
    print(f"Forgot that person: {gone} row(s) deleted." if gone else "Nothing was kept.")
    if kept:
        # Deleting a reminder needs an access token from Alexa, which only a request brings.
        print(
            f"They had {len(kept)} reminder(s) from the skill on their Alexa account: "
            "the skill can delete those only while the person talks to it (\"forget my "
            "history\" does). They can delete them in the Alexa app, and disabling the skill "
            "removes them."
        )
    return 0


def _add_db_commands(sub) -> None:
    db = sub.add_parser(
        "db",
        help="the training log's database: upgrade it, or forget a person",
        description="Work on the database at DATABASE_URL (a SQLite file in instance/ when unset).",
    )
    db.add_argument("--database-url", help="the database (default: $DATABASE_URL)")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser(
        "upgrade",
        help="create or migrate the tables (run before starting a new version)",
    )
    upgrade.set_defaults(run=_db_upgrade)
    forget = db_sub.add_parser(
        "forget", help="delete everything kept about one person (a userId or personId)"
    )
    forget.add_argument("user_id", metavar="USER_ID")
    forget.set_defaults(run=_db_forget)


def _parser() -> argparse.ArgumentParser:
    from .deploy.skill_package import (
        CERTIFICATE_TYPES,
        DEFAULT_OUT,
        ENDPOINT_VARIABLE,
        PRIVACY_URL_VARIABLE,
    )
    from .simulator.cli import add_arguments

    parser = argparse.ArgumentParser(prog="python -m skill", description="Bone Builder skill tools")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser(
        "validate",
        help="check content/, interaction_model.json and the skill package",
        description="Check content/, interaction_model.json and the skill package made from "
        f"them. Set {ENDPOINT_VARIABLE} to check the endpoint too.",
    )
    validate.add_argument(
        "--spoken",
        action="store_true",
        help="also walk the whole skill, time every response with espeak-ng, and hold each to "
        "its turn budget",
    )
    validate.set_defaults(run=_validate)

    serve = sub.add_parser(
        "serve",
        help="run the webhook on a local development server",
        description="Run the webhook (POST /alexa) on a local development server.",
        epilog=VERIFICATION_NOTE,
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; 0.0.0.0 for every network (default: %(default)s, this "
        "machine only)",
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--no-open",
        dest="open",
        action="store_false",
        help="do not open the simulator page in a browser",
    )
    serve.set_defaults(run=_serve)

    simulate = sub.add_parser(
        "simulate",
        help="talk to the skill like Alexa would, or check scripted dialogs",
        description="Talk to the skill like Alexa would: typed words become Alexa requests.",
        epilog="The skill runs in this process with verification off, unless --url is given.",
    )
    add_arguments(simulate)
    simulate.set_defaults(run=_simulate)

    nlu_eval = sub.add_parser(
        "nlu-eval",
        help="score the simulator's understanding on annotated utterances (YAML or Amazon's "
        "annotation-set JSON)",
    )
    nlu_eval.add_argument("files", nargs="+", metavar="FILE")
    nlu_eval.add_argument("--strict", action="store_true", help="exact sample matching only")
    nlu_eval.add_argument(
        "--export", metavar="OUT", help="write the cases as an annotation set (JSON) and stop"
    )
    nlu_eval.add_argument(
        "--min-accuracy",
        type=float,
        default=0.9,
        metavar="FRACTION",
        help="fail below this in-domain accuracy (default: %(default)s)",
    )
    nlu_eval.add_argument(
        "--max-false-accepts",
        type=float,
        default=0.1,
        metavar="FRACTION",
        help="fail above this out-of-domain false-accept rate (default: %(default)s)",
    )
    nlu_eval.set_defaults(run=_nlu_eval)

    package = sub.add_parser(
        "package",
        help="write the ASK CLI project: skill.json, icons, an interaction model per locale "
        "and ask-resources.json",
        description="Write the ASK CLI project that `ask deploy` deploys: skill.json, the "
        "icons, one interaction model per locale, and ask-resources.json (with ASK CLI's "
        "Lambda deployer unless --endpoint is given). Needs no Amazon account.",
    )
    package.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="folder to write the ASK CLI project into (default: %(default)s)",
    )
    package.add_argument(
        "--endpoint",
        default=os.environ.get(ENDPOINT_VARIABLE),
        help="where Alexa sends requests: https://your-host/alexa, or an existing AWS Lambda "
        f"function's ARN (default: ${ENDPOINT_VARIABLE}; without either, ask deploy creates "
        "the function from the Lambda bundle and fills the endpoint in)",
    )
    package.add_argument(
        "--lambda-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the function ask deploy creates (ALEXA_SKILL_ID, "
        "DATABASE_URL), kept in ask-resources.json; repeat for more",
    )
    package.add_argument(
        "--certificate",
        choices=CERTIFICATE_TYPES,
        default="Trusted",
        help="the HTTPS endpoint's certificate type (default: %(default)s)",
    )
    package.add_argument(
        "--privacy-url",
        default=os.environ.get(PRIVACY_URL_VARIABLE),
        help=f"the privacy notice's address (default: ${PRIVACY_URL_VARIABLE}, else /privacy "
        "on an HTTPS endpoint's host, which the web app serves; certification needs one)",
    )
    package.set_defaults(run=_package)
    _add_lambda_bundle_command(sub)
    _add_db_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # The simulator's own skill runs with verification off on purpose: keep its log quiet.
    quiet = args.command in ("simulate", "package", "validate") and not getattr(
        args, "verbose", False
    )
    logging.basicConfig(
        level=logging.ERROR if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader went away (``simulate --json | head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
