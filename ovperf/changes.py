"""What differs between two measurements of one cell, as short ``label before->after`` notes.

Verdicts, the releases table and A/B name these beside a ratio: a ratio between two
runs that resolved another precision, or measured another workload, is not a speed
change of OpenVINO alone.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

#: What OpenVINO resolved for a cell: a release that moves a default changes these.
RESOLVED = (("inference_precision", "precision"), ("num_streams", "streams"), ("nireq", "requests"))
#: What a run measured: a baseline of another workload is compared, and says so.
WORKLOAD = (("frames", "frames"), ("onnx_sha256", "model (ONNX sha256)"), ("image_sha256", "photo (sha256)"),
            ("ir_precision", "IR precision"), ("ov_config", "--ov-config"))


def changes(before: Mapping[str, Any], after: Mapping[str, Any], fields: Sequence[tuple[str, str]]) -> list[str]:
    """``label a->b`` for each field both sides recorded with different values (digests shortened)."""
    notes = []
    for key, label in fields:
        a, b = before.get(key), after.get(key)
        if a is None or b is None or a == b:
            continue
        if key.endswith("sha256"):
            a, b = str(a)[:8], str(b)[:8]
        notes.append(f"{label} {a}->{b}")
    return notes


def precision_change(before: str | None, after: str | None) -> str:
    """``f32->bf16`` when the resolved inference precision changed, else empty."""
    return f"{before}->{after}" if before and after and before != after else ""
