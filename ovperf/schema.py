"""The JSON Schema of a baseline file, and the check that names the first bad field.

The schema covers every field the suite reads back from a baseline; pytest-benchmark's
own fields (``stats``, ``options``, ``machine_info``) need only be of the right kind,
so ``pytest-benchmark compare`` files stay readable. Validation is jsonschema's
(Draft 2020-12); this module only turns its best error into one line.
"""
from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

#: What a non-standard constant (``Infinity``, ``-Infinity``, ``NaN``) reads as, so that the
#: schema, not the parser, reports it, together with the field it sits in.
NON_STANDARD = "{} (not a JSON number)"

_POSITIVE = {"type": "number", "exclusiveMinimum": 0}
_ROUNDS = {"type": "array", "minItems": 1, "items": _POSITIVE}
_COUNT = {"type": "integer", "minimum": 1}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
#: ``--ov-config``: OpenVINO property names to string values.
_CONFIG = {"type": "object", "additionalProperties": {"type": "string"}}

_EXTRA_INFO = {
    "type": "object",
    "required": ["fps_rounds"],
    "properties": {
        "fps": _POSITIVE,
        "fps_rounds": _ROUNDS,
        "fps_processes": {"type": "array", "minItems": 1, "items": _ROUNDS},
        # runs -> processes -> rounds (schema 2), or runs -> rounds (schema 1: a run was one process)
        "fps_runs": {
            "oneOf": [
                {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": _ROUNDS}},
                {"type": "array", "minItems": 1, "items": _ROUNDS},
            ]
        },
        "frames": _COUNT,
        "processes": _COUNT,
        "inference_precision": _TEXT_OR_NULL,
        "num_streams": {"type": ["integer", "null"]},
        "nireq": {"type": ["integer", "null"]},
        "onnx_sha256": _TEXT_OR_NULL,
        "ir_precision": _TEXT_OR_NULL,
        "ov_config": _CONFIG,
        "machine_share": {"type": "object", "additionalProperties": _NUMBER_OR_NULL},
        "perf_counters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "type", "exec_type", "real_time_ms"],
                "properties": {
                    "name": {"type": "string"}, "type": {"type": "string"}, "exec_type": {"type": "string"},
                    "real_time_ms": {"type": "number", "minimum": 0},
                },
            },
        },
    },
}

_FINGERPRINT = {
    "type": "object",
    "properties": {
        "box_norm": {"type": "number", "minimum": 0},
        "score_norm": {"type": "number", "minimum": 0},
        "confidence": {"type": "number"},
        "detections": {
            "type": "array",
            "items": {
                "type": "array",
                "prefixItems": [
                    {"type": "integer"}, {"type": "number"},
                    {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
                ],
                "minItems": 3, "maxItems": 3,
            },
        },
    },
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["benchmarks", "ovperf"],
    "properties": {
        "machine_info": {"type": "object"},
        "commit_info": {"type": "object"},
        "datetime": {"type": "string"},
        "benchmarks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "extra_info"],
                "properties": {"name": {"type": "string", "minLength": 1}, "extra_info": _EXTRA_INFO},
            },
        },
        "ovperf": {
            "type": "object",
            "required": ["schema", "fingerprint"],
            "properties": {
                "schema": _COUNT,
                "fingerprint": {
                    "type": "object",
                    "required": ["machine"],
                    "properties": {"machine": {"type": "object"}, "software": {"type": "object"}},
                },
                "model": {"type": "object", "additionalProperties": _TEXT_OR_NULL},
                "frames": _COUNT,
                "rounds": _COUNT,
                "processes": _COUNT,
                "runs": _COUNT,
                "run_times": {"type": "array", "items": {"type": "string"}},
                "workload": {
                    "type": "object",
                    "properties": {
                        "frames": _COUNT, "onnx_sha256": _TEXT_OR_NULL, "ir_precision": _TEXT_OR_NULL,
                        "image_sha256": _TEXT_OR_NULL,
                        "ov_config": _CONFIG,
                    },
                },
                "precisions": {"type": "object", "additionalProperties": _TEXT_OR_NULL},
                "outputs": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "required": ["ok"],
                        "properties": {"ok": {"type": "boolean"}, "fingerprint": _FINGERPRINT},
                    },
                },
                "subset": {
                    "type": "object",
                    "required": ["left_out", "planned"],
                    "properties": {"left_out": {"type": "array", "items": {"type": "string"}}, "planned": _COUNT},
                },
            },
        },
    },
}

_VALIDATOR = Draft202012Validator(SCHEMA)


def parse(text: str) -> Any:
    """JSON as Python reads it, except that Infinity and NaN stay visible as strings for the schema."""
    return json.loads(text, parse_constant=NON_STANDARD.format)


def first_problem(data: Any) -> str | None:
    """``field: what is wrong`` for the most relevant schema violation, or None if the file is valid."""
    error = best_match(_VALIDATOR.iter_errors(data))
    if error is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    return f"{where or 'top level'}: {_short(error.message)}"


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."
