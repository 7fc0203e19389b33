from mockpayer.config import get_settings
from mockpayer.models import Base
from rcm_shared.migrations import run_alembic

run_alembic(Base.metadata, get_settings().database_url, version_table="mockpayer_alembic_version")
