"""Who billing is on an 837P's envelope: the submitter and the receiver (billing
Settings.x12, env prefix X12__). The providers' names, addresses and tax ids come from each
tenant's provider registry (/v1/providers).

The defaults are demo values, like the demo API keys: set X12__SUBMITTER_ID and the rest for
real use.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

X12_ID = r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(_Frozen):
    line: str = Field(min_length=1, max_length=55)
    city: str = Field(min_length=2, max_length=30)
    state: str = Field(pattern=r"^[A-Z]{2}$")
    postal_code: str = Field(pattern=r"^\d{5}(\d{4})?$")


class X12Config(_Frozen):
    usage: Literal["T", "P"] = Field(default="T", description="ISA15: test or production")
    # ISA06/GS02 and loop 1000A.
    submitter_id: str = Field(default="RCMBILLING", max_length=15, pattern=X12_ID)
    submitter_name: str = Field(default="RCM BILLING SERVICE", max_length=60)
    submitter_contact_name: str = Field(default="BILLING SUPPORT", max_length=60)
    submitter_contact_phone: str = Field(default="5555550100", pattern=r"^\d{10}$")
    # ISA08/GS03 and loop 1000B: the clearinghouse or payer the files go to.
    receiver_id: str = Field(default="MOCKPAYER", max_length=15, pattern=X12_ID)
    receiver_name: str = Field(default="MOCK PAYER CLEARINGHOUSE", max_length=60)
    # The provider who asks payers about eligibility and claim status (270 and 276 loop
    # 2100B) when the inquiry names none: a provider of the tenant's registry.
    inquiry_provider_npi: str = Field(default="1234567893", pattern=r"^\d{10}$")
