# METADATA
# title: S3 bucket versioning is enabled
# description: >-
#   The bucket's versioning status must be Enabled so that overwritten and deleted objects can
#   be recovered.
# scope: package
# custom:
#   id: cis-storage-versioning
#   version: 1.0.0
#   severity: low
#   benchmark: CIS
#   target_kinds:
#     - bucket
#   frameworks:
#     aws_fsbp: S3.14
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     Versioning protects against accidental deletion and overwrite, and against ransomware that
#     rewrites objects in place.
#   remediation_guidance: >-
#     Call s3:PutBucketVersioning with Status Enabled. The inverse is not exact: rollback can
#     only set Status Suspended, a bucket never returns to unversioned, so the plan records it.
package seg.controls.cis_storage_versioning

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

_versioning := _at(_config, "versioning")

_status := _at(_versioning, "status")

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
	"message": concat("", ["versioning of ", input.config.name, " is Enabled"]),
	"evidence": [{"path": "/versioning/status", "media_type": "application/json"}],
} if {
	_status == "Enabled"
} else := {
	"result": "fail",
	"message": concat("", ["versioning of ", input.config.name, " is not enabled"]),
	"evidence": [{"path": "/versioning/status", "media_type": "application/json"}],
} if {
	_status == null
} else := {
	"result": "fail",
	"message": concat("", ["versioning of ", input.config.name, " is ", _status]),
	"evidence": [{"path": "/versioning/status", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.name must be a string" if not is_string(_at(_config, "name"))

_errors contains "config.versioning.status is missing" if not _has(_versioning, "status")

_errors contains "config.versioning.status must be a string or null" if {
	_status != null
	not is_string(_status)
}

_has(obj, key) if {
	_ = obj[key]
}
