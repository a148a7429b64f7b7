"""The content model: what the skill can say, read from ``content/`` and checked.

``model`` holds the typed, frozen values (topics, programs, lines, safety); ``loader``
reads ``content/`` into them against ``content/schema.json`` and ``speech_rules``;
``localized`` gives each locale (``locales``) its own words; ``model_check`` holds
``interaction_model.json`` to Alexa's rules and to the content; ``listing`` is the store
listing and privacy notice.
"""
