"""Command line: ``python -m skill serve``, ``validate``, ``simulate`` and ``package``."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import statistics
import sys
from pathlib import Path

from . import config as config_module
from .content import ContentError

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


def _package_parts(settings: dict, endpoint_uri: str | None, certificate: str, privacy: str | None):
    """(document, models, listing, problems) for the skill package, from checked content."""
    from .listing import load_listing
    from .skill_package import Endpoint, build_manifest, check_package, locale_models

    listing = load_listing(settings["CONTENT_DIR"])
    endpoint = Endpoint.parse(endpoint_uri, certificate)
    document = build_manifest(listing, endpoint, endpoint.privacy_url(privacy))
    models = locale_models(settings["INTERACTION_MODEL"])
    return document, models, check_package(document, models, listing)


def _validate(args) -> int:
    from .builder import load_checked
    from .skill_package import ENDPOINT_VARIABLE, PRIVACY_URL_VARIABLE, PackageError

    settings = config_module.from_environment()
    try:
        content, model = load_checked(settings)
        document, models, problems = _package_parts(
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
    if args.spoken:
        timings = _spoken_timings(content)
        if isinstance(timings, str):
            _print_problems("Spoken length cannot be measured:", [timings])
            return 1
        over = _over_budget(timings)
        print(_spoken_summary(timings))
        if over:
            _print_problems("Answers over the spoken-length budget:", over)
            return 1
    answers = sum(1 + len(t.variants) for t in content.topics.values())
    intents = model["interactionModel"]["languageModel"]["intents"]
    samples = sum(len(i.get("samples", [])) for i in intents)
    locales = document["manifest"]["publishingInformation"]["locales"]
    phrases = sum(len(entry["examplePhrases"]) for entry in locales.values())
    print(
        f"OK: {len(content.topics)} topics, {answers} answers, {len(content.sources)} sources; "
        f"{len(intents)} intents, {samples} sample utterances; skill package: "
        f"{len(models)} locales, {phrases} example phrases, each reaching its intent"
    )
    return 0


def _spoken_timings(content) -> list[tuple[str, float]] | str:
    """(entry, seconds) for every answer's speech, timed with espeak-ng as --speak does."""
    from .simulator.speech import espeak_available, spoken_seconds

    if not espeak_available():
        return "espeak-ng is not installed (Debian: apt-get install espeak-ng)"
    timings = []
    for topic in content.topics.values():
        answers = {topic.id: topic.answer}
        answers.update({f"{topic.id}/{k}": v for k, v in topic.variants.items()})
        for entry, answer in answers.items():
            timings.append((entry, spoken_seconds(answer.speech)))
    return timings


def _over_budget(timings: list[tuple[str, float]]) -> list[str]:
    from .content import SPEECH_SECONDS_BUDGET

    return [
        f"content/topics/{entry.split('/')[0]}.json: entry '{entry}', field 'speech': "
        f"{seconds:.1f} s spoken, over the {SPEECH_SECONDS_BUDGET} s budget"
        for entry, seconds in timings
        if seconds > SPEECH_SECONDS_BUDGET
    ]


def _spoken_summary(timings: list[tuple[str, float]]) -> str:
    from .content import SPEECH_SECONDS_BUDGET
    from .simulator.speech import ESPEAK_WORDS_PER_MINUTE

    longest_entry, longest = max(timings, key=lambda t: t[1])
    median = statistics.median(seconds for _, seconds in timings)
    within = sum(seconds <= SPEECH_SECONDS_BUDGET for _, seconds in timings)
    return (
        f"Spoken: {len(timings)} answers timed with espeak-ng at {ESPEAK_WORDS_PER_MINUTE} words "
        f"a minute; median {median:.1f} s, longest {longest:.1f} s ({longest_entry}); "
        f"{within} of {len(timings)} within the {SPEECH_SECONDS_BUDGET} s budget"
    )


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound before anything says the server is up."""
    from werkzeug.serving import select_address_family

    return socket.create_server((host, port), family=select_address_family(host, port))


def _serve(args) -> int:
    from werkzeug.serving import make_server

    from . import create_app

    try:
        app = create_app()
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
    if app.config["ALEXA_VERIFY_SIGNATURES"] is False and "simulator" in app.blueprints:
        print(f"Simulator: open {base}/simulator in your browser", flush=True)
        graphical = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        if args.open and (graphical or sys.platform == "darwin"):
            import webbrowser

            webbrowser.open(f"{base}/simulator")
    server.serve_forever()  # returns on Ctrl-C, without a traceback
    return 0


def _simulate(args) -> int:
    from .simulator.cli import run

    return run(args)


def _package(args) -> int:
    from .builder import load_checked
    from .skill_package import PackageError, write_package

    settings = config_module.from_environment()
    try:
        load_checked(settings)
        document, models, problems = _package_parts(
            settings, args.endpoint, args.certificate, args.privacy_url
        )
    except ContentError as exc:
        _print_problems("Content or interaction model is invalid:", exc.problems)
        return 1
    except PackageError as exc:
        print(f"Cannot make the skill package: {exc}", file=sys.stderr)
        return 1
    if problems:
        _print_problems("The skill package would be refused:", problems)
        return 1
    write_package(args.out, document, models)
    print(
        f"Wrote {args.out / 'skill-package'}: skill.json and interaction models for "
        f"{', '.join(models)}.\nTo deploy: cd {args.out} && ask deploy --target skill-metadata"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    from .simulator.cli import add_arguments
    from .skill_package import (
        CERTIFICATE_TYPES,
        DEFAULT_OUT,
        ENDPOINT_VARIABLE,
        PRIVACY_URL_VARIABLE,
    )

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
        help="also time every answer with espeak-ng and print the timings",
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

    package = sub.add_parser(
        "package",
        help="write the ASK CLI skill package: skill.json and an interaction model per locale",
        description="Write the skill package that `ask deploy` uploads: skill.json and one "
        "interaction model per locale. Needs no Amazon account.",
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
        help="where Alexa sends requests: https://your-host/alexa, or an AWS Lambda function "
        f"ARN (default: ${ENDPOINT_VARIABLE})",
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
        "on the endpoint's host, which the web app serves)",
    )
    package.set_defaults(run=_package)
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
