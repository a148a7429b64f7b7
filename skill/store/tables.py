"""The training log's tables (SQLAlchemy Core): people, their workouts, and the sets in them.

Created and changed only by the Alembic migrations in ``skill/store/migrations`` (run
``python -m skill db upgrade``); this module describes them for queries.

- ``people``: one row per person (the Alexa person id when a voice was recognised, else the
  account's user id): unit, preferences, the disclaimer heard, a hold after a warning
  symptom, the workout in progress, and a version bumped on every change.
- ``workouts``: one row per workout. ``ref`` is the id the session's place carries;
  ``place`` is that place while the workout is in progress (NULL once it is filed), with
  ``version`` for conditional updates.
- ``sets``: append-only. Redoing a set (same exercise, set number and session) or
  correcting it adds a row that supersedes the earlier one when read. ``request_key``
  (the Alexa request id, exercise and set) makes a retried request's insert a no-op.
- ``device_workouts``: for an account whose voice Alexa did not recognise, the workout in
  progress on each device, so two Echos on one account don't share one.
- ``bests``: each person's top weight (kg) per exercise in finished workouts, kept when a
  workout is finished, so praise for a new best reads one row per exercise.
- ``user_state_unreadable``: records of earlier versions that the first migration could not
  move, as they were, with why. Never read by the skill; deleted by ``forget``.
- ``goals``: a person's weekly goal (sessions a week; none kept means the default) and the
  time zone their device last reported.
- ``training_weeks``: finished workouts counted per week (the Monday that starts it, in the
  person's time zone), with the goal in force that week: the streak is read from here.
- ``reminders``: the reminders the skill created through Alexa's Reminders API (its alert
  token, days and time), so forgetting a person can delete them.
- ``charts``: what one progress chart shows, kept until it expires; its link carries only a
  signed random id (see ``skill.web.charts``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

#: Integer on SQLite (so it is the rowid and autoincrements), BIGINT elsewhere.
Key = BigInteger().with_variant(Integer, "sqlite")

metadata = MetaData()

people = Table(
    "people",
    metadata,
    Column("person_id", String(255), primary_key=True),
    Column("unit", String(8)),
    Column("set_mode", String(16)),
    Column("go_ahead", Text),
    Column("welcomed", Boolean, nullable=False, server_default="0"),
    Column("hold", Text),
    Column("workout_id", Key),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

workouts = Table(
    "workouts",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column(
        "person_id",
        String(255),
        ForeignKey("people.person_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("ref", String(64), nullable=False),
    Column("program", String(64)),
    Column("started", String(40)),
    Column("finished", String(40)),
    Column("place", Text),
    Column("feedback", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("person_id", "ref", name="uq_workouts_person_ref"),
    Index("ix_workouts_person_started", "person_id", "started"),
)

sets = Table(
    "sets",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("workout_id", Key, ForeignKey("workouts.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", String(255), nullable=False),
    Column("exercise", String(64), nullable=False),
    Column("set_no", Integer, nullable=False),
    Column("reps", Integer),
    Column("weight", Float),
    Column("unit", String(8)),
    Column("at", String(40)),
    Column("session", String(255)),
    Column("request_key", String(400)),
    UniqueConstraint("person_id", "request_key", name="uq_sets_person_request"),
    Index("ix_sets_workout", "workout_id", "id"),
    Index("ix_sets_person_exercise", "person_id", "exercise", "workout_id"),
)

bests = Table(
    "bests",
    metadata,
    Column(
        "person_id",
        String(255),
        ForeignKey("people.person_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("exercise", String(64), primary_key=True),
    Column("top_kg", Float, nullable=False),
)

device_workouts = Table(
    "device_workouts",
    metadata,
    Column(
        "person_id",
        String(255),
        ForeignKey("people.person_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("device_id", String(255), primary_key=True),
    Column("workout_id", Key, ForeignKey("workouts.id", ondelete="CASCADE"), nullable=False),
)

unreadable = Table(
    "user_state_unreadable",
    metadata,
    Column("user_id", String(255), primary_key=True),
    Column("schema", Integer),
    Column("data", Text),
    Column("reason", String(200)),
)

goals = Table(
    "goals",
    metadata,
    Column(
        "person_id",
        String(255),
        ForeignKey("people.person_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("per_week", Integer),
    Column("time_zone", String(64)),
)

training_weeks = Table(
    "training_weeks",
    metadata,
    Column(
        "person_id",
        String(255),
        ForeignKey("people.person_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("week", String(10), primary_key=True),
    Column("sessions", Integer, nullable=False),
    Column("goal", Integer, nullable=False),
)

reminders = Table(
    "reminders",
    metadata,
    Column(
        "person_id",
        String(255),
        ForeignKey("people.person_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("alert_token", String(255), primary_key=True),
    Column("days", String(32), nullable=False),
    Column("at", String(5), nullable=False),
)

charts = Table(
    "charts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("person_id", String(255), nullable=False),
    Column("data", Text, nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_charts_person", "person_id"),
    Index("ix_charts_expires", "expires_at"),
)
