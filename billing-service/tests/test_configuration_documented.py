from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from billing_service.config import Settings
from mockpayer.config import Settings as MockPayerSettings
from rcm_shared.testing import environment_variables

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("settings", [Settings, MockPayerSettings])
def test_every_setting_is_in_the_readme_configuration_table(settings: type[BaseSettings]) -> None:
    readme = README.read_text()
    missing = sorted(n for n in environment_variables(settings) if f"`{n}`" not in readme)
    assert missing == []
