"""Pulumi entry point: validate the stack config, build the platform, export its outputs."""

from bettafish.program import main

main()
