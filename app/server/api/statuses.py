"""The HTTP status each error code is answered with (contract.md lists them)."""

from __future__ import annotations

from app.domain.errors import ErrorCode

HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID_FORMAT: 422,
    ErrorCode.CODE_NOT_FOUND: 404,
    ErrorCode.CODE_EXPIRED: 410,
    ErrorCode.CODE_BLOCKED: 403,
    ErrorCode.DEVICE_LIMIT_REACHED: 409,
    ErrorCode.INCOMPATIBLE_VERSION: 409,
    ErrorCode.ACCOUNT_REQUIRED: 403,
    ErrorCode.SUBSCRIPTION_NO_RESERVE: 409,
    ErrorCode.RESERVE_TYPE_NOT_ALLOWED: 409,
    ErrorCode.RESERVE_ALREADY_SET: 409,
    ErrorCode.SAME_CODE: 409,
    ErrorCode.NOT_LATER_THAN_CURRENT: 409,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.DEVICE_NOT_PROVEN: 401,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.NOT_OFFERED: 503,
}
