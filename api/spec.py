"""Request parsing with pydantic, and the OpenAPI 3.1 document built from the same models."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Flask, current_app, has_app_context, request
from flask.json.provider import DefaultJSONProvider
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import UnprocessableEntity
from werkzeug.routing import BaseConverter

from api.errors import ApiError, validation_error
from api.models import MAX_ID, ErrorResponse

class IdOutOfRange(UnprocessableEntity):
    """A path id no row can have (negative, or more digits than any id): the caller's mistake."""

    description = f"id: must be a whole number from 0 to {MAX_ID}"
    jobos_detail = [{"field": "id", "reason": f"must be a whole number from 0 to {MAX_ID}", "location": "path"}]


class IdConverter(BaseConverter):
    """A database id: 0 to MAX_ID; other whole numbers (negative, 2**70) answer 422."""

    regex = r"-?[0-9]+"

    def to_python(self, value: str) -> int:
        # Raised while the URL is matched, so Flask answers it before any view or store runs.
        if value.startswith("-") or len(value.lstrip("0")) > len(str(MAX_ID)):
            raise IdOutOfRange()
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(int(value))


def _json_depth(data: Any) -> int:
    """Return how deeply lists and objects nest in a parsed JSON value (iteratively)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def load_json(raw: str | bytes) -> Any:
    """Return a parsed JSON request body, or raise a 422 ApiError when it nests too deeply.

    ValueError (not JSON) is left to the caller, as json.loads does.
    """
    limit = int(current_app.config.get("JSON_MAX_DEPTH") or 20) if has_app_context() else 20
    try:
        data = json.loads(raw)
    except RecursionError:
        data, too_deep = None, True
    else:
        too_deep = _json_depth(data) > limit
    if too_deep:
        reason = f"nested more than {limit} levels deep"
        raise ApiError(422, "validation_error", f"body: {reason}",
                       [{"field": "body", "reason": reason, "location": "body"}])
    return data


class JsonProvider(DefaultJSONProvider):
    """Flask's JSON, with request bodies (request.get_json) parsed through load_json."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return load_json(s)


@dataclass
class Doc:
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    extra_content: dict[str, Any] = field(default_factory=dict)
    body_content: dict[str, Any] = field(default_factory=dict)
    raw_response: dict[str, Any] | None = None


def doc(summary: str, tag: str, **kwargs: Any) -> Callable:
    """Attach OpenAPI metadata to a view (the route itself stays Flask's)."""

    def decorator(view: Callable) -> Callable:
        view._jobos_doc = Doc(summary=summary, tag=tag, **kwargs)  # type: ignore[attr-defined]
        return view

    return decorator


def parse_body(model: type[BaseModel], data: Any = None) -> Any:
    """Return the JSON body validated as `model`, or raise a 400/415/422 ApiError."""
    if data is None:
        if not request.is_json:
            raise ApiError(415, "unsupported_media_type", "Send a JSON body with Content-Type: application/json")
        try:
            data = load_json(request.get_data() or b"")
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "bad_request", "The body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(
            422, "validation_error", "body: must be a JSON object",
            [{"field": "body", "reason": "must be a JSON object", "location": "body"}],
        )
    return _validate(model, data, "body")


def parse_query(model: type[BaseModel]) -> Any:
    """Return the query string validated as `model` (repeated parameters refused)."""
    data: dict[str, Any] = {}
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) > 1:
            raise ApiError(
                422, "validation_error", f"{key}: give this parameter once",
                [{"field": key, "reason": "give this parameter once", "location": "query"}],
            )
        data[key] = values[0]
    return _validate(model, data, "query")


def _validate(model: type[BaseModel], data: dict[str, Any], location: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, location) from None
    except (TypeError, ValueError, LookupError) as exc:
        # A validator tripped over odd input: still the caller's input, so 422, never 500.
        raise ApiError(
            422, "validation_error", f"{location}: invalid value",
            [{"field": location, "reason": "invalid value", "location": location}],
        ) from exc


# --- OpenAPI ----------------------------------------------------------------------------------

_RULE_ARG = re.compile(r"<(?:(?P<conv>[a-z]+)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>")
_ERROR_TEXT = {
    400: "Bad request", 401: "Missing or invalid token", 403: "Not allowed for this role",
    404: "Not found", 409: "Conflict", 415: "Unsupported media type", 422: "Validation error",
    429: "Rate limited", 503: "A dependency (scrapyd) is unavailable",
}


class _Schemas:
    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def ref(self, model: type[BaseModel], mode: str = "validation") -> dict[str, Any]:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
        for name, sub in schema.pop("$defs", {}).items():
            self.components.setdefault(name, sub)
        self.components.setdefault(model.__name__, schema)
        return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_parameters(model: type[BaseModel], schemas: _Schemas) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in schema.pop("$defs", {}).items():
        schemas.components.setdefault(name, sub)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def build_openapi(app: Flask) -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of every documented route of the app."""
    schemas = _Schemas()
    error_ref = schemas.ref(ErrorResponse, mode="serialization")
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        meta: Doc | None = getattr(view, "_jobos_doc", None)
        if meta is None:
            continue
        params: list[dict[str, Any]] = []

        def _path_arg(m: re.Match) -> str:
            conv, name = m.group("conv"), m.group("name")
            schema: dict[str, Any] = {"type": "string"}
            if conv == "id":
                schema = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
            elif conv == "int":
                schema = {"type": "integer", "minimum": 0}
            params.append({"name": name, "in": "path", "required": True, "schema": schema})
            return "{" + name + "}"

        path = _RULE_ARG.sub(_path_arg, rule.rule)
        role = getattr(view, "_jobos_role", None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            op: dict[str, Any] = {
                "summary": meta.summary,
                "tags": [meta.tag],
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "parameters": list(params) + (_query_parameters(meta.query, schemas) if meta.query else []),
                "responses": {},
            }
            if meta.body is not None or meta.body_content:
                content = {"application/json": {"schema": schemas.ref(meta.body)}} if meta.body else {}
                content.update(meta.body_content)
                op["requestBody"] = {"required": True, "content": content}
            ok: dict[str, Any] = {"description": "OK"}
            if meta.raw_response is not None:
                ok["content"] = meta.raw_response
            elif meta.response is not None:
                ok["content"] = {"application/json": {"schema": schemas.ref(meta.response, mode="serialization")}}
                ok["content"].update(meta.extra_content)
            op["responses"][str(meta.status)] = ok
            codes = set(meta.errors) | {429}
            if meta.body is not None or meta.query is not None or meta.body_content:
                codes |= {400, 415, 422} if meta.body is not None or meta.body_content else {422}
            if role is not None:
                codes |= {401, 403}
                op["security"] = [{"bearer": []}, {"cookie": []}]
            if params:
                codes.add(404)
            for code in sorted(codes):
                op["responses"][str(code)] = {
                    "description": _ERROR_TEXT.get(code, "Error"),
                    "content": {"application/json": {"schema": error_ref}},
                }
            op["responses"]["default"] = {
                "description": "Any other error, in the same shape",
                "content": {"application/json": {"schema": error_ref}},
            }
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "JobOS API",
            "version": "0.1.0",
            "description": "Trigger crawls of a company's career page, follow them, search the jobs.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas.components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": app.config["COOKIE_NAME"]},
            },
        },
    }
