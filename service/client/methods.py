"""How an operation, described once, becomes a method of either client.

An operation is a method of a mixin in :mod:`service.client.operations` that does no I/O:
it returns the :class:`~service.client.calls.Call` to send. :func:`operation` makes it a
descriptor: read on a client, it gives a method that builds the call and sends it with
that client, so ``TvetMatchClient`` answers and ``AsyncTvetMatchClient`` answers a
coroutine. :func:`paged` does the same for walking a paged list by cursor. Both read the
client's ``blocking`` flag and send with its coroutines (``service.client.base``).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, Self, TypeVar, overload

from service.client.blocking import iterated
from service.client.calls import Call
from service.http.pagination import Page

P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Item = TypeVar("Item")
Describe = Callable[Concatenate[Any, P], Call[T]]


class Blocking(Protocol):
    """A client whose ``send`` returns the answer (``TvetMatchClient``)."""

    def send(self, call: Call[T]) -> T: ...


class Awaiting(Protocol):
    """A client whose ``send`` returns a coroutine (``AsyncTvetMatchClient``)."""

    def send(self, call: Call[T]) -> Coroutine[Any, Any, T]: ...


def _present(method: Callable[..., Any], name: str, client: Any, build: Callable[..., Any]) -> None:
    """Give a client's method its name, and the docstring and parameters of ``build``.

    The description's ``self`` and its return annotation (a ``Call``) are left out: the
    method takes the rest and answers what the call reads.
    """
    method.__name__ = name
    method.__qualname__ = f"{type(client).__qualname__}.{name}"
    method.__module__ = type(client).__module__
    method.__doc__ = build.__doc__
    signature = inspect.signature(build)
    method.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values())[1:],
        return_annotation=inspect.Signature.empty,
    )


class Operation(Generic[P, T_co]):
    """An operation of the API: on a client, a method taking ``P`` and answering ``T_co``."""

    def __init__(self, build: Describe[P, T_co]) -> None:
        self.build = build
        self.name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, client: Blocking, owner: type[Any]) -> Callable[P, T_co]: ...
    @overload
    def __get__(
        self, client: Awaiting, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T_co]]: ...
    def __get__(self, client: Any, owner: type[Any]) -> Any:
        if client is None:
            return self
        build = self.build
        method: Callable[..., Any]
        if client.blocking:

            def method(*args: Any, **kwargs: Any) -> Any:
                return client.send(build(client, *args, **kwargs))
        else:

            async def method(*args: Any, **kwargs: Any) -> Any:
                return await client.send(build(client, *args, **kwargs))

        _present(method, self.name, client, build)
        return method


def operation(build: Describe[P, T]) -> Operation[P, T]:
    """Make a method that describes a call into an operation of both clients."""
    return Operation(build)


class Pages(Generic[P, Item]):
    """A paged list of the API: on a client, a method that yields every item in turn."""

    def __init__(self, listing: Operation[P, Page[Item]]) -> None:
        self.listing = listing
        self.name = f"iter_{listing.name.removeprefix('list_')}"

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, client: Blocking, owner: type[Any]) -> Callable[P, Iterator[Item]]: ...
    @overload
    def __get__(self, client: Awaiting, owner: type[Any]) -> Callable[P, AsyncIterator[Item]]: ...
    def __get__(self, client: Any, owner: type[Any]) -> Any:
        if client is None:
            return self
        build = self.listing.build

        def describe(*args: Any, **kwargs: Any) -> Call[Page[Item]]:
            return build(client, *args, **kwargs)

        walk: Callable[..., Any]
        if client.blocking:

            def walk(*args: Any, **kwargs: Any) -> Iterator[Item]:
                yield from iterated(client._items(describe, args, kwargs))
        else:

            async def walk(*args: Any, **kwargs: Any) -> AsyncIterator[Item]:
                async for item in client._items(describe, args, kwargs):
                    yield item

        _present(walk, self.name, client, build)
        walk.__doc__ = f"Yield every item of ``{self.listing.name}``, following ``next_cursor``."
        return walk


def paged(listing: Operation[P, Page[Item]]) -> Pages[P, Item]:
    """Make a method that yields every item of ``listing``, following ``next_cursor``."""
    return Pages(listing)
