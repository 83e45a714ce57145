# METADATA
# title: RDS database instances are not publicly accessible
# description: >-
#   A database instance must have PubliclyAccessible = false so that it has no public endpoint.
# scope: package
# custom:
#   id: cis-rds-not-public
#   version: 1.0.0
#   severity: critical
#   benchmark: CIS
#   target_kinds:
#     - rds-instance
#   frameworks:
#     cis_aws_v3: "2.3.3"
#     aws_fsbp: RDS.2
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     A public endpoint exposes the database listener to the internet, leaving network
#     controls as the only barrier against credential guessing and exploits.
#   remediation_guidance: >-
#     Call rds:ModifyDBInstance with PubliclyAccessible=false and ApplyImmediately=true after
#     confirming that clients reach it privately (needs approval: it can cut access). Rollback
#     sets PubliclyAccessible=true.
package seg.controls.cis_rds_not_public

_kind := "rds-instance"

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
	"message": concat("", ["database ", input.config.db_instance_identifier, " is not publicly accessible"]),
	"evidence": [{"path": "/publicly_accessible", "media_type": "application/json"}],
} if {
	input.config.publicly_accessible == false
} else := {
	"result": "fail",
	"message": concat("", ["database ", input.config.db_instance_identifier, " is publicly accessible"]),
	"evidence": [{"path": "/publicly_accessible", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.publicly_accessible must be a boolean" if not is_boolean(_at(_config, "publicly_accessible"))

_errors contains "config.db_instance_identifier must be a string" if not is_string(_at(_config, "db_instance_identifier"))
