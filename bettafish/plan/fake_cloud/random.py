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
    if args.typ == "random:index/randomString:RandomString":
        # The characters the string may hold, at the length asked for (a name suffix: lowercase and digits).
        length = int(args.inputs.get("length", len(value)))
        text = hex_digest("random", args.name, length=length)
        return args.name, {"result": text if args.inputs.get("upper") is False else text.upper()}
    return args.name, {"result": value}


def _random_id(args: pulumi.runtime.MockResourceArgs) -> Computed:
    """``byteLength`` bytes, in every encoding RandomId returns; its id is the URL-safe base64."""
    raw = bytes.fromhex(hex_digest("random-id", args.name, length=2 * int(args.inputs.get("byteLength", 8))))
    prefix = str(args.inputs.get("prefix") or "")
    url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    computed = {
        "hex": prefix + raw.hex(),
        "dec": prefix + str(int.from_bytes(raw, "big")),
        "b64Std": prefix + base64.b64encode(raw).decode(),
        "b64Url": prefix + url,
    }
    return url, computed
