# METADATA
# title: IAM users receive permissions only through groups
# description: >-
#   An IAM user must have no directly attached managed policies and no inline policies;
#   permissions come from group membership.
# scope: package
# custom:
#   id: cis-iam-user-no-direct-policies
#   version: 1.0.0
#   severity: low
#   benchmark: CIS
#   target_kinds:
#     - iam-user
#   frameworks:
#     cis_aws_v3: "1.15"
#     aws_fsbp: IAM.2
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     Granting permissions through groups keeps access reviewable as the organisation grows and
#     makes it less likely that a user keeps privileges after changing role.
#   remediation_guidance: >-
#     Add the user to a group that carries the needed policies, then iam:DetachUserPolicy for
#     each attached policy and iam:DeleteUserPolicy for each inline policy (capture the inline
#     document first). Rollback re-attaches the policies and puts the captured inline documents.
package seg.controls.cis_iam_user_no_direct_policies

_kind := "iam-user"

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

_attached := _at(_config, "attached_policy_arns")

_inline := _at(_config, "inline_policy_names")

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
	"result": "pass",
	"message": concat("", ["user ", input.config.user_name, " has no directly attached or inline policies"]),
	"evidence": [
		{"path": "/attached_policy_arns", "media_type": "application/json"},
		{"path": "/inline_policy_names", "media_type": "application/json"},
	],
} if {
	count(_attached) == 0
	count(_inline) == 0
} else := {
	"result": "fail",
	"message": concat("", [
		"user ", input.config.user_name, " has ", format_int(count(_attached), 10), " attached and ",
		format_int(count(_inline), 10), " inline policies; grant permissions through groups",
	]),
	"evidence": [
		{"path": "/attached_policy_arns", "media_type": "application/json"},
		{"path": "/inline_policy_names", "media_type": "application/json"},
	],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.user_name must be a string" if not is_string(_at(_config, "user_name"))

_errors contains "config.attached_policy_arns must be an array" if not is_array(_attached)

_errors contains "config.inline_policy_names must be an array" if not is_array(_inline)
