# METADATA
# title: The default security group of every VPC restricts all traffic
# description: >-
#   A security group named "default" must have no ingress and no egress rules. Other groups are
#   not applicable.
# scope: package
# custom:
#   id: cis-network-default-sg-restricts-all
#   version: 1.0.0
#   severity: high
#   benchmark: CIS
#   target_kinds:
#     - security-group
#   frameworks:
#     cis_aws_v3: "5.4"
#     aws_fsbp: EC2.2
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     Resources launched without an explicit group land in the default group; with no rules
#     they get no accidental connectivity, and least-privilege groups must be chosen on purpose.
#   remediation_guidance: >-
#     Revoke every ingress and egress rule of the default group
#     (ec2:RevokeSecurityGroupIngress, ec2:RevokeSecurityGroupEgress) after moving resources to
#     dedicated groups (needs approval). Rollback authorizes the captured rules again.
package seg.controls.cis_network_default_sg_restricts_all

_kind := "security-group"

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

_ingress := _at(_config, "ingress")

_egress := _at(_config, "egress")

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
	"message": concat("", ["security group ", input.config.group_name, " is not a default security group"]),
	"evidence": [{"path": "/group_name", "media_type": "application/json"}],
} if {
	input.config.group_name != "default"
} else := {
	"result": "pass",
	"message": concat("", ["default security group ", input.config.group_id, " has no rules"]),
	"evidence": [
		{"path": "/ingress", "media_type": "application/json"},
		{"path": "/egress", "media_type": "application/json"},
	],
} if {
	count(_ingress) == 0
	count(_egress) == 0
} else := {
	"result": "fail",
	"message": concat("", [
		"default security group ", input.config.group_id, " has ", format_int(count(_ingress), 10),
		" ingress and ", format_int(count(_egress), 10), " egress rules; it must have none",
	]),
	"evidence": [
		{"path": "/ingress", "media_type": "application/json"},
		{"path": "/egress", "media_type": "application/json"},
	],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.group_id must be a string" if not is_string(_at(_config, "group_id"))

_errors contains "config.group_name must be a string" if not is_string(_at(_config, "group_name"))

_errors contains "config.ingress must be an array" if not is_array(_ingress)

_errors contains "config.egress must be an array" if not is_array(_egress)
