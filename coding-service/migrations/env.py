from coding_service.config import get_settings
from coding_service.models import Base
from rcm_shared.migrations import run_alembic

run_alembic(Base.metadata, get_settings().database_url, version_table="coding_alembic_version")
