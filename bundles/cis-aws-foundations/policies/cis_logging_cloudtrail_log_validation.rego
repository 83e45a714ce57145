# METADATA
# title: CloudTrail log file validation is enabled
# description: >-
#   The trail must have LogFileValidationEnabled = true so that digest files prove the log
#   files were not changed after delivery.
# scope: package
# custom:
#   id: cis-logging-cloudtrail-log-validation
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - cloudtrail-trail
#   frameworks:
#     cis_aws_v3: "3.2"
#     aws_fsbp: CloudTrail.4
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     Signed digests let investigators detect deleted or altered log files, which an attacker
#     covering tracks would otherwise do unnoticed.
#   remediation_guidance: >-
#     Call cloudtrail:UpdateTrail with EnableLogFileValidation=true. Rollback sets it to false.
package seg.controls.cis_logging_cloudtrail_log_validation

_kind := "cloudtrail-trail"

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
	"message": concat("", ["log file validation is on for trail ", input.config.name]),
	"evidence": [{"path": "/log_file_validation_enabled", "media_type": "application/json"}],
} if {
	input.config.log_file_validation_enabled == true
} else := {
	"result": "fail",
	"message": concat("", ["log file validation is off for trail ", input.config.name]),
	"evidence": [{"path": "/log_file_validation_enabled", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.log_file_validation_enabled must be a boolean" if not is_boolean(_at(_config, "log_file_validation_enabled"))

_errors contains "config.name must be a string" if not is_string(_at(_config, "name"))
