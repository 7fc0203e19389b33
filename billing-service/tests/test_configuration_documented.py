from pathlib import Path

from billing_service.config import Settings
from rcm_shared.testing import environment_variables

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    readme = README.read_text()
    missing = sorted(n for n in environment_variables(Settings) if f"`{n}`" not in readme)
    assert missing == []
