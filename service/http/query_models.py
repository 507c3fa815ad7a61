"""Query models read in one validation, and documented as FastAPI documents them.

FastAPI reads a query model (``Annotated[Model, Query()]``) field by field through its
generic machinery, looking each field's aliases and type up again for every request: at
1,000 profiles that was a tenth of a match request's CPU, more than validating the
model. :class:`QueryModel` is a dependency that collects the query string (a list for the
model's list fields, repeated keys of the others: the last one) and validates the model
in one call, refusing what FastAPI refuses with the same 422 errors (``loc``
``["query", field]``). FastAPI no longer sees the fields, so :func:`document_query_models`
puts them back in the OpenAPI document: the parameters FastAPI renders for the model, in
the place it would put them.

A route declares its query model last. FastAPI collects the errors of the parameters it
reads and answers them once every dependency has run, so a caller without the key an
operation needs gets 401, and an unknown id 404, whatever its query; a dependency's
error is raised at once, so the query model's must come after the others.
"""

from __future__ import annotations

import copy
import functools
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, ValidationError

__all__ = ["QueryModel", "document_query_models"]

M = TypeVar("M", bound=BaseModel)
# Where OpenAPI lists each location's parameters (FastAPI's order).
_LOCATIONS = ("path", "query", "header", "cookie")
_COMPONENT = "#/components/schemas/"


def _is_list(annotation: Any) -> bool:
    """Whether a field takes a list: ``list[X]``, or ``list[X] | None``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation) if arg is not type(None))
    return typing.get_origin(annotation) in (list, tuple, set, frozenset, Sequence)


class QueryModel(Generic[M]):
    """A dependency: ``model`` validated from the query string (see the module)."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        keys = {field.alias or name: field for name, field in model.model_fields.items()}
        self._keys = frozenset(keys)
        self._lists = frozenset(key for key, field in keys.items() if _is_list(field.annotation))

    async def __call__(self, request: Request) -> M:
        # async: no IO, and a sync dependency costs every request a hop to the thread pool.
        values: dict[str, Any] = {}
        others: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            if key in self._lists:
                values.setdefault(key, []).append(value)
            else:
                others.setdefault(key, []).append(value)
        for key, given in others.items():
            # A field takes the last of its repeated keys; an unknown key is refused by
            # the model (extra="forbid") with what was sent.
            values[key] = given[-1] if key in self._keys or len(given) == 1 else given
        try:
            return self.model.model_validate(values, from_attributes=True)
        except ValidationError as error:
            raise RequestValidationError(
                [
                    {**detail, "loc": ("query", *detail["loc"])}
                    for detail in error.errors(include_url=False)
                ]
            ) from None


def _query_models(dependant: Dependant) -> Iterator[type[BaseModel]]:
    for sub in dependant.dependencies:
        if isinstance(sub.call, QueryModel):
            yield sub.call.model
        yield from _query_models(sub)


@functools.cache
def _rendered(model: type[BaseModel]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The query parameters and component schemas FastAPI renders for ``model``."""

    async def documented(query: Any) -> None:
        """Only read for its signature."""

    # Set as an object: written in the signature, it would be a string naming a local.
    documented.__annotations__["query"] = Annotated[model, Query()]

    twin = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    twin.add_api_route("/", documented, methods=["GET"])
    schema = get_openapi(title="", version="", routes=twin.routes)
    parameters: list[dict[str, Any]] = schema["paths"]["/"]["get"].get("parameters", [])
    rendered: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    # Only the schemas the parameters refer to, and those they refer to in turn (not the
    # twin's own 422 answer).
    needed: dict[str, Any] = {}
    waiting = list(_references(parameters))
    while waiting:
        name = waiting.pop()
        if name not in needed:
            needed[name] = rendered[name]
            waiting.extend(_references(rendered[name]))
    return parameters, needed


def _references(value: Any) -> Iterator[str]:
    r"""The component names ``$ref``\ s in ``value`` name, at any depth."""
    if isinstance(value, dict):
        reference = value.get("$ref")
        if isinstance(reference, str) and reference.startswith(_COMPONENT):
            yield reference.removeprefix(_COMPONENT)
        for inner in value.values():
            yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def document_query_models(schema: dict[str, Any], routes: Iterable[Any]) -> dict[str, Any]:
    """Add each :class:`QueryModel`'s fields to the parameters of the operations that read
    it, and the schemas they refer to to the components (``schema`` in place; adding them
    again changes nothing)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    # Routes of an included router are seen through their context (prefix included).
    for route in iter_route_contexts(list(routes)):
        original = route.original_route
        if not isinstance(original, APIRoute) or not original.include_in_schema:
            continue
        models = list(_query_models(original.dependant))
        if not models or route.path_format is None:
            continue
        path_item = schema.get("paths", {}).get(route.path_format, {})
        for method in route.methods or ():
            operation = path_item.get(method.lower())
            if operation is None:
                continue
            parameters = list(operation.get("parameters", []))
            present = {(parameter["in"], parameter["name"]) for parameter in parameters}
            for model in models:
                rendered, needed = _rendered(model)
                parameters.extend(
                    copy.deepcopy(parameter)
                    for parameter in rendered
                    if (parameter["in"], parameter["name"]) not in present
                )
                for name, component in needed.items():
                    components.setdefault(name, copy.deepcopy(component))
            parameters.sort(key=lambda parameter: _LOCATIONS.index(parameter["in"]))
            operation["parameters"] = parameters
    return schema
