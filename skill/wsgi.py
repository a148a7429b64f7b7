"""Entry point for production WSGI servers: ``gunicorn skill.wsgi:app``."""

import logging
import sys

from . import create_app
from .config import ConfigError
from .content.model import ContentError
from .store.privacy import RedactingFormatter

_handler = logging.StreamHandler()
_handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
logging.basicConfig(level=logging.INFO, handlers=[_handler])

try:
    app = create_app()
except (ConfigError, ContentError) as exc:
    print(f"Bone Builder cannot start: {exc}", file=sys.stderr, flush=True)
    # Exit status 3 is gunicorn's "worker failed to boot": the server stops instead of
    # restarting the worker forever.
    raise SystemExit(3) from None
