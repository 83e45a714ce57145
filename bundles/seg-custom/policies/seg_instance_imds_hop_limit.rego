# METADATA
# title: Instance metadata responses do not travel beyond the instance
# description: >-
#   When the instance metadata endpoint is enabled, its PUT response hop limit must not exceed
#   params.max_hop_limit, so containers on the host cannot reach instance credentials.
# scope: package
# custom:
#   id: seg-instance-imds-hop-limit
#   severity: low
#   target_kinds: [ec2-instance]
package seg.controls.seg_instance_imds_hop_limit

_options := input.config.metadata_options

_evidence := [{"path": "/metadata_options/http_put_response_hop_limit", "media_type": "application/json"}]

default result := {"result": "error", "message": "config.metadata_options.http_put_response_hop_limit or params.max_hop_limit is missing or not a number", "evidence": []}

result := {"result": "not_applicable", "message": concat("", ["control applies to ec2-instance assets, not ", input.asset.kind]), "evidence": []} if {
	input.asset.kind != "ec2-instance"
} else := {"result": "not_applicable", "message": "instance metadata endpoint is disabled", "evidence": [{"path": "/metadata_options/http_endpoint", "media_type": "application/json"}]} if {
	_options.http_endpoint == "disabled"
} else := {"result": "pass", "message": concat("", ["hop limit ", format_int(_options.http_put_response_hop_limit, 10), " is within the allowed ", format_int(input.params.max_hop_limit, 10)]), "evidence": _evidence} if {
	is_number(_options.http_put_response_hop_limit)
	is_number(input.params.max_hop_limit)
	_options.http_put_response_hop_limit <= input.params.max_hop_limit
} else := {"result": "fail", "message": concat("", ["hop limit ", format_int(_options.http_put_response_hop_limit, 10), " exceeds the allowed ", format_int(input.params.max_hop_limit, 10)]), "evidence": _evidence} if {
	is_number(_options.http_put_response_hop_limit)
	is_number(input.params.max_hop_limit)
	_options.http_put_response_hop_limit > input.params.max_hop_limit
}
