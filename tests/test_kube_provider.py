"""Against a real engine, the Kubernetes provider first probes the API endpoint: an operator who
cannot reach a private cluster gets an explanation in seconds instead of a hang."""

from __future__ import annotations

import socket

import pytest
from pulumi.runtime.mocks import MockMonitor

from bettafish.plan import FakeCloud
from components import kube_cluster


def test_an_unreachable_endpoint_fails_fast_with_the_way_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kube_cluster, "get_monitor", lambda: None)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(RuntimeError, match=r"cannot reach the Kubernetes API at https://127\.0\.0\.1:\d+") as caught:
        kube_cluster._reachable_or_explain("kubeconfig", f"https://127.0.0.1:{port}")
    assert "authorizedCidrs" in str(caught.value)
    assert "docs/deploying.md" in str(caught.value)


def test_a_reachable_endpoint_passes_the_kubeconfig_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kube_cluster, "get_monitor", lambda: None)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        endpoint = f"https://127.0.0.1:{server.getsockname()[1]}"
        assert kube_cluster._reachable_or_explain("kubeconfig", endpoint) == "kubeconfig"


def test_offline_runs_never_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the recording engine (a MockMonitor) the fake endpoint is not dialled."""
    monkeypatch.setattr(kube_cluster, "get_monitor", lambda: MockMonitor(FakeCloud()))
    assert kube_cluster._reachable_or_explain("kc", "https://203.0.113.1:443") == "kc"
