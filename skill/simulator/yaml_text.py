"""YAML for dialog files and annotation sets. PyYAML comes with the ``simulator`` extra: the
webhook never reads YAML, so the skill itself does not depend on it."""

from __future__ import annotations


class YamlUnavailable(ValueError):
    """PyYAML is not installed; the message says how to install it."""


def parse(text: str) -> object:
    """The document in ``text``; ValueError if it is not YAML or PyYAML is missing."""
    try:
        import yaml
    except ImportError as exc:
        raise YamlUnavailable(
            "reading YAML needs PyYAML: pip install 'bone-builder[simulator]'"
        ) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from exc
