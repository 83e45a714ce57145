# METADATA
# title: S3 bucket server access logging is enabled
# description: >-
#   The bucket must deliver server access logs to a target bucket.
# scope: package
# custom:
#   id: cis-storage-access-logging
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - bucket
#   frameworks:
#     aws_fsbp: S3.9
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     Access logs record every request to the bucket, which incident response and audits need;
#     CIS 3.6 requires it for the CloudTrail bucket.
#   remediation_guidance: >-
#     Call s3:PutBucketLogging with a target bucket that grants the logging service write access
#     (log-delivery-write). Rollback calls s3:PutBucketLogging with an empty status.
package seg.controls.cis_storage_access_logging

_kind := "bucket"

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

_logging := _at(_config, "logging")

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
	"message": concat("", ["server access logging is off for ", input.config.name]),
	"evidence": [{"path": "/logging", "media_type": "application/json"}],
} if {
	_logging == null
} else := {
	"result": "pass",
	"message": concat("", ["server access logs of ", input.config.name, " go to ", _logging.target_bucket]),
	"evidence": [{"path": "/logging", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.name must be a string" if not is_string(_at(_config, "name"))

_errors contains "config.logging is missing" if {
	is_object(_config)
	not _has(_config, "logging")
}

_errors contains "config.logging.target_bucket must be a string" if {
	_logging != null
	_has(_config, "logging")
	not is_string(_at(_logging, "target_bucket"))
}

_has(obj, key) if {
	_ = obj[key]
}
