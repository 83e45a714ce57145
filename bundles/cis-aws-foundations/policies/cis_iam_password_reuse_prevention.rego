# METADATA
# title: IAM password policy prevents password reuse
# description: >-
#   The account password policy must exist and remember at least the configured number of
#   previous passwords (24 by default) so that users cannot reuse them.
# scope: package
# custom:
#   id: cis-iam-password-reuse-prevention
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - iam-account
#   frameworks:
#     cis_aws_v3: "1.9"
#     aws_fsbp: IAM.16
#   inputs:
#     type: object
#     properties:
#       min_reuse_prevention:
#         type: integer
#         minimum: 1
#         maximum: 24
#         default: 24
#     additionalProperties: false
#   rationale: >-
#     Preventing reuse stops users from cycling back to a password that may already be
#     compromised.
#   remediation_guidance: >-
#     Call iam:UpdateAccountPasswordPolicy with PasswordReusePrevention=24, keeping the other
#     settings of the current policy. Rollback restores the captured policy, or deletes it if
#     none existed.
package seg.controls.cis_iam_password_reuse_prevention

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

_required := object.get(_params, "min_reuse_prevention", 24)

_policy := _at(_config, "password_policy")

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
	_policy == null
} else := {
	"result": "fail",
	"message": "password policy does not prevent password reuse",
	"evidence": [{"path": "/password_policy/password_reuse_prevention", "media_type": "application/json"}],
} if {
	_policy.password_reuse_prevention == null
} else := {
	"result": "pass",
	"message": concat("", [
		"password policy remembers ", format_int(_policy.password_reuse_prevention, 10),
		" previous passwords, meeting the required ", format_int(_required, 10),
	]),
	"evidence": [{"path": "/password_policy/password_reuse_prevention", "media_type": "application/json"}],
} if {
	_policy.password_reuse_prevention >= _required
} else := {
	"result": "fail",
	"message": concat("", [
		"password policy remembers ", format_int(_policy.password_reuse_prevention, 10),
		" previous passwords, below the required ", format_int(_required, 10),
	]),
	"evidence": [{"path": "/password_policy/password_reuse_prevention", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "params.min_reuse_prevention must be a number" if not is_number(_required)

_errors contains "config.password_policy is missing" if {
	is_object(input.config)
	not _has(_config, "password_policy")
}

_errors contains "config.password_policy must be an object or null" if {
	_has(input.config, "password_policy")
	_policy != null
	not is_object(_policy)
}

_errors contains "config.password_policy.password_reuse_prevention must be a number or null" if {
	is_object(_policy)
	not _number_or_null(object.get(_policy, "password_reuse_prevention", "missing"))
}

_number_or_null(x) if is_number(x)

_number_or_null(x) if x == null

_has(obj, key) if {
	_ = obj[key]
}
