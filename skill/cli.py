"""Command line: ``python -m skill serve`` and ``python -m skill validate``."""

from __future__ import annotations

import argparse
import logging
import sys

from . import config as config_module
from .content import ContentError


def _validate(_args) -> int:
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
    return 0


def _serve(args) -> int:
    from werkzeug.serving import run_simple

    from . import create_app

    try:
        app = create_app()
    except (config_module.ConfigError, ContentError) as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    print(f"Bone Builder is listening on http://{args.host}:{args.port}/alexa", flush=True)
    run_simple(args.host, args.port, app, threaded=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    parser = argparse.ArgumentParser(prog="python -m skill", description="Bone Builder skill tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check content/ and interaction_model.json").set_defaults(
        run=_validate
    )
    serve = sub.add_parser("serve", help="run the webhook on a local development server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    return args.run(args)
