"""Deployment: what it takes to run the skill somewhere other than this checkout.

``skill_package`` writes the ASK CLI project (``skill.json``, a model per locale, the
``icons`` drawn from ``assets/``); ``lambda_bundle`` builds the AWS Lambda code folder and
``aws_lambda`` is the function it runs. The entry points that deployed configurations
name stay at the top of the package, where they have always been: ``skill.wsgi:app``
(gunicorn) and ``skill.lambda_function.handler`` (Lambda).
"""
