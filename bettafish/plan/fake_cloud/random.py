"""pulumi-random part of the fake cloud: deterministic stand-ins for generated values."""

from __future__ import annotations

import base64

import pulumi

from bettafish.plan.fake_cloud.common import Computed, hex_digest


def random_state(args: pulumi.runtime.MockResourceArgs) -> Computed:
    if args.typ == "random:index/randomId:RandomId":
        return _random_id(args)
    value = "Fk" + hex_digest("random", args.name, length=30)
    if args.typ == "random:index/randomPassword:RandomPassword":
        return args.name, {"result": value, "bcryptHash": f"$2a$10${hex_digest(value, length=53)}"}
    if args.typ == "random:index/randomId:RandomId":
        raw = bytes.fromhex(hex_digest("random", args.name, length=2 * int(args.inputs.get("byteLength", 8))))
        b64 = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return b64, {
            "hex": raw.hex(),
            "b64Url": b64,
            "b64Std": base64.b64encode(raw).decode(),
            "dec": str(int(raw.hex(), 16)),
        }
    return args.name, {"result": value}


def _random_id(args: pulumi.runtime.MockResourceArgs) -> Computed:
    """``byteLength`` random bytes as RandomId renders them (hex, base64url, decimal)."""
    raw = bytes.fromhex(hex_digest("random", args.name, length=2 * int(args.inputs.get("byteLength", 8))))
    b64_url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return b64_url, {
        "hex": raw.hex(),
        "b64Url": b64_url,
        "b64Std": base64.b64encode(raw).decode(),
        "dec": str(int.from_bytes(raw, "big")),
    }
