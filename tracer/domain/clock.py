"""The one clock (DOMAIN.md §8, §12): instants in UTC from the server, days in the deployment's
time zone. Times of record come only from here; dates a client sends are effective dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracer.domain.errors import InvalidInput

DEFAULT_ZONE = "Asia/Shanghai"
#: The largest UTC offset ISO 8601 and the database accept (±18:00).
MAX_OFFSET = dt.timedelta(hours=18)


class Clock:
    """The deployment's clock. ``now`` is injectable for tests; production uses the system's."""

    def __init__(
        self, zone: str = DEFAULT_ZONE, now: Callable[[], dt.datetime] | None = None
    ) -> None:
        try:
            self.zone = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"unknown time zone {zone!r}") from exc
        self._now = now or (lambda: dt.datetime.now(dt.UTC))

    def now(self) -> dt.datetime:
        """The current instant (aware, UTC)."""
        return self._now().astimezone(dt.UTC)

    def today(self) -> dt.date:
        """Today in the deployment's time zone."""
        return self.day_of(self.now())

    def day_of(self, instant: dt.datetime) -> dt.date:
        """The deployment-local date of an instant."""
        return instant.astimezone(self.zone).date()

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """The last instant of ``day`` in the deployment's time zone, as UTC (``InvalidInput``
        at the edges of the calendar)."""
        try:
            start_next = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), self.zone)
            return (start_next - dt.timedelta(microseconds=1)).astimezone(dt.UTC)
        except OverflowError:
            raise InvalidInput(f"{day} is at the edge of the calendar") from None

    def instant(self, value: dt.date | dt.datetime) -> dt.datetime:
        """A date means the end of that day here; a naive time is local; an aware one is kept.

        Raises ``InvalidInput`` for an offset beyond ±18:00.
        """
        if not isinstance(value, dt.datetime):
            return self.end_of_day(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        offset = value.utcoffset()
        if offset is not None and abs(offset) > MAX_OFFSET:
            raise InvalidInput("a UTC offset must lie within ±18:00")
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:
            raise InvalidInput("the instant lies outside the calendar") from None

    def parse_instant(self, text: str) -> dt.datetime:
        """``YYYY-MM-DD`` (end of that day here) or an ISO 8601 timestamp, as UTC."""
        value = text.strip()
        try:
            if len(value) == 10:
                return self.end_of_day(dt.date.fromisoformat(value))
            return self.instant(dt.datetime.fromisoformat(value))
        except ValueError:
            raise InvalidInput(
                f"{value[:40]!r} is neither a date (YYYY-MM-DD) nor an ISO 8601 timestamp"
            ) from None
