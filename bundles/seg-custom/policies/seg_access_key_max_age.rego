# METADATA
# title: Active access keys are younger than the allowed age
# description: An active IAM access key must have been created no more than params.max_age_days before input.now.
# scope: package
# custom:
#   id: seg-access-key-max-age
#   severity: high
#   target_kinds: [iam-access-key]
package seg.controls.seg_access_key_max_age

_ns_per_day := ((24 * 60) * 60) * 1000000000

_evidence := [{"path": "/create_date", "media_type": "application/json"}]

default result := {"result": "error", "message": "config.create_date, input.now or params.max_age_days is missing or malformed", "evidence": []}

_age_days := floor((time.parse_rfc3339_ns(input.now) - time.parse_rfc3339_ns(input.config.create_date)) / _ns_per_day)

result := {"result": "not_applicable", "message": concat("", ["control applies to iam-access-key assets, not ", input.asset.kind]), "evidence": []} if {
	input.asset.kind != "iam-access-key"
} else := {"result": "not_applicable", "message": "access key is inactive", "evidence": [{"path": "/status", "media_type": "application/json"}]} if {
	input.config.status == "Inactive"
} else := {
	"result": "pass",
	"message": concat("", ["access key is ", format_int(_age_days, 10), " days old"]),
	"evidence": _evidence,
} if {
	is_number(input.params.max_age_days)
	_age_days <= input.params.max_age_days
} else := {
	"result": "fail",
	"message": concat("", ["access key is ", format_int(_age_days, 10), " days old, more than ", format_int(input.params.max_age_days, 10)]),
	"evidence": _evidence,
} if {
	is_number(input.params.max_age_days)
	_age_days > input.params.max_age_days
}
