"""Pod Security Standards ``restricted`` (security rule 33), checked field by field on a pod spec as
the admission controller checks it, so that a test can say which rule a pod breaks."""

from __future__ import annotations

from typing import Any

RESTRICTED_VOLUMES = {
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
}  # fmt: skip
MIN_USER = 10000
"""Rule 33 asks for a user id of at least 10000 (above the host's system users)."""


def violations(pod: dict[str, Any]) -> list[str]:
    """What keeps ``pod`` (a PodSpec) from running under ``restricted``; empty when it may."""
    found: list[str] = []
    pod_context = pod.get("securityContext", {})
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(flag):
            found.append(f"{flag} is set")
    for volume in pod.get("volumes", []):
        kinds = set(volume) - {"name"}
        if not kinds <= RESTRICTED_VOLUMES:
            found.append(f"volume {volume['name']} is {sorted(kinds)}")
    for container in [*pod.get("initContainers", []), *pod.get("containers", [])]:
        context = container.get("securityContext", {})
        name = container["name"]

        def setting(key: str, context: dict[str, Any] = context) -> Any:
            return context.get(key, pod_context.get(key))

        if context.get("privileged"):
            found.append(f"{name}: privileged")
        if context.get("allowPrivilegeEscalation") is not False:
            found.append(f"{name}: allowPrivilegeEscalation is not false")
        if setting("runAsNonRoot") is not True:
            found.append(f"{name}: runAsNonRoot is not true")
        if (setting("runAsUser") or 0) < MIN_USER:
            found.append(f"{name}: runAsUser below {MIN_USER}")
        if context.get("readOnlyRootFilesystem") is not True:
            found.append(f"{name}: root filesystem is writable")
        if context.get("capabilities", {}).get("drop") != ["ALL"] or context.get("capabilities", {}).get("add"):
            found.append(f"{name}: capabilities are not exactly drop ALL")
        seccomp = setting("seccompProfile") or {}
        if seccomp.get("type") not in ("RuntimeDefault", "Localhost"):
            found.append(f"{name}: no RuntimeDefault seccomp profile")
        if any(port.get("hostPort") for port in container.get("ports", [])):
            found.append(f"{name}: hostPort")
    return found
