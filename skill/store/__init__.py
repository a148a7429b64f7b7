"""Storage: a person's training log, their habits, and the database they live in.

``tables`` declares the tables; ``training_log`` and ``habit_log`` are the queries on them
(workouts and sets; goals, weeks, reminders and charts). ``persistence`` opens the database
with bounded waits (``deadlines``: one budget per request) and is ask-sdk-core's
persistence adapter. ``migrations`` brings a database up to the tables this version needs,
and ``schema_guard`` refuses to serve one that isn't. ``privacy`` says what a log line may
carry about a person.
"""
