"""Alexa's Reminders and Settings APIs, through ask-sdk-model's own service clients.

Each call goes to the request's ``apiEndpoint`` with its ``apiAccessToken`` (the SDK's
``ServiceClientFactory`` builds the clients from the envelope), over the skill's
``TimedApiClient`` (``skill.alexa_api``: under a second a call). Every failure becomes one
``ApiFailure`` whose ``kind`` says which honest line to speak: "refused" (401, 403),
"busy" (429), "missing" (404) or "down" (5xx, a timeout, no answer, no endpoint).

One call is not made through the SDK: listing the reminders. ask-sdk-model (1.82) cannot
read a reminder back: ``AlertInfo`` names a class in a module that does not exist
(``reminder_management.alert_info_spoken_info``), so every ``get_reminders`` answer that
holds a reminder fails to deserialize. The list is fetched with the same ``ApiClient`` and
read as plain JSON; only the alert tokens and recurrence rules are needed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.services import ApiClientRequest, ServiceException
from ask_sdk_model.services.reminder_management import (
    AlertInfo,
    PushNotification,
    PushNotificationStatus,
    Recurrence,
    ReminderRequest,
    SpokenInfo,
    SpokenText,
    Trigger,
    TriggerType,
)

from skill.alexa_api import TimedApiClient

from ..request import system_of
from .schedule import Schedule, from_rule

log = logging.getLogger(__name__)


class ApiFailure(Exception):
    """A call to Alexa's APIs that did not succeed; ``kind`` says how."""

    def __init__(self, kind: str, status: int | None = None):
        super().__init__(kind)
        self.kind = kind
        self.status = status


@dataclass(frozen=True)
class Kept:
    """One of the skill's reminders as the Reminders API holds it."""

    token: str
    schedule: Schedule | None


def _kind(status: int | None) -> str:
    if status in (401, 403):
        return "refused"
    if status == 429:
        return "busy"
    if status == 404:
        return "missing"
    return "down"


def _system(handler_input: HandlerInput) -> SystemState:
    return system_of(handler_input)


class AlexaApis:
    """The calls the skill makes; each raises ``ApiFailure`` instead of failing the turn.
    ``client`` sends the one call made without a service client (see above)."""

    def __init__(self, client=None):
        self.client = client or TimedApiClient()

    @staticmethod
    def reachable(handler_input: HandlerInput) -> bool:
        system = _system(handler_input)
        return bool(getattr(system, "api_endpoint", None)) and bool(
            getattr(system, "api_access_token", None)
        )

    def _call(self, handler_input: HandlerInput, what: str, call):
        if not self.reachable(handler_input) or handler_input.service_client_factory is None:
            raise ApiFailure("down")
        try:
            return call(handler_input.service_client_factory)
        except ServiceException as exc:
            status = exc.status_code if isinstance(exc.status_code, int) else None
            log.warning("Alexa's API failed (%s): %s", what, status)
            raise ApiFailure(_kind(status), status) from None
        except Exception as exc:  # a body the SDK can't read, or no service client
            log.warning("Alexa's API failed (%s): %s", what, type(exc).__name__)
            raise ApiFailure("down") from None

    def time_zone(self, handler_input: HandlerInput) -> str:
        """The device's time zone ("Europe/London"), from the Settings API."""
        device = _system(handler_input).device
        device_id = getattr(device, "device_id", None)
        if not device_id:
            raise ApiFailure("down")
        zone = self._call(
            handler_input,
            "time zone",
            lambda f: f.get_ups_service().get_system_time_zone(device_id),
        )
        if not isinstance(zone, str):
            raise ApiFailure("down")
        return zone

    def reminders(self, handler_input: HandlerInput) -> list[Kept]:
        """The reminders this skill has made for this person (``GET /v1/alerts/reminders``)."""
        if not self.reachable(handler_input):
            raise ApiFailure("down")
        system = _system(handler_input)
        request = ApiClientRequest(
            url=(system.api_endpoint or "").rstrip("/") + "/v1/alerts/reminders",
            method="GET",
            headers=[
                ("Authorization", f"Bearer {system.api_access_token}"),
                ("Accept", "application/json"),
            ],
        )
        try:
            response = self.client.invoke(request)
            status = response.status_code
            found = json.loads(response.body) if 200 <= status < 300 else None
        except Exception as exc:  # no answer, or an answer that is not JSON
            log.warning("Alexa's API failed (list reminders): %s", type(exc).__name__)
            raise ApiFailure("down") from None
        if found is None:
            log.warning("Alexa's API failed (list reminders): %s", status)
            raise ApiFailure(_kind(status), status)
        kept = []
        alerts = found.get("alerts") if isinstance(found, dict) else None
        for alert in alerts if isinstance(alerts, list) else []:
            token = alert.get("alertToken") if isinstance(alert, dict) else None
            if not isinstance(token, str):
                continue
            recurrence = (alert.get("trigger") or {}).get("recurrence") or {}
            rules = recurrence.get("recurrenceRules") if isinstance(recurrence, dict) else None
            rules = rules if isinstance(rules, list) else []
            kept.append(Kept(token, next(filter(None, map(from_rule, rules)), None)))
        return kept

    def create(self, handler_input: HandlerInput, request: ReminderRequest) -> str:
        made = self._call(
            handler_input,
            "create a reminder",
            lambda f: f.get_reminder_management_service().create_reminder(request),
        )
        token = getattr(made, "alert_token", None)
        if not isinstance(token, str):
            raise ApiFailure("down")
        return token

    def update(self, handler_input: HandlerInput, token: str, request: ReminderRequest) -> None:
        self._call(
            handler_input,
            "update a reminder",
            lambda f: f.get_reminder_management_service().update_reminder(token, request),
        )

    def delete(self, handler_input: HandlerInput, token: str) -> None:
        self._call(
            handler_input,
            "delete a reminder",
            lambda f: f.get_reminder_management_service().delete_reminder(token),
        )


def reminder_request(
    schedule: Schedule, zone: str, locale: str, text: str, now: dt.datetime
) -> ReminderRequest:
    """A weekly reminder on ``schedule`` in ``zone``, saying ``text``: the API's current
    ``recurrenceRules`` form, starting today. ``now`` is the time where the person is."""
    local = now.replace(tzinfo=None, microsecond=0)
    return ReminderRequest(
        request_time=local,
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            time_zone_id=zone,
            recurrence=Recurrence(
                start_date_time=dt.datetime.combine(local.date(), dt.time()),
                recurrence_rules=[schedule.rule],
            ),
        ),
        alert_info=AlertInfo(
            spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=text)])
        ),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )
