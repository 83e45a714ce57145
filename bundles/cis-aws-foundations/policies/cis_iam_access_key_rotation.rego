# METADATA
# title: Active IAM access keys are rotated every 90 days or less
# description: >-
#   An active access key must be younger than the configured maximum age (90 days by
#   default), measured from its creation date to the evaluation time input.now.
# scope: package
# custom:
#   id: cis-iam-access-key-rotation
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - iam-access-key
#   frameworks:
#     cis_aws_v3: "1.14"
#     aws_fsbp: IAM.3
#   inputs:
#     type: object
#     properties:
#       max_age_days:
#         type: integer
#         minimum: 1
#         default: 90
#     additionalProperties: false
#   rationale: >-
#     Rotating keys bounds how long a leaked key stays useful. The age is computed from the
#     request's evaluation time, never the clock, so results are reproducible.
#   remediation_guidance: >-
#     Create a new key, move workloads to it, then deactivate the old key with
#     iam:UpdateAccessKey Status=Inactive. Rollback sets the old key Active again.
package seg.controls.cis_iam_access_key_rotation

_kind := "iam-access-key"

_config := c if {
	c := input.config
} else := null

_asset_kind := k if {
	k := input.asset.kind
} else := null

# Value at key, or null when the key or its parent is absent (keeps negated checks defined).
_at(x, key) := v if {
	v := x[key]
} else := null

_params := p if {
	p := input.params
	is_object(p)
} else := {}

_max_days := object.get(_params, "max_age_days", 90)

_age_days := floor((_epoch_seconds(input.now) - _epoch_seconds(input.config.create_date)) / 86400)

default result := {
	"result": "error",
	"message": "input is malformed: the control could not evaluate it",
	"evidence": [],
}

result := {
	"result": "not_applicable",
	"message": concat("", ["control applies to ", _kind, " assets, not ", input.asset.kind]),
	"evidence": [],
} if {
	is_string(input.asset.kind)
	input.asset.kind != _kind
} else := {
	"result": "error",
	"message": concat("; ", sort(_errors)),
	"evidence": [],
} if {
	count(_errors) > 0
} else := {
	"result": "not_applicable",
	"message": concat("", ["access key ", input.config.access_key_id, " is inactive"]),
	"evidence": [{"path": "/status", "media_type": "application/json"}],
} if {
	input.config.status != "Active"
} else := {
	"result": "pass",
	"message": concat("", [
		"access key ", input.config.access_key_id, " is ", format_int(_age_days, 10),
		" days old, within ", format_int(_max_days, 10), " days",
	]),
	"evidence": [{"path": "/create_date", "media_type": "application/json"}],
} if {
	_age_days <= _max_days
} else := {
	"result": "fail",
	"message": concat("", [
		"access key ", input.config.access_key_id, " is ", format_int(_age_days, 10),
		" days old, older than ", format_int(_max_days, 10), " days",
	]),
	"evidence": [{"path": "/create_date", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "input.now must be an RFC 3339 timestamp" if not _is_time(_at(input, "now"))

_errors contains "params.max_age_days must be a number" if not is_number(_max_days)

_errors contains "config.create_date must be an RFC 3339 timestamp" if not _is_time(_at(_config, "create_date"))

_errors contains "config.status must be a string" if not is_string(_at(_config, "status"))

_errors contains "config.access_key_id must be a string" if not is_string(_at(_config, "access_key_id"))

# RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)), checked by position
# rather than with regex.match, which costs a regular-expression compile per call in wasm.
_is_time(s) if {
	is_string(s)
	count(s) >= 20
	_digits(substring(s, 0, 4))
	substring(s, 4, 1) == "-"
	_digits(substring(s, 5, 2))
	substring(s, 7, 1) == "-"
	_digits(substring(s, 8, 2))
	upper(substring(s, 10, 1)) == "T"
	_digits(substring(s, 11, 2))
	substring(s, 13, 1) == ":"
	_digits(substring(s, 14, 2))
	substring(s, 16, 1) == ":"
	_digits(substring(s, 17, 2))
	_zone_ok(substring(s, 19, count(s) - 19))
}

_zone_ok(rest) if _tz(rest)

_zone_ok(rest) if {
	startswith(rest, ".")
	endswith(upper(rest), "Z")
	_digits(substring(rest, 1, count(rest) - 2))
}

_zone_ok(rest) if {
	startswith(rest, ".")
	n := count(rest)
	n > 7
	_tz(substring(rest, n - 6, 6))
	_digits(substring(rest, 1, n - 7))
}

_tz(t) if upper(t) == "Z"

_tz(t) if {
	count(t) == 6
	substring(t, 0, 1) in {"+", "-"}
	_digits(substring(t, 1, 2))
	substring(t, 3, 1) == ":"
	_digits(substring(t, 4, 2))
}

_digits(s) if {
	count(s) > 0
	trim(s, "0123456789") == ""
}

# Seconds since the Unix epoch of an RFC 3339 timestamp, fractions dropped, offset applied.
# Plain integer arithmetic: no time.* built-in, so the wasm build needs no host functions.
# Only reached once _errors is empty, i.e. both timestamps passed _is_time.
_epoch_seconds(s) := secs if {
	days := _days_from_civil(_int(substring(s, 0, 4)), _int(substring(s, 5, 2)), _int(substring(s, 8, 2)))
	clock := (((_int(substring(s, 11, 2)) * 60) + _int(substring(s, 14, 2))) * 60) + _int(substring(s, 17, 2))
	secs := ((days * 86400) + clock) - _offset_seconds(s)
}

_offset_seconds(s) := 0 if {
	endswith(upper(s), "Z")
} else := off if {
	tz := substring(s, count(s) - 6, 6)
	minutes := (_int(substring(tz, 1, 2)) * 60) + _int(substring(tz, 4, 2))
	off := _signed(substring(tz, 0, 1), minutes * 60)
}

_signed("+", n) := n

_signed("-", n) := 0 - n

# Decimal digits to a number; to_number rejects leading zeros such as "08".
_int(digits) := to_number(concat("", ["1", digits])) - _pow10[count(digits)]

_pow10 := {1: 10, 2: 100, 4: 10000}

# Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
_days_from_civil(y0, m, d) := days if {
	y := y0 - _jan_or_feb(m)
	era := floor(y / 400)
	yoe := y - (era * 400)
	doy := (floor(((153 * ((m + 9) % 12)) + 2) / 5) + d) - 1
	doe := (((yoe * 365) + floor(yoe / 4)) - floor(yoe / 100)) + doy
	days := ((era * 146097) + doe) - 719468
}

_jan_or_feb(m) := 1 if m <= 2

_jan_or_feb(m) := 0 if m > 2
