"""What `nanoctl api` imports (#24), with the runner of test_import_cost.py: nothing that
`status` does not load but its own modules (the benchmark keeps `api /login` within 5 % of
`status`), no crypto or keyring with NANOSERVICES_TOKEN, nothing heavy for its help page;
and no other command loads api's modules."""

from __future__ import annotations

import json
from pathlib import Path

from reference_server import VALID, ReferenceServer
from tests.integration.test_import_cost import (  # the fixtures too
    CRYPTO,
    HEAVY,
    HTTP_ADAPTER,
    KEYRING,
    PYDANTIC_MODELS,
    env,
    run_nanoctl,
    store_credential,
    workdir,
)

FIXTURES = (env, workdir)
"""test_import_cost.py's fixtures, which pytest finds here by their names."""

API_OWN = frozenset(
    {
        "nanoctl.adapters.http.api_attempts",
        "nanoctl.adapters.http.api_client",
        "nanoctl.adapters.http.api_session",
        "nanoctl.domain.answer_masking",
        "nanoctl.domain.api_request",
        "nanoctl.domain.call_api",
        "nanoctl.domain.masking",
        "nanoctl.domain.request_errors",
        "nanoctl.entrypoints.cli.api",
    }
)
"""nanoctl's own modules of `api` (its command, request, use case, session and masks)."""


def test_api_imports_no_more_than_status_does_but_its_own_modules(
    env: dict[str, str], workdir: Path, reference_server: ReferenceServer
) -> None:
    """The benchmark keeps `api /login` within 5 % of `status`: it may load nothing else."""
    store_credential(env)
    status = run_nanoctl("status", env=env, workdir=workdir)
    api = run_nanoctl("api", "/login", env=env, workdir=workdir)

    assert status.returncode == api.returncode == 0, api.stderr
    assert json.loads(api.stdout)["username"] == "ada"
    extra = sorted(api.modules - status.modules - API_OWN)
    assert extra == [], f"`nanoctl api /login` imports what `status` does not: {extra[:8]}"
    api.assert_not_loaded((*KEYRING, "getpass", *PYDANTIC_MODELS))


def test_api_with_the_environments_token_imports_no_crypto_or_keyring(
    env: dict[str, str], workdir: Path
) -> None:
    env["NANOSERVICES_TOKEN"] = VALID

    run = run_nanoctl("api", "/deploy-status/web", env=env, workdir=workdir)

    assert run.returncode == 0, run.stderr
    run.assert_not_loaded((*CRYPTO, *KEYRING, "getpass", *PYDANTIC_MODELS))


def test_api_help_imports_nothing_heavy(env: dict[str, str], workdir: Path) -> None:
    for args in (("help", "api"), ("api", "--help")):
        run = run_nanoctl(*args, env=env, workdir=workdir)

        assert run.returncode == 0, run.stderr
        assert "nanoctl api /deploy-status/my-service" in run.stdout
        run.assert_not_loaded((*HEAVY, *HTTP_ADAPTER))


def test_no_other_command_loads_the_modules_of_api(env: dict[str, str], workdir: Path) -> None:
    """The ports name api's request for its type only: logout, status and login load none
    of api's modules."""
    env["NANOSERVICES_TOKEN"] = VALID
    for args in (("logout",), ("status",), ("login",)):
        run = run_nanoctl(*args, env=env, workdir=workdir)

        assert run.returncode == 0, run.stderr
        run.assert_not_loaded(sorted(API_OWN))
