"""What the container builds only when it is first used: a class of a module that only some
runs import, and the HTTP adapter of a use case that may not ask the API."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, get_args

if TYPE_CHECKING:
    from nanoctl.domain.model import ApiUrl, Identity, Token
    from nanoctl.domain.ports import TokenValidator

T = TypeVar("T")


class Deferred(Generic[T]):
    """A class of ``module``, imported when a provider first builds one:
    ``Deferred["Logout"]("nanoctl.domain.logout")`` builds a ``Logout``, the class its type
    names (for mypy and for the import alike); ``constructor`` names a class method that
    builds it instead (``Deferred["Terminal"](…, "from_process")``)."""

    def __init__(self, module: str, constructor: str | None = None) -> None:
        self.module = module
        self.constructor = constructor
        self._built_by: Callable[..., T] | None = None

    def __repr__(self) -> str:
        return f"Deferred({self.module!r}, {self.name!r})"

    @property
    def name(self) -> str:
        """The name of the class, as its type argument writes it."""
        alias = getattr(self, "__orig_class__", None)  # set by Deferred["Class"](…)
        if alias is None:
            raise TypeError(f"Deferred({self.module!r}) names no class: Deferred['Class']")
        (argument,) = get_args(alias)
        return str(getattr(argument, "__forward_arg__", argument))

    def resolve(self) -> Callable[..., T]:
        """The class (or its constructor), imported on first call."""
        if self._built_by is None:
            found = getattr(importlib.import_module(self.module), self.name)
            self._built_by = getattr(found, self.constructor) if self.constructor else found
        return self._built_by

    def __call__(self, *args: Any, **kwargs: Any) -> T:
        return self.resolve()(*args, **kwargs)


class ValidatorWhenAsked:
    """The TokenValidator of a use case that may not ask the API (`status --offline`
    never does): the HTTP adapter, built the first time it is asked."""

    __slots__ = ("_build",)

    def __init__(self, build: Callable[[], TokenValidator]) -> None:
        self._build = build

    def validate(self, token: Token, api_url: ApiUrl) -> Identity:
        return self._build().validate(token, api_url)
