# METADATA
# title: RDS database instances upgrade minor versions automatically
# description: >-
#   A database instance must have AutoMinorVersionUpgrade = true so that engine patches are
#   applied in the maintenance window.
# scope: package
# custom:
#   id: cis-rds-auto-minor-upgrade
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - rds-instance
#   frameworks:
#     cis_aws_v3: "2.3.2"
#     aws_fsbp: RDS.13
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     Minor versions carry security fixes; applying them automatically closes known
#     vulnerabilities without manual tracking.
#   remediation_guidance: >-
#     Call rds:ModifyDBInstance with AutoMinorVersionUpgrade=true. Rollback sets it to false.
package seg.controls.cis_rds_auto_minor_upgrade

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
	"message": concat("", ["automatic minor version upgrade is on for ", input.config.db_instance_identifier]),
	"evidence": [{"path": "/auto_minor_version_upgrade", "media_type": "application/json"}],
} if {
	input.config.auto_minor_version_upgrade == true
} else := {
	"result": "fail",
	"message": concat("", ["automatic minor version upgrade is off for ", input.config.db_instance_identifier]),
	"evidence": [{"path": "/auto_minor_version_upgrade", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.auto_minor_version_upgrade must be a boolean" if not is_boolean(_at(_config, "auto_minor_version_upgrade"))

_errors contains "config.db_instance_identifier must be a string" if not is_string(_at(_config, "db_instance_identifier"))
