"""Request bodies. Strict types: a number where text belongs is a 422, never a 500."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

DeviceId = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9_.:-]{8,64}$")]
CodeText = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=100)]
AppVersion = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64)]
Token = Annotated[str, StringConstraints(strict=True, min_length=10, max_length=4096)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)


class ActivationRequest(_Body):
    code: CodeText
    device_id: DeviceId
    app_version: AppVersion


class ReserveCheckRequest(_Body):
    code: CodeText
    device_id: DeviceId
    app_version: AppVersion
    current_license: Token | None = None
    reserve_code: CodeText | None = None
    #: The device means to replace its saved reserve (``reserve_code``) with this code if it
    #: passes in full; without it, a saved reserve is refused as reserve_already_set.
    replace_reserve: bool = False


class LicenseRequest(_Body):
    license: Token


class SignInRequest(_Body):
    email: Annotated[str, StringConstraints(strict=True, min_length=3, max_length=320)]
    password: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=1024)]
    device_id: DeviceId
