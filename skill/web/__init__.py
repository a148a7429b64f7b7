"""The web face: how a request comes in and an answer goes out.

``webhook`` serves ``POST /alexa`` and the health checks; ``verify`` and ``shape`` admit
only genuine, well-formed requests (``rejected`` is how one is turned away); ``dispatch``
hands an envelope to the built skill, for the web app and the Lambda function alike, and
``codec`` reads and writes the SDK's models; ``envelopes`` builds requests the way Alexa
sends them. ``privacy_notice`` and ``chart_route`` serve the privacy notice and the
progress charts (``charts``).
"""
