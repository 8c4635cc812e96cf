"""No error and no -v line shows a token of the run (#25), wherever it hides in their facts:
a path holding a profile named by the token (in a next step's `chmod` too), a file name, a
URL, a username the API sent back, a value put in the wrong variable. Every example of the
error catalogue (tools/error_catalogue.py, which covers every error class) gets the token
planted in each of its facts in turn, and is worded as the error boundary words it: its
one line, its JSON message and the -vvv traceback."""

from __future__ import annotations

from cleo.io.buffered_io import BufferedIO
from cleo.io.inputs.argv_input import ArgvInput

import error_catalogue
from nanoctl.domain import events
from nanoctl.domain.api_errors import ApiUnreachable
from nanoctl.domain.errors import NanoctlError
from nanoctl.domain.model import Token
from nanoctl.domain.store_errors import ExposedToOthers, ForeignOwner
from nanoctl.entrypoints.cli.boundary import report, safe_traceback
from nanoctl.entrypoints.cli.diagnostics import IoDiagnostics
from nanoctl.entrypoints.words.context import REDACTED, Context
from nanoctl.entrypoints.words.errors import explain

TOKEN = "nano_planted_token_k9x2"
"""Lower case, digits and `_`: a valid profile name too, so it can name a directory."""


def planted(error: NanoctlError, name: str, value: object) -> NanoctlError:
    """``error`` with its fact ``name`` set to ``value`` (the class's own constructor is not
    called: its facts are set as the adapters set them)."""
    copy = type(error).__new__(type(error))
    copy.__dict__.update(vars(error))
    copy.__dict__[name] = value
    return copy


def with_token(value: object) -> list[object]:
    """The ways a fact may hold the token: as it, inside a path, after the fact's own."""
    if isinstance(value, str):
        return [
            TOKEN,
            f"/home/ada/.config/nanoctl/profiles/{TOKEN}/credentials.json",
            value + TOKEN,
        ]
    if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
        return [(*value, TOKEN), tuple(f"/h/{TOKEN}/{v}" for v in value)]
    return []


def run_context(context: Context | None) -> Context:
    """``context`` of a run that met TOKEN (from NANOSERVICES_TOKEN, a file, the store…)."""
    base = context or Context()
    return Context(
        base.profile, base.profile_from, base.api_url_from, base.command, (Token(TOKEN),)
    )


def test_no_fact_of_any_error_shows_the_run_s_token() -> None:
    worded = 0
    for error, context in error_catalogue.examples():
        words = run_context(context)
        for name, value in vars(error).items():
            for holding in with_token(value):
                example = planted(error, name, holding)
                try:
                    line = str(explain(example, words))
                except (KeyError, ValueError, TypeError, AttributeError):
                    continue  # a fact the words look up (a Literal's value): never a token
                worded += 1
                assert TOKEN not in line, (type(error).__name__, name, line)
                assert TOKEN not in safe_traceback(example, words), (type(error).__name__, name)
    assert worded > 500  # every class of the catalogue has facts, most of them strings


def test_a_path_that_holds_the_token_is_shown_redacted_in_the_cause_and_the_next_step() -> None:
    path = f"/home/ada/.config/nanoctl/profiles/{TOKEN}/credentials.json"
    line = str(explain(ExposedToOthers(path, 0o644, directory=False), run_context(None)))

    shown = f"/home/ada/.config/nanoctl/profiles/{REDACTED}/credentials.json"
    assert line.startswith(f"{shown} is accessible to other users (mode 644)")
    assert f"`chmod 600 {shown}`" in line


def test_a_verbose_line_never_shows_the_token_in_what_it_derives_from_an_error() -> None:
    output = BufferedIO()
    output.set_verbosity(output.output.verbosity.DEBUG)
    diagnostics = IoDiagnostics(output, [Token(TOKEN)])
    url = f"https://api.example.test/{TOKEN}/base"

    diagnostics.info(events.Retrying(ApiUnreachable(url, "refused"), 0.5, 1, 3))
    diagnostics.debug(events.NoAnswer(ApiUnreachable(url, "timed_out"), 30000))
    diagnostics.debug(f"> GET {url}/login")

    written = output.fetch_error()
    assert TOKEN not in written
    assert written.count(f"https://api.example.test/{REDACTED}/base") == 3


def test_the_error_boundary_words_the_one_line_and_the_json_for_the_run() -> None:
    error = ForeignOwner(f"/srv/{TOKEN}/credentials.json", 1001, directory=False)
    for argv in ([], ["--json"]):
        out = BufferedIO(ArgvInput(["nanoctl", "status", *argv]))
        assert report(error, out, None, run_context(None)) == 5
        assert TOKEN not in out.fetch_error()
