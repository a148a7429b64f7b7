"""A local Alexa simulator: typed words in, the skill's answers out, no Amazon account.

``nlu`` understands utterances from ``interaction_model.json`` in two tiers: exact sample
matches, then a classifier (``classifier``, ``embedding``, ``training``, ``slot_filling``);
``evaluation`` scores it on annotated utterances; ``core`` builds the request envelopes and
talks to the skill in-process or over HTTP; ``dialogs`` runs scripted conversations;
``speech`` renders and times what Alexa would say.
"""
