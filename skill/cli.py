"""Command line: ``python -m skill serve``, ``validate``, ``simulate`` and ``nlu-eval``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from . import config as config_module
from .content import ContentError


def _validate(args) -> int:
    from .builder import load_checked

    settings = config_module.from_environment()
    try:
        content, model = load_checked(settings)
    except ContentError as exc:
        print("Content or interaction model is invalid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    answers = sum(1 + len(t.variants) for t in content.topics.values())
    intents = model["interactionModel"]["languageModel"]["intents"]
    samples = sum(len(i.get("samples", [])) for i in intents)
    print(
        f"OK: {len(content.topics)} topics, {answers} answers, {len(content.sources)} sources; "
        f"{len(intents)} intents, {samples} sample utterances"
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
        check = spoken_check()
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


def _serve(args) -> int:
    from werkzeug.serving import run_simple

    from . import create_app

    try:
        app = create_app()
    except (config_module.ConfigError, ContentError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    base = f"http://{args.host}:{args.port}"
    print(f"Bone Builder is listening on {base}/alexa", flush=True)
    if app.config["ALEXA_VERIFY_SIGNATURES"] is False and "simulator" in app.blueprints:
        print(f"Simulator: open {base}/simulator in your browser", flush=True)
        graphical = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        if args.open and (graphical or sys.platform == "darwin"):
            import webbrowser

            webbrowser.open(f"{base}/simulator")
    run_simple(args.host, args.port, app, threaded=True)
    return 0


def _simulate(args) -> int:
    from .simulator.cli import run

    return run(args)


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
    model = LanguageModel.from_file(settings["INTERACTION_MODEL"], statistical=not args.strict)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill", description="Bone Builder skill tools")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check content/ and interaction_model.json")
    validate.add_argument(
        "--spoken",
        action="store_true",
        help="also walk the whole skill and time every response with espeak-ng",
    )
    validate.set_defaults(run=_validate)
    serve = sub.add_parser("serve", help="run the webhook on a local development server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--no-open",
        dest="open",
        action="store_false",
        help="do not open the simulator page in a browser",
    )
    serve.set_defaults(run=_serve)
    simulate = sub.add_parser(
        "simulate", help="talk to the skill like Alexa would, or check scripted dialogs"
    )
    from .simulator.cli import add_arguments

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
    nlu_eval.add_argument("--min-accuracy", type=float, default=0.9, metavar="FRACTION")
    nlu_eval.add_argument("--max-false-accepts", type=float, default=0.1, metavar="FRACTION")
    nlu_eval.set_defaults(run=_nlu_eval)
    args = parser.parse_args(argv)
    # The simulator's and the spoken walk's skill run with verification off on purpose:
    # keep their log quiet.
    quiet = (args.command == "simulate" and not args.verbose) or getattr(args, "spoken", False)
    logging.basicConfig(
        level=logging.ERROR if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return args.run(args)
