"""AWS Lambda entry point: set the function's handler to ``skill.lambda_function.handler``.

The skill is built here, at import, which is Lambda's init phase: once per container, before
the first request. A setting that is missing stops the init with a message saying which.
"""

import logging

from .deploy.aws_lambda import create_handler

logging.getLogger().setLevel(logging.INFO)

handler = create_handler()
