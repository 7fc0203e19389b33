"""Settings read from the environment, and the one line that names the bad ones."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from rcm_shared.command import ConfigurationError, run_command
from rcm_shared.settings import ServiceSettings, load_settings


class Limits(BaseModel):
    latency_ms: int = Field(default=0, ge=0)


class NestedSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True,
                                      env_nested_delimiter="__")

    limits: Limits = Field(default_factory=Limits)
    retries: int = Field(default=3, ge=1)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENVIRONMENT", "API_KEYS", "CORS_ORIGINS", "LIMITS", "LIMITS__LATENCY_MS",
                 "RETRIES", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("value", "origins"), [
    ("http://localhost:3000", ["http://localhost:3000"]),
    ("http://a.test,https://b.test", ["http://a.test", "https://b.test"]),
    (" http://a.test , https://b.test ,", ["http://a.test", "https://b.test"]),
    ('["http://a.test", "https://b.test"]', ["http://a.test", "https://b.test"]),
    ("", []),
])
def test_cors_origins_are_a_comma_separated_or_json_list(
        monkeypatch: pytest.MonkeyPatch, value: str, origins: list[str]) -> None:
    monkeypatch.setenv("CORS_ORIGINS", value)
    assert load_settings(NestedSettings).cors_origins == origins


@pytest.mark.parametrize(("environment", "line"), [
    ({"CORS_ORIGINS": '["http://a.test"'},
     "bad setting: CORS_ORIGINS: not a valid JSON list (Expecting ',' delimiter: line 1 "
     "column 17 (char 16))"),
    ({"API_KEYS": "[{"},
     "bad setting: API_KEYS: not valid JSON (Expecting property name enclosed in double "
     "quotes: line 1 column 3 (char 2))"),
    ({"API_KEYS": '[{"tenant_id": "t"}]'}, "bad setting: API_KEYS[0].key_sha256: Field required"),
    ({"LIMITS__LATENCY_MS": "-1"},
     "bad setting: LIMITS__LATENCY_MS: Input should be greater than or equal to 0"),
    ({"ENVIRONMENT": "production"},
     "bad setting: API_KEYS must be configured in production mode"),
    ({"RETRIES": "0", "ENVIRONMENT": "staging"},
     "bad settings: ENVIRONMENT: Input should be 'development' or 'production'; "
     "RETRIES: Input should be greater than or equal to 1"),
])
def test_bad_settings_are_named_in_one_line(
        monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], line: str) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings(NestedSettings)
    assert str(raised.value) == line


def test_a_command_stopped_by_its_settings_prints_one_line_and_exits_2(
        capsys: pytest.CaptureFixture[str]) -> None:
    def command() -> int:
        raise ConfigurationError("bad setting: RETRIES: Input should be greater than 0")

    assert run_command("svc", command) == 2
    assert capsys.readouterr().err == "svc: bad setting: RETRIES: Input should be greater than 0\n"
    assert run_command("svc", lambda: 0) == 0
