"""Typed reads of a request's parts. ask-sdk-core types every part of an envelope as
optional; an intent request always has them, and so do the attributes of a dispatched one."""

from __future__ import annotations

from typing import Any, cast

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Intent, IntentRequest, Request
from ask_sdk_model.interfaces.system import SystemState


def intent_of(handler_input: HandlerInput) -> Intent:
    """The intent of an intent request (the only requests that carry one)."""
    request = handler_input.request_envelope.request
    assert isinstance(request, IntentRequest), "only intent requests have an intent"
    assert request.intent is not None, "Alexa always names the intent"
    return request.intent


def system_of(handler_input: HandlerInput) -> SystemState:
    """The device, user and API endpoint the request came with (every request has them)."""
    context = handler_input.request_envelope.context
    assert context is not None and context.system is not None
    return context.system


def request_of(handler_input: HandlerInput) -> Request:
    request = handler_input.request_envelope.request
    assert request is not None
    return request


def locale_of(handler_input: HandlerInput) -> str | None:
    request = handler_input.request_envelope.request
    return getattr(request, "locale", None)


def session_attributes(handler_input: HandlerInput) -> dict[str, Any]:
    """The session's attributes (ask-sdk-core raises, rather than give None, when the
    request has no session)."""
    attributes = handler_input.attributes_manager.session_attributes
    assert attributes is not None
    return attributes


def request_attributes(handler_input: HandlerInput) -> dict[str, Any]:
    """What one request's handlers and interceptors share."""
    return cast(dict[str, Any], handler_input.attributes_manager.request_attributes)


def persistent_attributes(handler_input: HandlerInput) -> dict[str, Any]:
    """The person's stored attributes, read once per request (ask-sdk-core caches them);
    raises when storage can't be read."""
    return cast(dict[str, Any], handler_input.attributes_manager.persistent_attributes)
