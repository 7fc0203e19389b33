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


PG_URL = "postgresql+asyncpg://rcm@db.internal/rcm"


def test_production_refuses_to_start_without_keys() -> None:
    with pytest.raises(ValidationError, match="API_KEYS"):
        ServiceSettings(environment=Environment.PRODUCTION, database_url=PG_URL)


def test_production_refuses_the_default_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    record = ApiKeyRecord(key_sha256=hash_key("k"), tenant_id="t1")
    with pytest.raises(ValidationError, match="DATABASE_URL"):
        ServiceSettings(environment=Environment.PRODUCTION, api_keys=[record])
    monkeypatch.setenv("DATABASE_URL", PG_URL)
    assert ServiceSettings(environment=Environment.PRODUCTION,
                           api_keys=[record]).database_url == PG_URL
    # Development keeps the SQLite default.
    monkeypatch.delenv("DATABASE_URL")
    assert ServiceSettings().database_url.startswith("sqlite")


def test_production_ignores_demo_keys_and_holds_only_hashes() -> None:
    record = ApiKeyRecord(key_sha256=hash_key("s3cret-key"), tenant_id="t1",
                          scopes=["coding:read"])
    settings = ServiceSettings(environment=Environment.PRODUCTION, api_keys=[record],
                               database_url=PG_URL)
    registry = ApiKeyRegistry(settings.effective_api_keys())
    assert registry.authenticate("demo-key-clinic-a") is None
    assert registry.authenticate("demo-key-clinic-a-readonly") is None
    principal = registry.authenticate("s3cret-key")
    assert principal is not None
    assert principal.has("coding:read") and not principal.has("coding:write")
    assert "s3cret-key" not in repr(settings)


def test_api_keys_come_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    digest = hash_key("k")
    monkeypatch.setenv("API_KEYS", f'[{{"key_sha256": "{digest}", "tenant_id": "t9"}}]')
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DATABASE_URL", PG_URL)
    settings = ServiceSettings()
    assert settings.api_keys[0].tenant_id == "t9"


def test_limited_demo_keys_carry_only_their_scopes() -> None:
    registry = ApiKeyRegistry(ServiceSettings().effective_api_keys())
    readonly = registry.authenticate("demo-key-clinic-a-readonly")
    coder = registry.authenticate("demo-key-clinic-a-coder")
    biller = registry.authenticate("demo-key-clinic-a-biller")
    assert readonly is not None and coder is not None and biller is not None
    assert {readonly.tenant_id, coder.tenant_id, biller.tenant_id} == {"clinic-a"}
    assert readonly.has("coding:read") and readonly.has("billing:read")
    assert not readonly.has("coding:write") and not readonly.has("billing:write")
    assert coder.has("coding:write") and not coder.has("billing:read")
    assert biller.has("billing:write") and biller.has("coding:read")
    assert not biller.has("coding:write")
    for limited in (readonly, coder, biller):
        assert not limited.has("admin")
    full = registry.authenticate("demo-key-clinic-a")
    assert full is not None and full.has("admin")
