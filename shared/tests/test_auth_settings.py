import pytest
from pydantic import ValidationError

from rcm_shared.auth import ApiKeyRecord, ApiKeyRegistry, hash_key
from rcm_shared.settings import Environment, ServiceSettings


def test_development_mode_accepts_the_demo_keys() -> None:
    settings = ServiceSettings()
    registry = ApiKeyRegistry(settings.effective_api_keys())
    principal = registry.authenticate("demo-key-clinic-a")
    assert principal is not None and principal.tenant_id == "clinic-a"
    assert registry.authenticate("demo-key-clinic-b").tenant_id == "clinic-b"
    assert registry.authenticate("demo-key-clinic-c") is None


def test_production_refuses_to_start_without_keys() -> None:
    with pytest.raises(ValidationError, match="API_KEYS"):
        ServiceSettings(environment=Environment.PRODUCTION)


def test_production_ignores_demo_keys_and_holds_only_hashes() -> None:
    record = ApiKeyRecord(key_sha256=hash_key("s3cret-key"), tenant_id="t1",
                          scopes=["coding:read"])
    settings = ServiceSettings(environment=Environment.PRODUCTION, api_keys=[record])
    registry = ApiKeyRegistry(settings.effective_api_keys())
    assert registry.authenticate("demo-key-clinic-a") is None
    principal = registry.authenticate("s3cret-key")
    assert principal is not None
    assert principal.has("coding:read") and not principal.has("coding:write")
    assert "s3cret-key" not in repr(settings)


def test_api_keys_come_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    digest = hash_key("k")
    monkeypatch.setenv("API_KEYS", f'[{{"key_sha256": "{digest}", "tenant_id": "t9"}}]')
    monkeypatch.setenv("ENVIRONMENT", "production")
    settings = ServiceSettings()
    assert settings.api_keys[0].tenant_id == "t9"
