"""The English locales the skill is published in, and the store country of each."""

from __future__ import annotations

COUNTRY_OF = {
    "en-US": "US",
    "en-GB": "GB",
    "en-CA": "CA",
    "en-AU": "AU",
    "en-IN": "IN",
}
LOCALES = tuple(COUNTRY_OF)
