from billing_service.config import get_settings
from billing_service.models import Base
from rcm_shared.migrations import run_alembic

run_alembic(Base.metadata, get_settings().database_url, version_table="billing_alembic_version")
