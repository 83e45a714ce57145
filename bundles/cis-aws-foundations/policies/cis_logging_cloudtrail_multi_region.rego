# METADATA
# title: A multi-region CloudTrail trail records all management events
# description: >-
#   At least one trail must be multi-region, currently logging, and record management events
#   of both read and write type.
# scope: package
# custom:
#   id: cis-logging-cloudtrail-multi-region
#   version: 1.0.0
#   severity: high
#   benchmark: CIS
#   target_kinds:
#     - cloudtrail-account
#   frameworks:
#     cis_aws_v3: "3.1"
#     aws_fsbp: CloudTrail.1
#   inputs:
#     type: object
#     properties: {}
#     additionalProperties: false
#   rationale: >-
#     API activity in any region, including regions the organisation does not use, must be
#     recorded for detection and forensics.
#   remediation_guidance: >-
#     Call cloudtrail:UpdateTrail with IsMultiRegionTrail=true on a trail recording all
#     management events, then cloudtrail:StartLogging (needs approval). Rollback restores
#     IsMultiRegionTrail and stops logging if it was stopped.
package seg.controls.cis_logging_cloudtrail_multi_region

_kind := "cloudtrail-account"

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

_trails := _at(_config, "trails")

_compliant contains t.name if {
	some t in _trails
	t.is_multi_region_trail == true
	t.is_logging == true
	t.management_events.included == true
	t.management_events.read_write_type == "All"
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
	"result": "pass",
	"message": concat("", ["trail(s) ", concat(", ", sort(_compliant)), " are multi-region, logging and record all management events"]),
	"evidence": [{"path": concat("", ["/trails/", format_int(i, 10)]), "media_type": "application/json"} |
		some i, t in _trails
		t.name in _compliant
	],
} if {
	count(_compliant) > 0
} else := {
	"result": "fail",
	"message": "no trail is multi-region, logging and recording all (read and write) management events",
	"evidence": [{"path": "/trails", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.trails must be an array" if not is_array(_trails)

_errors contains "config.trails[] need name, is_multi_region_trail, is_logging and management_events" if {
	some t in _trails
	not _trail_ok(t)
}

_trail_ok(t) if {
	is_string(t.name)
	is_boolean(t.is_multi_region_trail)
	is_boolean(t.is_logging)
	is_boolean(t.management_events.included)
	_string_or_null(_at(t.management_events, "read_write_type"))
}

_string_or_null(x) if is_string(x)

_string_or_null(x) if x == null
