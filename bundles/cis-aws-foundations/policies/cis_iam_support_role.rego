# METADATA
# title: A support role exists to manage incidents with AWS Support
# description: >-
#   At least one IAM role must have the AWS managed policy AWSSupportAccess attached.
# scope: package
# custom:
#   id: cis-iam-support-role
#   version: 1.0.0
#   severity: low
#   benchmark: CIS
#   target_kinds:
#     - iam-account
#   frameworks:
#     cis_aws_v3: "1.17"
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     A dedicated role lets authorised people open and manage support cases during an incident
#     without sharing user credentials or granting broad rights.
#   remediation_guidance: >-
#     Create a role trusted by the incident responders and attach
#     arn:aws:iam::aws:policy/AWSSupportAccess (iam:CreateRole, iam:AttachRolePolicy).
#     Rollback detaches the policy and deletes the role.
package seg.controls.cis_iam_support_role

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

_roles := _at(_at(_config, "support_policy_attachments"), "roles")

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
	"message": concat("", ["AWSSupportAccess is attached to role(s) ", concat(", ", sort(_roles))]),
	"evidence": [{"path": "/support_policy_attachments/roles", "media_type": "application/json"}],
} if {
	count(_roles) > 0
} else := {
	"result": "fail",
	"message": "no IAM role has the AWSSupportAccess policy attached",
	"evidence": [{"path": "/support_policy_attachments", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.support_policy_attachments.roles must be an array" if not is_array(_roles)

_errors contains "config.support_policy_attachments.roles[] must be strings" if {
	some r in _roles
	not is_string(r)
}
