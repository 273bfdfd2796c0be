"""Commands whose modules are imported only when they run.

``tracer --help`` lists the commands from a table (name → module, one line of help) and imports
none of their modules, so none of the libraries behind them (neo4j, pandas, fastapi …); running
``tracer NAME`` imports the one module that registers NAME.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    """A command of the table: the ``tracer.cli`` module whose ``register(app)`` adds it, and the
    line the command list shows."""

    module: str
    help: str


def load_command(name: str, entry: LazyCommand) -> Any:
    """Import ``entry``'s module and build the command ``name`` it registers (a click command
    of the click that typer uses)."""
    module = importlib.import_module(f"tracer.cli.{entry.module}")
    scratch = typer.Typer()
    module.register(scratch)
    return typer.main.get_group(scratch).commands[name]


class LazyGroup(TyperGroup):
    """A command group that imports a command's module on first use (``table`` on a subclass)."""

    table: ClassVar[dict[str, LazyCommand]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        """The table's commands (in its order), then any registered directly."""
        return [
            *self.table,
            *(name for name in super().list_commands(ctx) if name not in self.table),
        ]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command; while the help lists commands, a stand-in carrying the table's line."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = self.table.get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            return TyperCommand(cmd_name, help=entry.help)
        command = load_command(cmd_name, entry)
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The group's help, listing commands from the table (no command module imported)."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def lazy_group(table: dict[str, LazyCommand]) -> type[LazyGroup]:
    """A ``LazyGroup`` class over ``table`` (for ``typer.Typer(cls=...)``)."""
    return type("TracerGroup", (LazyGroup,), {"table": table})
