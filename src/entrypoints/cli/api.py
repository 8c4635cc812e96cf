"""`nanoctl api PATH`: an authenticated request to the selected API, its answer on stdout.

One home for the command (its options, help, run and the lines it writes; issue #24): the
request is a domain value (``ApiRequest``), sent by the ``call_api`` use case; this module
relays the answer as it arrives, masked unless declared binary, and ends the run as its
status says (``ApiCall.failure()``).
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import IO, TYPE_CHECKING, ClassVar

from cleo.helpers import argument, option
from cleo.io.inputs.argument import Argument
from cleo.io.inputs.option import Option
from cleo.io.outputs.output import Output, Type

from nanoctl.domain.answer_masking import body_mask, masked_location, masked_text
from nanoctl.domain.api_errors import ApiUnavailable
from nanoctl.domain.api_request import ApiRequest
from nanoctl.domain.errors import NanoctlError, TokenRejected
from nanoctl.domain.request_errors import AnswerNotWritten
from nanoctl.entrypoints.cli.command import (
    API_URL_OPTION,
    CURRENT_CREDENTIAL_ERRORS,
    NanoctlCommand,
)
from nanoctl.entrypoints.cli.main import was_closed
from nanoctl.entrypoints.cli.terminal_lines import stream_of

if TYPE_CHECKING:
    from nanoctl.domain.call_api import ApiCall
    from nanoctl.domain.ports import ApiAnswer


class ApiCommand(NanoctlCommand):
    arguments: ClassVar[list[Argument]] = [
        argument(
            "path", "The path, relative to the API URL (`/deploy-status/NAME`), or a URL under it."
        )
    ]
    options: ClassVar[list[Option]] = [
        option(
            "method", "X", "The HTTP method (default GET; POST when a body is given).", flag=False
        ),
        option(
            "header",
            "H",
            "A request header, `Name: value` (repeatable; not Authorization or Host).",
            flag=False,
            multiple=True,
        ),
        option(
            "field",
            "f",
            "A field `key=value` of a JSON body of strings (repeatable); "
            "with -X GET, a query parameter.",
            flag=False,
            multiple=True,
        ),
        option("input", None, "The raw body: a file, or `-` for standard input.", flag=False),
        option("include", "i", "Print the status line and the headers before the body."),
        option("silent", None, "Print no body (the exit code still says how it went)."),
        API_URL_OPTION,
    ]
    usage = "[options] PATH"
    about = (
        "Sends a request to the API with the current credential (NANOSERVICES_TOKEN or its "
        "file, else the selected profile's) and writes the answer's body to standard output "
        "as it arrives: any size, binary bodies byte for byte. PATH is relative to the API "
        "URL, its path kept (`/login` is …/public/deployment/login); an absolute URL must lie "
        "under the API URL.",
        "The token goes to the selected API only: a URL on another host, scheme or port, or "
        "outside its path, is refused (exit 2) and nothing is sent; redirects are never "
        "followed. It is never shown, even when the API sends it back: text bodies (and no "
        "Content-Type) and the headers of -i are masked (***); a body declared binary "
        "(application/octet-stream, images, archives) passes byte for byte.",
        "NANOCTL_HTTP_TIMEOUT bounds the wait for the answer and any silence while it "
        "arrives; GET and HEAD are retried as login's request is (429, 502-504, no answer).",
    )
    examples = (
        ("The status of a deployment", "nanoctl api /deploy-status/my-service"),
        ("A POST with a JSON body of fields", "nanoctl api -X POST /deploy/B1 -f access=public"),
        ("A GET with query parameters", "nanoctl api -X GET /package-list -f format=json"),
        ("The status line and headers too", "nanoctl api -i /build-status/B1"),
        ("A raw body from a file", "nanoctl api -X PUT /things/1 --input body.json"),
    )
    success = ("0", "a 2xx answer")

    @classmethod
    def errors(cls) -> tuple[type[NanoctlError], ...]:
        from nanoctl.domain import request_errors as r  # here: only this page needs them all

        return (
            *CURRENT_CREDENTIAL_ERRORS,
            r.UrlOutsideApi,
            r.ForbiddenHeader,
            r.MalformedHeader,
            r.MalformedField,
            r.FieldsWithInput,
            r.InvalidMethod,
            r.InputUnusable,
            r.UnsuccessfulStatus,
            r.AnswerNotWritten,
            TokenRejected,
            ApiUnavailable,
        )

    def handle(self) -> int:
        request = ApiRequest.parse(
            self.argument("path"),
            method=self.option("method"),
            headers=self.option("header"),
            fields=self.option("field"),
            input_file=self.option("input"),
        )
        include, silent = bool(self.option("include")), bool(self.option("silent"))
        output = stream_of(self.io.output)
        if (include or not silent) and was_closed(output):
            raise AnswerNotWritten(None)  # `>&-`: the answer would go nowhere; nothing is sent
        self.verbose_target()
        call = self.container.call_api().call(request)
        self.warn_if_credential_expires_soon(call.credential)
        try:
            sink = output.buffer if output is not None else _TextSink(self.io.output)
            if output is not None:
                output.flush()
            Relay(sink).answer(call, include=include, silent=silent)
        finally:
            call.answer.close()
        failure = call.failure()
        if failure is not None:
            raise failure
        return 0


# --- its lines: the answer, as bytes ------------------------------------------------------


class Relay:
    """Writes an answer to standard output as bytes: its head (-i), then its body as it
    arrives, masked unless declared binary. A write that fails ends the run (exit 1)."""

    def __init__(self, out: IO[bytes] | _TextSink) -> None:
        self._out = out

    def answer(self, call: ApiCall, *, include: bool, silent: bool) -> None:
        secret = call.token.reveal()
        answer = call.answer
        if include:
            self._write(head(answer, secret))
        if silent or call.redirected:  # a redirect's body is not the answer asked for
            return
        mask = body_mask(_header(answer, "Content-Type"), secret)
        for chunk in answer.chunks():
            self._write(mask.feed(chunk) if mask is not None else chunk)
        if mask is not None:
            self._write(mask.end())

    def _write(self, data: bytes) -> None:
        if not data:
            return
        try:
            self._out.write(data)
            self._out.flush()
        except (OSError, ValueError) as error:
            number = error.errno if isinstance(error, OSError) else None
            self._silence()
            raise AnswerNotWritten(number) from None

    def _silence(self) -> None:
        """Standard output goes to /dev/null from here: what is still buffered must not fail
        again when the interpreter flushes it at exit (a traceback, exit 120)."""
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._out.fileno())
            os.close(devnull)


class _TextSink:
    """Bytes written to a cleo output that has no stream (a test's buffer), as text."""

    def __init__(self, output: Output) -> None:
        self._output = output

    def write(self, data: bytes) -> int:
        self._output.write(data.decode("utf-8", "replace"), type=Type.RAW)
        return len(data)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "no descriptor")


def head(answer: ApiAnswer, secret: str) -> bytes:
    """The status line and the headers as -i shows them, then a blank line; every value
    masked, and a Location's path and query hidden."""
    lines = [f"{answer.version} {answer.status} {masked_text(answer.reason, secret)}".rstrip()]
    for name, value in answer.headers:
        shown = masked_location(value) if name.lower() == "location" else value
        lines.append(f"{masked_text(name, secret)}: {masked_text(shown, secret)}")
    return ("\n".join(lines) + "\n\n").encode("latin-1", "replace")


def _header(answer: ApiAnswer, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in answer.headers if key.lower() == wanted), None)
