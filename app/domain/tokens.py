"""What the server signs and the client checks: one place for the license token's frame."""

from __future__ import annotations

ALGORITHM = "EdDSA"
ISSUER = "standby-activation-server"
#: Claims every license token carries; a token without one of them is not a license.
REQUIRED_CLAIMS = ("sub", "iss", "lid", "expires_at")
