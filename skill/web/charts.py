"""Progress charts for the "how am I doing" card: kept server-side, linked by a signed,
short-lived token, drawn as a PNG on request.

The link carries only a random chart id, signed with the server's secret and stamped with
when it was made (``itsdangerous``, which Flask already uses for its own signed cookies):
no person id, no numbers of theirs. What the chart shows stays in the ``charts`` table
until it expires. A link whose signature doesn't match, or that is older than its time to
live, or whose row has gone (expired, or forgotten with the person), gets nothing.

Drawing needs matplotlib (the ``chart`` extra); without it ``ChartLinks.drawable`` is
False and the skill sends a text card instead.
"""

from __future__ import annotations

import importlib.util
import io
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from ..config import Settings
from ..store import habit_log
from ..store.persistence import SqlPersistenceAdapter

#: How long a chart's link works, in seconds: long enough to open the card in the Alexa app
#: after the answer, short enough that an old link shows nothing.
CHART_TTL = 3600
SALT = "bone-builder-chart"
WIDTH, HEIGHT, DPI = 12, 8, 100  # 1200 x 800 px: the Standard card's large image size


def drawable() -> bool:
    """True when matplotlib is installed (found, not imported: start-up stays quick)."""
    return importlib.util.find_spec("matplotlib") is not None


@dataclass
class ChartLinks:
    """Makes chart links and reads them back.

    ``adapter`` is the persistence adapter (``transaction``/``reading``); ``base_url`` the
    server's public address (``https://host``); ``clock`` gives the time in seconds.
    """

    adapter: SqlPersistenceAdapter
    secret: str
    base_url: str
    ttl: int = CHART_TTL
    clock: Callable[[], float] = time.time

    def _serializer(self) -> URLSafeTimedSerializer:
        clock = self.clock

        class ClockedSigner(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        return URLSafeTimedSerializer(self.secret, salt=SALT, signer=ClockedSigner)

    def make(self, person_id: str, data: dict) -> str:
        """Keep ``data`` for ``ttl`` seconds and return the chart's URL."""
        chart_id = secrets.token_urlsafe(16)
        now = self.clock()
        with self.adapter.transaction() as conn:
            habit_log.put_chart(conn, chart_id, person_id, data, now + self.ttl, now)
        token = self._serializer().dumps(chart_id)
        return f"{self.base_url.rstrip('/')}/charts/{token}.png"

    def data(self, token: str) -> dict | None:
        """What the chart behind ``token`` shows; None when the token is forged, too old,
        or its chart is gone."""
        try:
            chart_id = self._serializer().loads(token, max_age=self.ttl)
        except (SignatureExpired, BadSignature):
            return None
        if not isinstance(chart_id, str):
            return None
        with self.adapter.reading() as conn:
            return habit_log.chart_data(conn, chart_id, self.clock())


def render_png(data: dict) -> bytes:
    """Two panels: sessions per week against the goal, and the main lift's weight."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    weeks = data.get("weeks") or []
    lift = data.get("lift") or {}
    labels = data.get("labels") or {}
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    sessions, weights = figure.subplots(2, 1)
    figure.subplots_adjust(hspace=0.45, left=0.08, right=0.97, top=0.93, bottom=0.08)
    days = [w[0][5:] for w in weeks]
    counts = [w[1] for w in weeks]
    goals = [w[2] for w in weeks]
    colours = ["#2e7d32" if c >= g else "#90a4ae" for c, g in zip(counts, goals, strict=True)]
    sessions.bar(days, counts, color=colours)
    if goals:
        sessions.step(
            days, goals, where="mid", color="#c62828", linewidth=2, label=labels.get("goal", "")
        )
        sessions.legend(loc="upper left", frameon=False, fontsize=14)
    sessions.set_title(labels.get("sessions", ""), fontsize=18, loc="left")
    sessions.set_ylim(0, max([*counts, *goals, 1]) + 1)
    sessions.yaxis.get_major_locator().set_params(integer=True)
    sessions.tick_params(labelsize=13)
    points = lift.get("points") or []
    if points:
        places = range(len(points))
        weights.plot(places, [p[1] for p in points], marker="o", linewidth=3, color="#1565c0")
        weights.set_xticks(list(places), [p[0][5:] for p in points])
        weights.set_ylabel(lift.get("unit", ""), fontsize=14)
    weights.set_title(lift.get("title") or labels.get("no_lift", ""), fontsize=18, loc="left")
    weights.tick_params(labelsize=13)
    for axes in (sessions, weights):
        axes.spines[["top", "right"]].set_visible(False)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def chart_links(settings: Settings, persistence_adapter: SqlPersistenceAdapter) -> ChartLinks | None:
    """Progress charts need the server's public address, a signing secret and matplotlib;
    without any of them cards are text."""
    base, secret = settings.public_base_url, settings.chart_secret
    if not base or not secret or persistence_adapter is None or not drawable():
        return None
    return ChartLinks(persistence_adapter, secret, base)
