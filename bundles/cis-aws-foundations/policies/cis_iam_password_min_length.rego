# METADATA
# title: IAM password policy requires a minimum length of 14 or more
# description: >-
#   The account password policy must exist and set MinimumPasswordLength to at least
#   the configured minimum (14 by default).
# scope: package
# custom:
#   id: cis-iam-password-min-length
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - iam-account
#   frameworks:
#     cis_aws_v3: "1.8"
#     aws_fsbp: IAM.15
#   inputs:
#     type: object
#     properties:
#       min_length:
#         type: integer
#         minimum: 1
#         default: 14
#     additionalProperties: false
#   rationale: >-
#     Long passwords resist brute-force and guessing attacks; without a password policy AWS
#     accepts passwords of any length.
#   remediation_guidance: >-
#     Call iam:UpdateAccountPasswordPolicy with MinimumPasswordLength=14, keeping the other
#     settings of the current policy. Rollback restores the captured policy, or deletes it if
#     none existed.
package seg.controls.cis_iam_password_min_length

_kind := "iam-account"

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

_min_length := object.get(_params, "min_length", 14)

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
	"result": "fail",
	"message": "account has no IAM password policy",
	"evidence": [{"path": "/password_policy", "media_type": "application/json"}],
} if {
	input.config.password_policy == null
} else := {
	"result": "pass",
	"message": concat("", [
		"password policy minimum length ", format_int(input.config.password_policy.minimum_password_length, 10),
		" meets the required ", format_int(_min_length, 10),
	]),
	"evidence": [{"path": "/password_policy/minimum_password_length", "media_type": "application/json"}],
} if {
	input.config.password_policy.minimum_password_length >= _min_length
} else := {
	"result": "fail",
	"message": concat("", [
		"password policy minimum length ", format_int(input.config.password_policy.minimum_password_length, 10),
		" is below the required ", format_int(_min_length, 10),
	]),
	"evidence": [{"path": "/password_policy/minimum_password_length", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "params.min_length must be a number" if not is_number(_min_length)

_errors contains "config.password_policy is missing" if {
	is_object(input.config)
	not _has(_config, "password_policy")
}

_errors contains "config.password_policy.minimum_password_length must be a number" if {
	is_object(input.config.password_policy)
	not is_number(_at(_at(_config, "password_policy"), "minimum_password_length"))
}

_errors contains "config.password_policy must be an object or null" if {
	_has(input.config, "password_policy")
	not is_object(_at(_config, "password_policy"))
	input.config.password_policy != null
}

_has(obj, key) if {
	_ = obj[key]
}
