# METADATA
# title: CloudTrail logs are encrypted at rest with a KMS key
# description: >-
#   The trail must name a KMS key (KmsKeyId) so that log files are encrypted with SSE-KMS.
# scope: package
# custom:
#   id: cis-logging-cloudtrail-kms
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - cloudtrail-trail
#   frameworks:
#     cis_aws_v3: "3.5"
#     cis_aws_v1_5: "3.7"
#     aws_fsbp: CloudTrail.2
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     A customer managed key adds a second authorisation layer to reading logs and records every
#     decryption in CloudTrail itself.
#   remediation_guidance: >-
#     Call cloudtrail:UpdateTrail with KmsKeyId set to a customer managed key whose policy lets
#     CloudTrail encrypt (needs approval). Rollback calls cloudtrail:UpdateTrail with KmsKeyId "".
package seg.controls.cis_logging_cloudtrail_kms

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

_key := _at(_config, "kms_key_id")

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
	"message": concat("", ["trail ", input.config.name, " is encrypted with KMS key ", _key]),
	"evidence": [{"path": "/kms_key_id", "media_type": "application/json"}],
} if {
	is_string(_key)
	_key != ""
} else := {
	"result": "fail",
	"message": concat("", ["trail ", input.config.name, " is not encrypted with a KMS key"]),
	"evidence": [{"path": "/kms_key_id", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.name must be a string" if not is_string(_at(_config, "name"))

_errors contains "config.kms_key_id is missing" if {
	is_object(_config)
	not _has(_config, "kms_key_id")
}

_errors contains "config.kms_key_id must be a string or null" if {
	_key != null
	not is_string(_key)
}

_has(obj, key) if {
	_ = obj[key]
}
