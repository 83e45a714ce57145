# METADATA
# title: No attached customer managed IAM policy grants full "*:*" administrative privileges
# description: >-
#   A customer managed policy that is attached to an identity must not contain an Allow
#   statement whose actions include "*" and whose resources include "*".
# scope: package
# custom:
#   id: cis-iam-no-full-admin-policy
#   version: 1.0.0
#   severity: high
#   benchmark: CIS
#   target_kinds:
#     - iam-policy
#   frameworks:
#     cis_aws_v3: "1.16"
#     aws_fsbp: IAM.1
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     Least privilege: full administrative rights should be granted deliberately to few
#     principals, not through a general-purpose policy.
#   remediation_guidance: >-
#     List the policy's entities (iam:ListEntitiesForPolicy) and detach it from each user, group
#     and role, replacing it with a scoped policy. Rollback re-attaches it to the captured
#     entities.
package seg.controls.cis_iam_no_full_admin_policy

_kind := "iam-policy"

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

_statements := _at(_at(_config, "document"), "statements")

_full_admin contains i if {
	some i, s in _statements
	s.effect == "Allow"
	some a in s.actions
	a in {"*", "*:*"}
	"*" in s.resources
}

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
	"message": concat("", ["policy ", input.config.name, " is AWS managed; only customer managed policies are in scope"]),
	"evidence": [{"path": "/is_aws_managed", "media_type": "application/json"}],
} if {
	input.config.is_aws_managed == true
} else := {
	"result": "not_applicable",
	"message": concat("", ["policy ", _at(_config, "name"), " is not attached to any identity"]),
	"evidence": [{"path": "/attachment_count", "media_type": "application/json"}],
} if {
	input.config.attachment_count == 0
} else := {
	"result": "pass",
	"message": concat("", ["policy ", _at(_config, "name"), " does not grant full administrative privileges"]),
	"evidence": [{"path": "/document/statements", "media_type": "application/json"}],
} if {
	count(_full_admin) == 0
} else := {
	"result": "fail",
	"message": concat("", ["policy ", input.config.name, " allows full \"*:*\" administrative privileges"]),
	"evidence": [{"path": concat("", ["/document/statements/", format_int(i, 10)]), "media_type": "application/json"} | some i in sort(_full_admin)],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.name must be a string" if not is_string(_at(_config, "name"))

_errors contains "config.is_aws_managed must be a boolean" if not is_boolean(_at(_config, "is_aws_managed"))

_errors contains "config.attachment_count must be a number" if not is_number(_at(_config, "attachment_count"))

_errors contains "config.document.statements must be an array" if not is_array(_statements)

_errors contains "config.document.statements[] need effect, actions and resources" if {
	some s in _statements
	not _well_formed(s)
}

_well_formed(s) if {
	is_string(s.effect)
	is_array(s.actions)
	is_array(s.resources)
}
