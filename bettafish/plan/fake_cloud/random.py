"""pulumi-random part of the fake cloud: deterministic stand-ins for generated values."""

from __future__ import annotations

import pulumi

from bettafish.plan.fake_cloud.common import Computed, hex_digest


def random_state(args: pulumi.runtime.MockResourceArgs) -> Computed:
    value = "Fk" + hex_digest("random", args.name, length=30)
    if args.typ == "random:index/randomPassword:RandomPassword":
        return args.name, {"result": value, "bcryptHash": f"$2a$10${hex_digest(value, length=53)}"}
    if args.typ == "random:index/randomString:RandomString":
        # The characters the string may hold, at the length asked for (a name suffix: lowercase and digits).
        length = int(args.inputs.get("length", len(value)))
        text = hex_digest("random", args.name, length=length)
        return args.name, {"result": text if args.inputs.get("upper") is False else text.upper()}
    return args.name, {"result": value}
